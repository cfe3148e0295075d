// `seshet next TASK`: the next occurrences of a task declared in the files.
import { loadConfig } from "../config/load-config.ts";
import { bindTasks } from "../config/bind-tasks.ts";
import { compileTaskSchedule } from "../scheduler/recurrence/recurrence.ts";
import { formatOccurrences } from "./next-command.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import { parseAfterOption, parseCountOption } from "./instant-arg.ts";
import { formatIssue } from "../config/format-issue.ts";

export interface NextTaskOptions {
  task: string;
  tasks: string;
  bots: string;
  bot?: string;
  after?: string;
  n: number;
  json: boolean;
}

export async function runNextTask(o: NextTaskOptions, out: (line: string) => void, env: Record<string, string | undefined>): Promise<number> {
  const fail = (msg: string) => (out(`seshet next: ${msg}`), 1);
  const n = parseCountOption(o.n);
  if (typeof n === "string") return fail(n);
  const loaded = await loadConfig({ botsDir: o.bots, tasksDir: o.tasks, env });
  const bound = bindTasks(loaded.bots, loaded.tasks).filter((t) => t.name === o.task && (o.bot === undefined || t.bot === o.bot));
  if (bound.length === 0) {
    const broken = loaded.issues.map((e) => formatIssue(e));
    return fail(`no task '${o.task}'${o.bot ? ` for bot '${o.bot}'` : ""} in ${o.tasks}${broken.length ? ` (files with errors: ${broken.join("; ")})` : ""}`);
  }
  const task = bound[0]!;
  if (bound.length > 1 && new Set(bound.map((t) => t.tz)).size > 1) {
    return fail(`task '${o.task}' runs on several bots in different zones; choose one with --bot (${bound.map((t) => t.bot).join(", ")})`);
  }
  const after = parseAfterOption(o.after, task.tz, Date.now());
  if (typeof after === "string") return fail(after);
  try {
    const rec = compileTaskSchedule(task);
    for (const line of formatOccurrences(rec, task.tz, after, n, o.json, taskScheduleWords(task))) out(line);
    return 0;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
