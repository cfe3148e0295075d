// Making the `tasks` table match the declared tasks (a sync), in two steps:
// `prepareSync` does the slow part (hashing, computing schedules) before the
// write lock is taken, `applySync` runs inside one transaction.
import type { Insertable, Kysely } from "kysely";
import type { BoundTask } from "../config/config-types.ts";
import type { StoreDatabase, TasksTable } from "./store-schema.ts";
import type { SyncCounts } from "./store-types.ts";
import { RUNTIME_ORIGIN } from "./store-types.ts";
import { taskHash } from "./task-hash.ts";
import { definitionColumns, scheduleColumns, taskKey, type TaskRow } from "./task-rows.ts";

const INSERT_CHUNK = 200;
const ID_CHUNK = 500;

export interface PreparedSync {
  tasks: BoundTask[];
  hashes: string[];
  /** The schedule of task i, computed ahead where it is new or changed. */
  schedule(task: BoundTask, i: number): ReturnType<typeof scheduleColumns>;
}

/**
 * Hashing 10,000 definitions takes a while, and a rule's schedule is
 * computed by its engine: do both before taking the write lock, so no rule
 * is ever expanded while other processes wait for the store. Schedules are
 * needed only for new and changed tasks, found by a read outside the
 * transaction; a task that another process changed meanwhile is scheduled
 * inside (the engine's cost is bounded, see recurrence/occurrence-count.ts).
 */
export async function prepareSync(db: Kysely<StoreDatabase>, tasks: BoundTask[], now: number): Promise<PreparedSync> {
  const hashes = tasks.map(taskHash);
  const before = new Map<string, { hash: string; state: string }>();
  for (const row of await db.selectFrom("tasks").select(["bot", "name", "hash", "state"]).execute()) before.set(taskKey(row), row);
  const schedules = new Map<number, ReturnType<typeof scheduleColumns>>();
  tasks.forEach((task, i) => {
    const row = before.get(taskKey(task));
    if (!row || row.hash !== hashes[i] || row.state === "retired") schedules.set(i, scheduleColumns(task, now));
  });
  return { tasks, hashes, schedule: (task, i) => schedules.get(i) ?? scheduleColumns(task, now) };
}

/** Inside the sync's transaction: adds, changes and retires, and bumps the store version if anything moved. */
export async function applySync(trx: Kysely<StoreDatabase>, p: PreparedSync, broken: Set<string>, now: number): Promise<SyncCounts> {
  const rows = await trx.selectFrom("tasks").selectAll().execute();
  const { counts, declared, reordered } = await applyDeclarations(trx, p, rows, now);
  const retire = rows
    .filter((row) => row.origin !== RUNTIME_ORIGIN && row.state !== "retired" && !broken.has(row.origin) && !declared.has(taskKey(row)))
    .map((row) => row.id);
  for (let i = 0; i < retire.length; i += ID_CHUNK) {
    await trx.updateTable("tasks").set({ state: "retired", updated_at: now }).where("id", "in", retire.slice(i, i + ID_CHUNK)).execute();
  }
  counts.retired = retire.length;
  if (reordered || counts.added + counts.changed + counts.retired > 0) {
    await trx.updateTable("store_meta").set((eb) => ({ value: eb("value", "+", 1) })).where("key", "=", "version").execute();
  }
  return counts;
}

async function applyDeclarations(
  trx: Kysely<StoreDatabase>,
  p: PreparedSync,
  rows: TaskRow[],
  now: number,
): Promise<{ counts: SyncCounts; declared: Set<string>; reordered: boolean }> {
  const stored = new Map<string, TaskRow>();
  for (const row of rows) stored.set(taskKey(row), row);
  const counts: SyncCounts = { added: 0, changed: 0, retired: 0, unchanged: 0 };
  const declared = new Set<string>();
  let reordered = false;
  const inserts: Insertable<TasksTable>[] = [];
  for (const [i, task] of p.tasks.entries()) {
    const key = taskKey(task);
    // The first declaration of a (bot, name) wins; the config layer reports duplicates.
    if (declared.has(key)) continue;
    declared.add(key);
    const row = stored.get(key);
    // A file may not take over a task a module created at run time, unless
    // it was cancelled (so `seshet export` + `!cancel` moves a chat task into a file).
    if (row?.origin === RUNTIME_ORIGIN && row.state !== "retired") continue;
    const hash = p.hashes[i]!;
    if (!row) {
      inserts.push({ ...definitionColumns(task, hash), ...p.schedule(task, i), last_run: null, created_at: now, updated_at: now });
      counts.added++;
    } else if (row.hash !== hash || row.state === "retired") {
      await trx.updateTable("tasks").set({ ...definitionColumns(task, hash), ...p.schedule(task, i), updated_at: now }).where("id", "=", row.id).execute();
      counts.changed++;
    } else if (row.origin !== task.origin) {
      // Moved to another file, same definition: its schedule carries on.
      await trx.updateTable("tasks").set({ origin: task.origin, ord: task.order, updated_at: now }).where("id", "=", row.id).execute();
      counts.changed++;
    } else {
      if (row.ord !== task.order) {
        // Declaration order only breaks ties; it is not a change of the task.
        await trx.updateTable("tasks").set({ ord: task.order }).where("id", "=", row.id).execute();
        reordered = true;
      }
      counts.unchanged++;
    }
  }
  for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
    await trx.insertInto("tasks").values(inserts.slice(i, i + INSERT_CHUNK)).execute();
  }
  return { counts, declared, reordered };
}
