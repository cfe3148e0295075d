// Chat scheduling's part of the store (see chat-store-types.ts), over the
// same kysely handle and dialect as the task store.
import { sql, type Kysely, type SelectQueryBuilder, type Selectable } from "kysely";
import type { StoreDatabase, TasksTable } from "./store-schema.ts";
import type { StoreDialect } from "./store-dialect.ts";
import type { ChatPage, ChatStore, ChatTask, NewChatTask } from "./chat-store-types.ts";
import { RUNTIME_ORDER, RUNTIME_ORIGIN } from "./store-types.ts";
import { definitionColumns, toStoredTask } from "./task-rows.ts";
import { taskHash } from "./task-hash.ts";

type TaskRow = Selectable<TasksTable>;
type TaskQuery = SelectQueryBuilder<StoreDatabase, "tasks", TaskRow>;

export class KyselyChatStore implements ChatStore {
  readonly #db: Kysely<StoreDatabase>;
  readonly #dialect: StoreDialect;

  constructor(db: Kysely<StoreDatabase>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async add(task: NewChatTask, nextDue: number, now: number, maxPerOwner: number | null): Promise<ChatTask | { refused: number }> {
    const bound = { ...task, name: "", origin: RUNTIME_ORIGIN, order: RUNTIME_ORDER };
    const columns = definitionColumns(bound, taskHash(bound));
    const quota = task.quotaKey ?? task.owner;
    return this.#dialect.write(this.#db, async (trx) => {
      if (maxPerOwner !== null) {
        const { n } = await trx
          .selectFrom("tasks")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("bot", "=", task.bot)
          .where("state", "=", "active")
          .where((eb) => eb.or([eb("owner", "=", task.owner), eb("quota_key", "=", quota)]))
          .executeTakeFirstOrThrow();
        if (Number(n) >= maxPerOwner) return { refused: Number(n) };
      }
      // The name needs the id: insert under a name no one else can hold, then rename.
      const temp = `chat-new-${now}-${Math.random().toString(36).slice(2)}`;
      const { id } = await trx
        .insertInto("tasks")
        .values({
          ...columns,
          name: temp,
          next_due: nextDue,
          remaining: task.rrule?.count ?? null,
          state: "active",
          last_run: null,
          created_at: now,
          updated_at: now,
          owner: task.owner,
          owner_nick: task.ownerNick,
          quota_key: quota,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const row = await trx.updateTable("tasks").set({ name: `chat-${id}` }).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
      return toChatTask(row);
      // PostgreSQL's READ COMMITTED lets two adds count the same rows: one lock per quota makes the count hold.
    }, { exclusive: `chat-quota:${task.bot}:${quota}` });
  }

  async find(bot: string, ref: string): Promise<ChatTask | undefined> {
    const id = /^#?(\d{1,15})$/.exec(ref.trim());
    let query = this.#db.selectFrom("tasks").selectAll().where("bot", "=", bot);
    query = id ? query.where("id", "=", Number(id[1])) : query.where("name", "=", ref.trim());
    const row = await query.executeTakeFirst();
    return row && toChatTask(row);
  }

  owned(bot: string, owner: string, limit: number, offset: number): Promise<ChatPage> {
    return this.#page(this.#activeOf(bot).where("owner", "=", owner), limit, offset);
  }

  active(bot: string, limit: number, offset: number): Promise<ChatPage> {
    return this.#page(this.#activeOf(bot), limit, offset);
  }

  async setPaused(taskId: number, paused: boolean, nextDue: number | null, now: number): Promise<boolean> {
    return this.#dialect.write(this.#db, async (trx) => {
      const r = await trx
        .updateTable("tasks")
        .set({ paused: paused ? 1 : 0, next_due: nextDue, updated_at: now })
        .where("id", "=", taskId)
        .where("state", "=", "active")
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    });
  }

  async cancel(taskId: number, now: number): Promise<boolean> {
    return this.#dialect.write(this.#db, async (trx) => {
      const r = await trx
        .updateTable("tasks")
        .set({ state: "retired", updated_at: now })
        .where("id", "=", taskId)
        .where("origin", "=", RUNTIME_ORIGIN)
        .where("state", "!=", "retired")
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    });
  }

  async recordRun(taskId: number, at: number, outcome: "ok" | "error", error?: string): Promise<void> {
    await this.#dialect.write(this.#db, async (trx) => {
      await trx.insertInto("runs").values({ task_id: taskId, due: at, fired: at, finished: at, outcome, error: error ?? null }).execute();
      await trx.updateTable("tasks").set({ last_run: at }).where("id", "=", taskId).execute();
    });
  }

  async lastFired(bot: string, owner: string): Promise<{ task: ChatTask; fired: number } | undefined> {
    const run = await this.#db
      .selectFrom("runs")
      .innerJoin("tasks", "tasks.id", "runs.task_id")
      .select(["runs.task_id", "runs.fired"])
      .where("tasks.bot", "=", bot)
      .where("tasks.owner", "=", owner)
      .where("runs.fired", "is not", null)
      .orderBy("runs.fired", "desc")
      .orderBy("runs.id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (!run || run.fired === null) return undefined;
    const row = await this.#db.selectFrom("tasks").selectAll().where("id", "=", run.task_id).executeTakeFirstOrThrow();
    return { task: toChatTask(row), fired: run.fired };
  }

  async runtime(bot?: string): Promise<ChatTask[]> {
    let query = this.#db.selectFrom("tasks").selectAll().where("origin", "=", RUNTIME_ORIGIN).where("state", "!=", "retired");
    if (bot !== undefined) query = query.where("bot", "=", bot);
    const rows = await query.orderBy("bot").orderBy("id").execute();
    return rows.map(toChatTask);
  }

  async list(filter: { bot?: string; includeRetired?: boolean } = {}): Promise<ChatTask[]> {
    let query = this.#db.selectFrom("tasks").selectAll();
    if (filter.bot !== undefined) query = query.where("bot", "=", filter.bot);
    if (!filter.includeRetired) query = query.where("state", "!=", "retired");
    const rows = await query.orderBy("bot").orderBy("ord").orderBy("id").execute();
    return rows.map(toChatTask);
  }

  async zone(bot: string, user: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom("user_zones").select("tz").where("bot", "=", bot).where("user_key", "=", user).executeTakeFirst();
    return row?.tz;
  }

  async setZone(bot: string, user: string, tz: string, now: number): Promise<void> {
    await this.#dialect.write(this.#db, async (trx) => {
      await trx
        .insertInto("user_zones")
        .values({ bot, user_key: user, tz, updated_at: now })
        .onConflict((oc) => oc.columns(["bot", "user_key"]).doUpdateSet({ tz, updated_at: now }))
        .execute();
    });
  }

  #activeOf(bot: string): TaskQuery {
    return this.#db.selectFrom("tasks").selectAll().where("bot", "=", bot).where("state", "=", "active");
  }

  async #page(query: TaskQuery, limit: number, offset: number): Promise<ChatPage> {
    const { n } = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const rows = await query
      .orderBy(sql`next_due is null`)
      .orderBy("next_due")
      .orderBy("id")
      .limit(limit)
      .offset(offset)
      .execute();
    return { tasks: rows.map(toChatTask), total: Number(n) };
  }
}

function toChatTask(row: TaskRow): ChatTask {
  return { ...toStoredTask(row), owner: row.owner, ownerNick: row.owner_nick, quotaKey: row.quota_key, paused: row.paused !== 0 };
}
