// `seshet tasks`: the stored tasks with their state, next due time and schedule in words.
import { existsSync } from "node:fs";
import { formatInstant } from "../scheduler/zoned-time.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import { openStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import type { ChatTask } from "../store/chat-store-types.ts";
import { RUNTIME_ORIGIN } from "../store/store-types.ts";

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
  let tasks: ChatTask[];
  try {
    tasks = await store.chat.list({ bot: opts.bot, includeRetired: true });
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
          owner: t.ownerNick,
          where: whereOf(t),
          state: stateOf(t),
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
    t.ownerNick ?? "-",
    whereOf(t) ?? "-",
    stateOf(t),
    t.remaining === null ? "-" : String(t.remaining),
    at(t.nextDue, t.tz) ?? "-",
    at(t.lastRun, t.tz) ?? "-",
    taskScheduleWords(t),
  ]);
  for (const line of formatTable(["NAME", "BOT", "FUNC", "ORIGIN", "OWNER", "WHERE", "STATE", "LEFT", "NEXT DUE", "LAST RUN", "SCHEDULE"], rows)) out(line);
  return 0;
}

/** Where a runtime task speaks (its target argument); file tasks say it in their file. */
function whereOf(t: ChatTask): string | null {
  return t.origin === RUNTIME_ORIGIN && typeof t.args[0] === "string" ? t.args[0] : null;
}

function stateOf(t: ChatTask): string {
  return t.paused && t.state === "active" ? "paused" : t.state;
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
