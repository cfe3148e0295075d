// The task store through kysely, over SQLite or PostgreSQL (the differences
// live in store-dialect.ts). Every write that must be atomic runs in one
// transaction (BEGIN IMMEDIATE on SQLite), so several bot processes, or
// several hosts on PostgreSQL, can share one store and a crash at any point
// leaves it consistent.
import { sql, type Kysely } from "kysely";
import type { BoundTask } from "../config/config-types.ts";
import { compileTaskSchedule, trackedCount } from "../scheduler/recurrence/recurrence.ts";
import { scheduleAt } from "../scheduler/task-schedule.ts";
import type { StoreDatabase } from "./store-schema.ts";
import type { StoreDialect } from "./store-dialect.ts";
import type {
  Advance,
  RunOutcome,
  RunRecord,
  StoredTask,
  SyncCounts,
  TaskHead,
  TaskStore,
} from "./store-types.ts";
import { RUNTIME_ORDER, RUNTIME_ORIGIN, skippedText } from "./store-types.ts";
import { taskHash } from "./task-hash.ts";
import { KyselyChatStore } from "./kysely-chat-store.ts";
import { applySync, prepareSync } from "./task-sync.ts";
import { definitionColumns, toStoredTask, type TaskRow } from "./task-rows.ts";


export interface KyselyTaskStoreOptions {
  /** Runs kept per task, newest first. */
  historyLimit: number;
  /** A task's history is pruned on every `pruneEvery`-th run this process records for it. */
  pruneEvery: number;
}


export class KyselyTaskStore implements TaskStore {
  readonly #db: Kysely<StoreDatabase>;
  readonly #dialect: StoreDialect;
  readonly #opts: KyselyTaskStoreOptions;
  readonly #runsSincePrune = new Map<number, number>();
  /** Tasks made from IRC, pause state and users' zones (chat scheduling). */
  readonly chat: KyselyChatStore;
  /** The last version read and the commit counter it was read at (our own commits do not move the counter). */
  #seen: { counter: number; version: number } | undefined;

  constructor(db: Kysely<StoreDatabase>, dialect: StoreDialect, opts: KyselyTaskStoreOptions) {
    this.#db = db;
    this.#dialect = dialect;
    this.#opts = opts;
    this.chat = new KyselyChatStore(db, dialect);
  }

  /** The kysely handle, for tests, maintenance commands and the fleet's leases. */
  get db(): Kysely<StoreDatabase> {
    return this.#db;
  }

  get dialect(): StoreDialect {
    return this.#dialect;
  }

  /**
   * Bumped by every sync that changed something: bots and hosts poll it to
   * notice a sync by another process. On SQLite the table is read only after
   * `PRAGMA data_version` says another connection committed.
   */
  async version(): Promise<number> {
    const counter = await this.#dialect.commitCounter?.(this.#db);
    if (counter !== undefined && this.#seen?.counter === counter) return this.#seen.version;
    const row = await this.#db.selectFrom("store_meta").select("value").where("key", "=", "version").executeTakeFirst();
    const version = Number(row?.value ?? 0);
    this.#seen = counter === undefined ? undefined : { counter, version };
    return version;
  }

  async sync(tasks: BoundTask[], brokenOrigins: string[], now: number): Promise<SyncCounts> {
    const prepared = await prepareSync(this.#db, tasks, now);
    const result = await this.#write((trx) => applySync(trx, prepared, new Set(brokenOrigins), now), "sync");
    this.#seen = undefined; // our own commit: the counter does not show it
    return result;
  }

  async activeTasks(bot: string): Promise<StoredTask[]> {
    return (await this.#active(bot).selectAll().execute()).map(toStoredTask);
  }

  async activeTaskHeads(bot: string): Promise<TaskHead[]> {
    const rows = await this.#active(bot).select(["id", "name", "func", "next_due as nextDue", "ord as order"]).execute();
    // The rows are the heads (no second copy of 10,000 objects); most tasks
    // share a few functions: one string each, not one per task.
    const funcs = new Map<string, string>();
    for (const r of rows) r.func = funcs.get(r.func) ?? (funcs.set(r.func, r.func), r.func);
    return rows;
  }

  /** A bot's queued tasks (active, not paused, with a next due), in declaration order. */
  #active(bot: string) {
    return this.#db
      .selectFrom("tasks")
      .where("bot", "=", bot)
      .where("state", "=", "active")
      .where("paused", "=", 0)
      .where("next_due", "is not", null)
      .orderBy("ord")
      .orderBy("id");
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
    return this.#write(async (trx) => {
      const exhausted = advance.nextDue === null || advance.remaining === 0;
      const updated = await trx
        .updateTable("tasks")
        .set({ next_due: advance.nextDue, remaining: advance.remaining, state: exhausted ? "done" : "active" })
        .where("id", "=", taskId)
        .where("next_due", "=", due)
        .where("state", "=", "active")
        .where("paused", "=", 0)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return null;
      const gap = advance.skipped;
      if (gap && outcome === "started") {
        await trx
          .insertInto("runs")
          .values({ task_id: taskId, due: gap.first, fired: null, finished: now, outcome: "skipped", error: skippedText(gap.count) })
          .execute();
      }
      const run = await trx
        .insertInto("runs")
        .values({
          task_id: taskId,
          due,
          fired: outcome === "started" ? now : null,
          finished: outcome === "skipped" ? now : null,
          outcome,
          error: outcome === "skipped" ? skippedText(gap?.count ?? 1) : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await this.#maybePrune(trx, taskId);
      return run.id;
    });
  }

  async finish(runId: number, outcome: "ok" | "error", now: number, error?: string): Promise<void> {
    await this.#write(async (trx) => {
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
    return this.#write(async (trx) => {
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
    const rec = compileTaskSchedule(task);
    const schedule = scheduleAt(rec, trackedCount(task), nextDue);
    const columns = {
      ...definitionColumns(bound, taskHash(bound)),
      next_due: schedule.nextDue,
      remaining: schedule.remaining,
      state: schedule.state,
      updated_at: now,
    };
    return this.#write(async (trx) => {
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

  #write<T>(work: (trx: Kysely<StoreDatabase>) => Promise<T>, exclusive?: string): Promise<T> {
    return this.#dialect.write(this.#db, work, exclusive === undefined ? undefined : { exclusive });
  }

  // Pruning on every run would cost a range scan per claim; every
  // pruneEvery-th run of a task keeps the history within
  // historyLimit + pruneEvery rows at a fraction of that.
  async #maybePrune(trx: Kysely<StoreDatabase>, taskId: number): Promise<void> {
    const seen = this.#runsSincePrune.get(taskId) ?? 0;
    this.#runsSincePrune.set(taskId, seen + 1);
    if (seen % this.#opts.pruneEvery !== 0) return;
    // "Not among the newest N" rather than "LIMIT -1 OFFSET N": the same SQL on both databases.
    await trx
      .deleteFrom("runs")
      .where("task_id", "=", taskId)
      .where("id", "not in", (eb) =>
        eb
          .selectFrom("runs")
          .select("id")
          .where("task_id", "=", taskId)
          .orderBy("due", "desc")
          .orderBy("id", "desc")
          .limit(this.#opts.historyLimit),
      )
      .execute();
  }
}
