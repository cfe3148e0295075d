// `seshet tasks`: the stored tasks with their state, next due time and schedule in words.
import { existsSync } from "node:fs";
import { formatInstant } from "../scheduler/zoned-time.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import { openStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import type { StoredTask } from "../store/store-types.ts";

export interface TasksCommandOptions {
  db: string;
  bot?: string;
  json?: boolean;
}

export async function runTasks(opts: TasksCommandOptions, out: (line: string) => void): Promise<number> {
  // Listing must not leave an empty store behind where none was.
  if (storeKindOf(opts.db) === "sqlite" && !existsSync(opts.db)) {
    out(`seshet tasks: no store at ${opts.db} (run \`seshet sync\` first, or give --db)`);
    return 1;
  }
  const store = await openStore(opts.db);
  let tasks: StoredTask[];
  try {
    tasks = await store.listTasks({ bot: opts.bot, includeRetired: true });
  } finally {
    await store.close();
  }
  const at = (ms: number | null, tz: string) => (ms === null ? null : formatInstant(ms, tz));
  if (opts.json) {
    out(
      JSON.stringify(
        tasks.map((t) => ({
          name: t.name,
          bot: t.bot,
          func: t.func,
          origin: t.origin,
          state: t.state,
          remaining: t.remaining,
          tz: t.tz,
          nextDue: at(t.nextDue, t.tz),
          lastRun: at(t.lastRun, t.tz),
          schedule: taskScheduleWords(t),
        })),
      ),
    );
    return 0;
  }
  if (tasks.length === 0) {
    out(opts.bot === undefined ? "no tasks stored" : `no tasks stored for bot '${opts.bot}'`);
    return 0;
  }
  const rows = tasks.map((t) => [
    t.name,
    t.bot,
    t.func,
    t.origin,
    t.state,
    t.remaining === null ? "-" : String(t.remaining),
    at(t.nextDue, t.tz) ?? "-",
    at(t.lastRun, t.tz) ?? "-",
    taskScheduleWords(t),
  ]);
  for (const line of formatTable(["NAME", "BOT", "FUNC", "ORIGIN", "STATE", "LEFT", "NEXT DUE", "LAST RUN", "SCHEDULE"], rows)) out(line);
  return 0;
}

/** Left-aligned columns two spaces apart; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
