// `seshet check`: validate every bot and task file without connecting anywhere.
import { bindTasks } from "../config/bind-tasks.ts";
import { formatIssue } from "../config/format-issue.ts";
import { loadConfig } from "../config/load-config.ts";
import { adminMaskWarnings } from "./check-warnings.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";

/** Prints each issue as `FILE:LINE:COL: message`; 1 if there were any, else a summary and 0 (warnings alone keep 0). */
export async function runCheck(
  opts: { bots: string; tasks: string; verbose?: boolean },
  out: (line: string) => void,
  env: Record<string, string | undefined>,
): Promise<number> {
  const config = await loadConfig({ botsDir: opts.bots, tasksDir: opts.tasks, env });
  for (const issue of config.issues) out(formatIssue(issue));
  const warnings = adminMaskWarnings(config.bots);
  for (const warning of warnings) out(formatIssue(warning));
  if (config.issues.length > 0) {
    const n = config.issues.length;
    out(`${n} ${n === 1 ? "problem" : "problems"} found`);
    return 1;
  }
  const bound = bindTasks(config.bots, config.tasks);
  const perBot = bound.length !== config.tasks.length ? ` (${bound.length} scheduled across bots)` : "";
  const warned = warnings.length > 0 ? `; ${plural(warnings.length, "warning")}` : "";
  out(`ok: ${plural(config.bots.length, "bot")}, ${plural(config.tasks.length, "task")}${perBot}${warned}`);
  // --verbose: what each bot will run, and when, in words.
  if (opts.verbose) for (const t of bound) out(`  ${t.bot}/${t.name}: ${taskScheduleWords(t)}`);
  return 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
