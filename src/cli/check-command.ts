// `seshet check`: validate every bot and task file without connecting anywhere:
// the files themselves, then the plugins each bot names (loaded and set up as
// the bot would), then each task against them (its func resolves, its
// arguments fit, its schedule has an occurrence).
import { bindTasks } from "../config/bind-tasks.ts";
import { formatIssue } from "../config/format-issue.ts";
import { loadConfig } from "../config/load-config.ts";
import { TomlLocator } from "../config/toml-locator.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import { checkPlugins } from "./check-plugins.ts";
import { checkTasks } from "./check-tasks.ts";
import { adminMaskWarnings } from "./check-warnings.ts";

/** Prints each issue as `FILE:LINE:COL: message`; 1 if there were any, else a summary and 0 (warnings alone keep 0). */
export async function runCheck(
  opts: { bots: string; tasks: string; verbose?: boolean },
  out: (line: string) => void,
  env: Record<string, string | undefined>,
): Promise<number> {
  let config;
  try {
    config = await loadConfig({ botsDir: opts.bots, tasksDir: opts.tasks, env });
  } catch (err) {
    // A folder that exists but cannot be read (permissions): a problem to report, not a crash.
    const where = (err as { path?: unknown }).path;
    out(formatIssue({ file: typeof where === "string" ? where : opts.bots, line: 0, col: 0, message: `cannot read: ${err instanceof Error ? err.message : String(err)}` }));
    out("1 problem found");
    return 1;
  }
  const at = new TomlLocator();
  // What did load is checked further, so one broken file hides nothing else.
  const plugins = await checkPlugins(config.bots, at);
  const issues = [...config.issues, ...plugins.issues, ...checkTasks(config.tasks, config.bots, plugins.modules, at)];
  for (const issue of issues) out(formatIssue(issue));
  const warnings = adminMaskWarnings(config.bots);
  for (const warning of warnings) out(formatIssue(warning));
  if (issues.length > 0) {
    const n = issues.length;
    out(`${n} ${n === 1 ? "problem" : "problems"} found`);
    return 1;
  }
  const bound = bindTasks(config.bots, config.tasks);
  const perBot = bound.length !== config.tasks.length ? ` (${bound.length} scheduled across bots)` : "";
  const modules = new Set(config.bots.flatMap((b) => b.modules)).size;
  const loaded = modules > 0 ? `, ${plural(modules, "plugin")} loaded` : "";
  const warned = warnings.length > 0 ? `; ${plural(warnings.length, "warning")}` : "";
  out(`ok: ${plural(config.bots.length, "bot")}, ${plural(config.tasks.length, "task")}${perBot}${loaded}${warned}`);
  // --verbose: what each bot will run, and when, in words.
  if (opts.verbose) for (const t of bound) out(`  ${t.bot}/${t.name}: ${taskScheduleWords(t)}`);
  return 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
