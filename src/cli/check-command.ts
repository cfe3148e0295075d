// `seshet check`: validate every bot and task file without connecting anywhere.
import { bindTasks } from "../config/bind-tasks.ts";
import { formatIssue } from "../config/format-issue.ts";
import { loadConfig } from "../config/load-config.ts";
import { adminMaskWarnings } from "./check-warnings.ts";

/** Prints each issue as `FILE:LINE:COL: message`; 1 if there were any, else a summary and 0 (warnings alone keep 0). */
export async function runCheck(
  opts: { bots: string; tasks: string },
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
  const bound = bindTasks(config.bots, config.tasks).length;
  const perBot = bound !== config.tasks.length ? ` (${bound} scheduled across bots)` : "";
  const warned = warnings.length > 0 ? `; ${plural(warnings.length, "warning")}` : "";
  out(`ok: ${plural(config.bots.length, "bot")}, ${plural(config.tasks.length, "task")}${perBot}${warned}`);
  return 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
