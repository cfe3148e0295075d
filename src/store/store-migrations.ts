// Migrations as code: a compiled binary has no migration folder to read.
// Names sort in the order they apply; never edit one that has shipped.
import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";

export const storeMigrations: Record<string, Migration> = {
  "0001-tasks-and-runs": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("tasks")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
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
        .addColumn("next_due", "integer")
        .addColumn("last_run", "integer")
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('active', 'retired', 'done')`))
        .addColumn("ord", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("updated_at", "integer", (c) => c.notNull())
        .addUniqueConstraint("tasks_bot_name", ["bot", "name"])
        .execute();
      await db.schema.createIndex("tasks_bot_state").on("tasks").columns(["bot", "state"]).execute();

      await db.schema
        .createTable("runs")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
        .addColumn("due", "integer", (c) => c.notNull())
        .addColumn("fired", "integer")
        .addColumn("finished", "integer")
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
    },
  },
};

export const storeMigrationProvider: MigrationProvider = {
  getMigrations: async () => storeMigrations,
};
