// The task store over SQLite through kysely. Every write that must be atomic
// runs in one BEGIN IMMEDIATE transaction, so several bot processes can share
// one file (WAL) and a crash at any point leaves a consistent store.
import { sql, type Insertable, type Kysely, type Selectable } from "kysely";
import type { BoundTask, Catchup } from "../config/config-types.ts";
import type { RuleParts } from "../scheduler/rule-parts.ts";
import { compileSchedule } from "../scheduler/recurrence.ts";
import { scheduleAt, scheduleFrom } from "./initial-schedule.ts";
import type { StoreDatabase, TasksTable } from "./store-schema.ts";
import { immediateTransaction } from "./store-transaction.ts";
import type {
  Advance,
  RunOutcome,
  RunRecord,
  StoredTask,
  SyncCounts,
  TaskState,
  TaskStore,
} from "./store-types.ts";
import { taskHash } from "./task-hash.ts";

export const RUNTIME_ORIGIN = "runtime";
/** Runtime tasks sort after every file task when they fall due at one instant. */
const RUNTIME_ORDER = 1_000_000_000;
const INSERT_CHUNK = 200;
const ID_CHUNK = 500;

export interface SqliteTaskStoreOptions {
  /** Runs kept per task, newest first. */
  historyLimit: number;
  /** A task's history is pruned on every `pruneEvery`-th run this process records for it. */
  pruneEvery: number;
}

type TaskRow = Selectable<TasksTable>;

export class SqliteTaskStore implements TaskStore {
  readonly #db: Kysely<StoreDatabase>;
  readonly #opts: SqliteTaskStoreOptions;
  readonly #runsSincePrune = new Map<number, number>();

  constructor(db: Kysely<StoreDatabase>, opts: SqliteTaskStoreOptions) {
    this.#db = db;
    this.#opts = opts;
  }

  /** The kysely handle, for tests and maintenance commands. */
  get db(): Kysely<StoreDatabase> {
    return this.#db;
  }

