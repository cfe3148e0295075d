// Opens (creating if needed) the SQLite task store and brings its schema up
// to date. Several processes may open one file at once: the migrations run
// under the write lock, so exactly one of them applies each migration.
import { Kysely, Migrator, sql } from "kysely";
import { createSqliteDialect, type SqliteDriverName } from "../platform/sqlite-driver.ts";
import { SqliteTaskStore } from "./sqlite-task-store.ts";
import { storeMigrationProvider } from "./store-migrations.ts";
import type { StoreDatabase } from "./store-schema.ts";
import type { TaskStore } from "./store-types.ts";

export const DEFAULT_HISTORY_LIMIT = 1000;
export const DEFAULT_PRUNE_EVERY = 100;
/** How long a writer waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenStoreOptions {
  driver?: SqliteDriverName;
  /** Runs kept per task (newest); default 1000. */
  historyLimit?: number;
  /** Prune a task's history every this many recorded runs; default 100. */
  pruneEvery?: number;
}

export async function openStore(path: string, opts: OpenStoreOptions = {}): Promise<TaskStore> {
  return openSqliteStore(path, opts);
}

/** openStore with the concrete type, for tests and maintenance that need the kysely handle. */
export async function openSqliteStore(path: string, opts: OpenStoreOptions = {}): Promise<SqliteTaskStore> {
  const db = new Kysely<StoreDatabase>({ dialect: createSqliteDialect(path, { driver: opts.driver }) });
  try {
    // busy_timeout first: switching to WAL itself may wait for another process.
    await sql.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
    await sql`pragma journal_mode = wal`.execute(db);
    await sql`pragma synchronous = normal`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqliteTaskStore(db, {
    historyLimit: opts.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    pruneEvery: opts.pruneEvery ?? DEFAULT_PRUNE_EVERY,
  });
}

async function migrate(db: Kysely<StoreDatabase>): Promise<void> {
  // The SQLite dialect is one connection, so the migrator's statements run
  // inside this transaction; SQLite's DDL is transactional, so a failed
  // migration leaves nothing behind.
  await sql`begin immediate`.execute(db);
  const { error } = await new Migrator({ db, provider: storeMigrationProvider }).migrateToLatest();
  if (error) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw new Error(`store migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  await sql`commit`.execute(db);
}
