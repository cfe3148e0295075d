// Opens (creating if needed) the task store and brings its schema up to date:
// a SQLite file for a path, PostgreSQL for a postgres:// URL (see
// store-dialect.ts). Several processes may open one store at once: exactly
// one of them applies each migration.
import type { SqliteDriverName } from "../platform/sqlite-driver.ts";
import { KyselyTaskStore } from "./kysely-task-store.ts";
import { migrateStore, openStoreDatabase } from "./store-dialect.ts";
import { storeMigrationProvider } from "./store-migrations.ts";
import type { TaskStore } from "./store-types.ts";

export { BUSY_TIMEOUT_MS } from "./store-dialect.ts";
export const DEFAULT_HISTORY_LIMIT = 1000;
export const DEFAULT_PRUNE_EVERY = 100;

export interface OpenStoreOptions {
  /** SQLite only: which driver (default: the runtime's own). */
  driver?: SqliteDriverName;
  /** Runs kept per task (newest); default 1000. */
  historyLimit?: number;
  /** Prune a task's history every this many recorded runs; default 100. */
  pruneEvery?: number;
  /** PostgreSQL: where SESHET_DB_PASSWORD / PGPASSWORD are read (default process.env). */
  env?: Record<string, string | undefined>;
}

/** `location` is a SQLite file path or a `postgres://user@host:port/db` URL. */
export async function openStore(location: string, opts: OpenStoreOptions = {}): Promise<TaskStore> {
  return openKyselyStore(location, opts);
}

/** openStore with the concrete type, for tests, maintenance and the fleet, which need the kysely handle. */
export async function openKyselyStore(location: string, opts: OpenStoreOptions = {}): Promise<KyselyTaskStore> {
  const { db, dialect } = await openStoreDatabase(location, { driver: opts.driver, env: opts.env });
  try {
    await migrateStore(db, dialect, storeMigrationProvider(dialect));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyTaskStore(db, dialect, {
    historyLimit: opts.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    pruneEvery: opts.pruneEvery ?? DEFAULT_PRUNE_EVERY,
  });
}