  async sync(tasks: BoundTask[], brokenOrigins: string[], now: number): Promise<SyncCounts> {
    const broken = new Set(brokenOrigins);
    // Hashing 10,000 definitions takes a while: do it before taking the write lock.
    const hashes = tasks.map(taskHash);
    return immediateTransaction(this.#db, async (trx) => {
      const rows = await trx.selectFrom("tasks").selectAll().execute();
      const stored = new Map<string, TaskRow>();
      for (const row of rows) stored.set(taskKey(row), row);

      const counts: SyncCounts = { added: 0, changed: 0, retired: 0, unchanged: 0 };
      const declared = new Set<string>();
      const inserts: Insertable<TasksTable>[] = [];

      for (const [i, task] of tasks.entries()) {
        const key = taskKey(task);
        // The first declaration of a (bot, name) wins; the config layer reports duplicates.
        if (declared.has(key)) continue;
        declared.add(key);
        const row = stored.get(key);
        // A file may not take over a task a module created at run time.
        if (row?.origin === RUNTIME_ORIGIN) continue;
        const hash = hashes[i]!;

        if (!row) {
          inserts.push({ ...definitionColumns(task, hash), ...scheduleColumns(task, now), last_run: null, created_at: now, updated_at: now });
          counts.added++;
        } else if (row.hash !== hash || row.state === "retired") {
          await trx
            .updateTable("tasks")
            .set({ ...definitionColumns(task, hash), ...scheduleColumns(task, now), updated_at: now })
            .where("id", "=", row.id)
            .execute();
          counts.changed++;
        } else if (row.origin !== task.origin) {
          // Moved to another file, same definition: its schedule carries on.
          await trx
            .updateTable("tasks")
            .set({ origin: task.origin, ord: task.order, updated_at: now })
            .where("id", "=", row.id)
            .execute();
          counts.changed++;
        } else {
          if (row.ord !== task.order) {
            // Declaration order only breaks ties; it is not a change of the task.
            await trx.updateTable("tasks").set({ ord: task.order }).where("id", "=", row.id).execute();
          }
          counts.unchanged++;
        }
      }

      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        await trx.insertInto("tasks").values(inserts.slice(i, i + INSERT_CHUNK)).execute();
      }

      const retire = rows
        .filter(
          (row) =>
            row.origin !== RUNTIME_ORIGIN &&
            row.state !== "retired" &&
            !broken.has(row.origin) &&
            !declared.has(taskKey(row)),
        )
        .map((row) => row.id);
      for (let i = 0; i < retire.length; i += ID_CHUNK) {
        await trx
          .updateTable("tasks")
          .set({ state: "retired", updated_at: now })
          .where("id", "in", retire.slice(i, i + ID_CHUNK))
          .execute();
      }
      counts.retired = retire.length;
      return counts;
    });
  }

  async activeTasks(bot: string): Promise<StoredTask[]> {
    const rows = await this.#db
      .selectFrom("tasks")
      .selectAll()
      .where("bot", "=", bot)
      .where("state", "=", "active")
      .where("next_due", "is not", null)
      .orderBy("ord")
      .orderBy("id")
      .execute();
    return rows.map(toStoredTask);
  }

  async listTasks(filter: { bot?: string; includeRetired?: boolean } = {}): Promise<StoredTask[]> {
    let query = this.#db.selectFrom("tasks").selectAll();
    if (filter.bot !== undefined) query = query.where("bot", "=", filter.bot);
    if (!filter.includeRetired) query = query.where("state", "!=", "retired");
    const rows = await query.orderBy("bot").orderBy("ord").orderBy("id").execute();
    return rows.map(toStoredTask);
  }

  async getTask(bot: string, name: string): Promise<StoredTask | undefined> {
    const row = await this.#db
      .selectFrom("tasks")
      .selectAll()
      .where("bot", "=", bot)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toStoredTask(row);
  }

  async claim(
    taskId: number,
    due: number,
    now: number,
    outcome: "started" | "skipped",
    advance: Advance,
  ): Promise<number | null> {
    return immediateTransaction(this.#db, async (trx) => {
      const exhausted = advance.nextDue === null || advance.remaining === 0;
      const updated = await trx
        .updateTable("tasks")
        .set({ next_due: advance.nextDue, remaining: advance.remaining, state: exhausted ? "done" : "active" })
        .where("id", "=", taskId)
        .where("next_due", "=", due)
        .where("state", "=", "active")
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return null;
      const run = await trx
        .insertInto("runs")
        .values({
          task_id: taskId,
          due,
          fired: outcome === "started" ? now : null,
          finished: outcome === "skipped" ? now : null,
          outcome,
          error: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await this.#maybePrune(trx, taskId);
      return run.id;
    });
  }

  async finish(runId: number, outcome: "ok" | "error", now: number, error?: string): Promise<void> {
    await immediateTransaction(this.#db, async (trx) => {
      const run = await trx
        .updateTable("runs")
        .set({ outcome, finished: now, error: error ?? null })
        .where("id", "=", runId)
        .returning("task_id")
        .executeTakeFirst();
      if (run) await trx.updateTable("tasks").set({ last_run: now }).where("id", "=", run.task_id).execute();
    });
  }

  async markInterrupted(bot: string, now: number): Promise<number> {
    return immediateTransaction(this.#db, async (trx) => {
      const result = await trx
        .updateTable("runs")
        .set({ outcome: "interrupted", finished: now })
        // A literal, not a parameter, so SQLite can use the partial index runs_started.
        .where(sql<boolean>`outcome = 'started'`)
        .where("task_id", "in", (eb) => eb.selectFrom("tasks").select("id").where("bot", "=", bot))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  async addRuntimeTask(
    task: Omit<BoundTask, "origin" | "order">,
    nextDue: number | null,
    now: number,
  ): Promise<StoredTask> {
    const bound: BoundTask = { ...task, origin: RUNTIME_ORIGIN, order: RUNTIME_ORDER };
    const rec = compileSchedule({ start: task.start, tz: task.tz, rule: task.rrule });
    const schedule = scheduleAt(rec, task.rrule?.count, nextDue);
    const columns = {
      ...definitionColumns(bound, taskHash(bound)),
      next_due: schedule.nextDue,
      remaining: schedule.remaining,
      state: schedule.state,
      updated_at: now,
    };
    return immediateTransaction(this.#db, async (trx) => {
      const existing = await trx
        .selectFrom("tasks")
        .select(["id", "origin", "state"])
        .where("bot", "=", task.bot)
        .where("name", "=", task.name)
        .executeTakeFirst();
      let row: TaskRow;
      if (existing) {
        if (existing.origin !== RUNTIME_ORIGIN && existing.state !== "retired") {
          throw new Error(`task ${task.bot}/${task.name} is declared in ${existing.origin}`);
        }
        row = await trx
          .updateTable("tasks")
          .set(columns)
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      } else {
        row = await trx
          .insertInto("tasks")
          .values({ ...columns, last_run: null, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      return toStoredTask(row);
    });
  }

  async history(bot: string, name: string, limit: number): Promise<RunRecord[]> {
    const rows = await this.#db
      .selectFrom("runs")
      .innerJoin("tasks", "tasks.id", "runs.task_id")
      .select([
        "runs.id",
        "runs.task_id",
        "runs.due",
        "runs.fired",
        "runs.finished",
        "runs.outcome",
        "runs.error",
      ])
      .where("tasks.bot", "=", bot)
      .where("tasks.name", "=", name)
      .orderBy("runs.due", "desc")
      .orderBy("runs.id", "desc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      due: r.due,
      fired: r.fired,
      finished: r.finished,
      outcome: r.outcome as RunOutcome,
      error: r.error,
    }));
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  // Pruning on every run would cost a range scan per claim; every
  // pruneEvery-th run of a task keeps the history within
  // historyLimit + pruneEvery rows at a fraction of that.
  async #maybePrune(trx: Kysely<StoreDatabase>, taskId: number): Promise<void> {
    const seen = this.#runsSincePrune.get(taskId) ?? 0;
    this.#runsSincePrune.set(taskId, seen + 1);
    if (seen % this.#opts.pruneEvery !== 0) return;
    await trx
      .deleteFrom("runs")
      .where("task_id", "=", taskId)
      .where("id", "in", (eb) =>
        eb
          .selectFrom("runs")
          .select("id")
          .where("task_id", "=", taskId)
          .orderBy("due", "desc")
          .orderBy("id", "desc")
          .limit(-1)
          .offset(this.#opts.historyLimit),
      )
      .execute();
  }
}

function taskKey(task: { bot: string; name: string }): string {
  return `${task.bot}\u0000${task.name}`;
}

function definitionColumns(task: BoundTask, hash: string) {
  return {
    bot: task.bot,
    name: task.name,
    func: task.func,
    args: JSON.stringify(task.args),
    kwargs: JSON.stringify(task.kwargs),
    rrule: task.rrule === null ? null : JSON.stringify(task.rrule),
    tz: task.tz,
    start: task.start,
    catchup: task.catchup,
    origin: task.origin,
    ord: task.order,
    hash,
  };
}

function scheduleColumns(task: BoundTask, now: number) {
  const schedule = scheduleFrom(task, now);
  return { next_due: schedule.nextDue, remaining: schedule.remaining, state: schedule.state };
}

function toStoredTask(row: TaskRow): StoredTask {
  return {
    id: row.id,
    bot: row.bot,
    name: row.name,
    func: row.func,
    args: JSON.parse(row.args) as unknown[],
    kwargs: JSON.parse(row.kwargs) as Record<string, unknown>,
    start: row.start,
    tz: row.tz,
    rrule: row.rrule === null ? null : (JSON.parse(row.rrule) as RuleParts),
    catchup: row.catchup as Catchup,
    remaining: row.remaining,
    nextDue: row.next_due,
    lastRun: row.last_run,
    origin: row.origin,
    state: row.state as TaskState,
    order: row.ord,
    hash: row.hash,
  };
}
