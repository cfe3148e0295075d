// `seshet ics`: the declared tasks as an iCalendar feed on stdout, for
// calendar apps to subscribe to (served by any web server, or a file).
import { bindTasks } from "../config/bind-tasks.ts";
import { formatIssue } from "../config/format-issue.ts";
import { loadConfig } from "../config/load-config.ts";
import { icsFeed } from "../scheduler/ics-feed.ts";

export interface IcsOptions {
  bots: string;
  tasks: string;
  bot?: string;
}

/** Prints the feed (CRLF lines, as RFC 5545 wants); problems in files go to `err` and make the exit code 1. */
export async function runIcs(
  o: IcsOptions,
  write: (text: string) => void,
  err: (line: string) => void,
  env: Record<string, string | undefined>,
  now = Date.now(),
): Promise<number> {
  const config = await loadConfig({ botsDir: o.bots, tasksDir: o.tasks, env });
  if (o.bot !== undefined && !config.bots.some((b) => b.name === o.bot)) {
    err(`seshet ics: no bot '${o.bot}' in ${o.bots} (bots: ${config.bots.map((b) => b.name).join(", ") || "none"})`);
    return 1;
  }
  for (const issue of config.issues) err(formatIssue(issue));
  const tasks = bindTasks(config.bots, config.tasks).filter((t) => o.bot === undefined || t.bot === o.bot);
  write(icsFeed(tasks, now));
  // The feed holds what could be read; a broken file is still an error to report.
  return config.issues.length > 0 ? 1 : 0;
}
