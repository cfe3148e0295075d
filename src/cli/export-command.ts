// `seshet export`: the tasks made at run time (from IRC or by modules) as
// `[[task]]` tables that `seshet check` accepts, so a schedule made in chat
// can move into a task file.
import { existsSync } from "node:fs";
import { openStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import type { ChatTask } from "../store/chat-store-types.ts";
import { formatRuleString } from "../scheduler/rule-parse.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";

export interface ExportOptions {
  db: string;
  bot?: string;
}

export async function runExport(opts: ExportOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (storeKindOf(opts.db) === "sqlite" && !existsSync(opts.db)) {
    err(`seshet export: no store at ${opts.db} (give --db)`);
    return 1;
  }
  const store = await openStore(opts.db);
  let tasks: ChatTask[];
  try {
    tasks = (await store.chat.runtime(opts.bot)).filter((t) => t.state === "active");
  } finally {
    await store.close();
  }
  out(`# ${tasks.length} task(s) made at run time${opts.bot ? ` on bot '${opts.bot}'` : ""}, from ${storeKindOf(opts.db) === "sqlite" ? opts.db : "the store"}.`);
  out("# Once these are in tasks/, cancel the originals (!cancel ID) and !reloadtasks: the file then takes them over.");
  for (const t of tasks) {
    out("");
    for (const line of taskTable(t)) out(line);
  }
  return 0;
}

/** One `[[task]]` table; values are written as TOML (JSON strings are valid TOML basic strings). */
export function taskTable(t: ChatTask): string[] {
  const lines = [
    `# #${t.id}${t.ownerNick ? ` by ${t.ownerNick}` : ""}: ${taskScheduleWords(t)}${t.paused ? " (paused)" : ""}`,
    "[[task]]",
    `name = ${JSON.stringify(t.name)}`,
    `bot = ${JSON.stringify(t.bot)}`,
    `func = ${JSON.stringify(t.func)}`,
    `args = ${tomlValue(t.args)}`,
  ];
  if (Object.keys(t.kwargs).length > 0) lines.push(`kwargs = ${tomlValue(t.kwargs)}`);
  lines.push(`start = ${t.start}`, `tz = ${JSON.stringify(t.tz)}`, `catchup = ${JSON.stringify(t.catchup)}`);
  if (t.rrule !== null) lines.push(`rrule = ${JSON.stringify(formatRuleString(t.rrule))}`);
  return lines;
}

function tomlValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${tomlValue(x)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  // TOML has no null: say so rather than write something else.
  throw new Error(`a task argument is ${v === null ? "null" : typeof v}, which TOML cannot hold`);
}
