// Migrations as code: a compiled binary has no migration folder to read.
// Names sort in the order they apply; never edit one that has shipped.
// The same migrations serve SQLite and PostgreSQL: the few column types that
// differ come from the store dialect (on SQLite they are exactly the types
// 0001 shipped with).
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { StoreDialect } from "./store-dialect.ts";

type MigrationTypes = Pick<StoreDialect, "types" | "autoIncrement">;

export function storeMigrations(dialect: MigrationTypes): Record<string, Migration> {
  return {
    "0001-tasks-and-runs": { up: (db: Kysely<any>) => tasksAndRuns(db, dialect) },
    "0002-fleet": { up: (db: Kysely<any>) => fleet(db, dialect) },
    "0003-chat-scheduling": { up: (db: Kysely<any>) => chatScheduling(db, dialect) },
    "0004-schedule-extras": { up: (db: Kysely<any>) => scheduleExtras(db) },
    "0005-chat-quota-key": { up: (db: Kysely<any>) => chatQuotaKey(db) },
    "0006-chat-every-prefix": { up: (db: Kysely<any>) => chatEveryPrefix(db) },
  };
}

async function tasksAndRuns(db: Kysely<any>, dialect: MigrationTypes): Promise<void> {
  await tasksTable(db, dialect);
  await runsTable(db, dialect);
}

async function tasksTable(db: Kysely<any>, dialect: MigrationTypes): Promise<void> {
  const { serialId, epochMs } = dialect.types;
  await db.schema
    .createTable("tasks")
    .addColumn("id", serialId, primaryKey(dialect))
    .addColumn("bot", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("func", "text", (c) => c.notNull())
    .addColumn("args", "text", (c) => c.notNull())
    .addColumn("kwargs", "text", (c) => c.notNull())
    .addColumn("rrule", "text")
    .addColumn("tz", "text", (c) => c.notNull())
    .addColumn("start", "text", (c) => c.notNull())
    .addColumn("catchup", "text", (c) => c.notNull())
    .addColumn("remaining", "integer")
    .addColumn("next_due", epochMs)
    .addColumn("last_run", epochMs)
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('active', 'retired', 'done')`))
    .addColumn("ord", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("created_at", epochMs, (c) => c.notNull())
    .addColumn("updated_at", epochMs, (c) => c.notNull())
    .addUniqueConstraint("tasks_bot_name", ["bot", "name"])
    .execute();
  await db.schema.createIndex("tasks_bot_state").on("tasks").columns(["bot", "state"]).execute();
}

async function runsTable(db: Kysely<any>, dialect: MigrationTypes): Promise<void> {
  const { serialId, idRef, epochMs } = dialect.types;
  await db.schema
    .createTable("runs")
    .addColumn("id", serialId, primaryKey(dialect))
    .addColumn("task_id", idRef, (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("due", epochMs, (c) => c.notNull())
    .addColumn("fired", epochMs)
    .addColumn("finished", epochMs)
    .addColumn("outcome", "text", (c) =>
      c.notNull().check(sql`outcome in ('started', 'ok', 'error', 'skipped', 'interrupted')`),
    )
    .addColumn("error", "text")
    .execute();
  await db.schema.createIndex("runs_task_due").on("runs").columns(["task_id", "due"]).execute();
  // Startup looks for runs a dead process left "started"; keep that cheap
  // however long the history grows.
  await db.schema
    .createIndex("runs_started")
    .on("runs")
    .column("task_id")
    .where(sql.ref("outcome"), "=", "started")
    .execute();
}

async function fleet(db: Kysely<any>, dialect: MigrationTypes): Promise<void> {
  const { epochMs } = dialect.types;
  // Several hosts sharing one store: each bot runs on the host holding its lease.
  await db.schema
    .createTable("bot_leases")
    .addColumn("bot", "text", (c) => c.primaryKey())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("expires_at", epochMs, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("hosts")
    .addColumn("host", "text", (c) => c.primaryKey())
    .addColumn("seen_at", epochMs, (c) => c.notNull())
    .execute();
  // Bumped by every sync, so hosts that did not sync notice and rebuild.
  await db.schema
    .createTable("store_meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", epochMs, (c) => c.notNull())
    .execute();
  await db.insertInto("store_meta").values({ key: "version", value: 0 }).execute();
}

async function chatScheduling(db: Kysely<any>, dialect: MigrationTypes): Promise<void> {
  const { epochMs } = dialect.types;
  // Tasks made from IRC belong to someone: the services account
  // ("account:NAME") or, unidentified, the nick ("nick:name"). One
  // column per ALTER: SQLite adds a single column per statement.
  await db.schema.alterTable("tasks").addColumn("owner", "text").execute();
  await db.schema.alterTable("tasks").addColumn("owner_nick", "text").execute();
  // Paused tasks keep their state but leave the queue; sync never writes this column,
  // so a paused file task stays paused across reloads and restarts.
  await db.schema.alterTable("tasks").addColumn("paused", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // `!tasks mine` and the per-user quota look tasks up by owner.
  await db.schema.createIndex("tasks_bot_owner").on("tasks").columns(["bot", "owner", "state"]).execute();
  await db.schema
    .createTable("user_zones")
    .addColumn("bot", "text", (c) => c.notNull())
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("tz", "text", (c) => c.notNull())
    .addColumn("updated_at", epochMs, (c) => c.notNull())
    .addPrimaryKeyConstraint("user_zones_pk", ["bot", "user_key"])
    .execute();
}

async function scheduleExtras(db: Kysely<any>): Promise<void> {
  // cron, exdate, rdate, a reminder's offset and late_after, as JSON; null for plain rules.
  await db.schema.alterTable("tasks").addColumn("extras", "text").execute();
}

async function chatQuotaKey(db: Kysely<any>): Promise<void> {
  // Whose quota a task made from IRC counts against: the account, else the
  // host. The owner of an unidentified user is their nick, and a new nick must
  // not bring a new quota.
  await db.schema.alterTable("tasks").addColumn("quota_key", "text").execute();
  await db.schema.createIndex("tasks_bot_quota").on("tasks").columns(["bot", "quota_key", "state"]).execute();
}

async function chatEveryPrefix(db: Kysely<any>): Promise<void> {
  // `!every` tasks made before this migration said their text alone at the start of a
  // line (`!op mallory` included); they now say `[#ID] TEXT` as new ones do
  // (core:every, same arguments). Only tasks made in chat: named chat-ID, owned.
  await db
    .updateTable("tasks")
    .set({ func: "core:every" })
    .where("func", "=", "core:say")
    .where("origin", "=", "runtime")
    .where("owner", "is not", null)
    .where("name", "like", "chat-%")
    .execute();
}

function primaryKey(dialect: MigrationTypes): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (c) => (dialect.autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey());
}

export function storeMigrationProvider(dialect: MigrationTypes): MigrationProvider {
  const migrations = storeMigrations(dialect);
  return { getMigrations: async () => migrations };
}
