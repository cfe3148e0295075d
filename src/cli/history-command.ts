// `seshet history TASK`: a task's recent runs, newest first.
import { existsSync } from "node:fs";
import { formatInstant } from "../scheduler/zoned-time.ts";
import { openStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import { formatTable } from "./tasks-command.ts";

export interface HistoryCommandOptions {
  task: string;
  db: string;
  n?: number;
  bot?: string;
}

export const DEFAULT_HISTORY_LINES = 20;

export async function runHistory(opts: HistoryCommandOptions, out: (line: string) => void): Promise<number> {
  const fail = (message: string) => (out(`seshet history: ${message}`), 1);
  const n = opts.n ?? DEFAULT_HISTORY_LINES;
  if (!Number.isInteger(n) || n < 1) return fail(`-n must be a whole number of at least 1, got '${opts.n}'`);
  if (storeKindOf(opts.db) === "sqlite" && !existsSync(opts.db)) return fail(`no store at ${opts.db} (run \`seshet sync\` first, or give --db)`);
  const store = await openStore(opts.db);
  try {
    const matches = (await store.listTasks({ bot: opts.bot, includeRetired: true })).filter((t) => t.name === opts.task);
    const task = matches[0];
    if (task === undefined) return fail(`no task '${opts.task}'${opts.bot === undefined ? "" : ` for bot '${opts.bot}'`} in ${opts.db}`);
    if (matches.length > 1) {
      return fail(`task '${opts.task}' exists for several bots; choose one with --bot (${matches.map((t) => t.bot).join(", ")})`);
    }
    const runs = await store.history(task.bot, task.name, n);
    if (runs.length === 0) {
      out(`${task.bot}/${task.name}: no runs yet`);
      return 0;
    }
    const at = (ms: number | null) => (ms === null ? "-" : formatInstant(ms, task.tz));
    const rows = runs.map((r) => [at(r.due), at(r.fired), r.outcome, r.error ?? ""]);
    for (const line of formatTable(["DUE", "FIRED", "OUTCOME", "DETAIL"], rows)) out(line);
    return 0;
  } finally {
    await store.close();
  }
}
