// The one place where SQLite and PostgreSQL differ for the store: which kysely
// dialect a `--db` value selects, the column types the migrations use, how a
// write transaction takes its lock, and the store's clock. Everything else
// (schema, migrations, queries) is shared.
import { Kysely, Migrator, PostgresDialect, sql, type ColumnDataType, type Dialect, type MigrationProvider } from "kysely";
import { open } from "node:fs/promises";
import { createSqliteDialect, type SqliteDriverName } from "../platform/sqlite-driver.ts";
import type { StoreDatabase } from "./store-schema.ts";
import { postgresTarget } from "./postgres-config.ts";
import { immediateTransaction } from "./store-transaction.ts";

import { storeKindOf, type StoreKind } from "./store-kind.ts";

export { storeKindOf, type StoreKind } from "./store-kind.ts";

/** How long a writer waits for another process's SQLite write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;
/** Connections each process keeps to PostgreSQL: a bot does one thing at a time. */
const PG_POOL_MAX = 4;
/** PostgreSQL's type id for int8 (bigint): epoch milliseconds and ids. */
const PG_INT8 = 20;

/** Column types that differ between the two databases; the migrations ask for these. */
export interface StoreColumnTypes {
  /** Auto-numbered primary key. */
  serialId: ColumnDataType;
  /** A column referencing such a key. */
  idRef: ColumnDataType;
  /** Epoch milliseconds (needs 64 bits). */
  epochMs: ColumnDataType;
}

export interface StoreDialect {
  kind: StoreKind;
  types: StoreColumnTypes;
  /** Whether the serial id needs kysely's autoIncrement() (SQLite) or is a serial type (PostgreSQL). */
  autoIncrement: boolean;
  /**
   * Runs `work` in one write transaction. `exclusive` names a lock that
   * serialises transactions of that kind across every process sharing the
   * store (sync: two hosts syncing at once must not both insert a task).
   */
  write<T>(db: Kysely<StoreDatabase>, work: (trx: Kysely<StoreDatabase>) => Promise<T>, opts?: { exclusive?: string }): Promise<T>;
  /** Epoch ms by the store's clock: leases compare times written by different hosts. */
  now(db: Kysely<StoreDatabase>): Promise<number>;
  /**
   * A counter that moves whenever another connection committed (SQLite's
   * `PRAGMA data_version`, read without touching a table), so polling for
   * changes costs next to nothing; absent where there is none.
   */
  commitCounter?(db: Kysely<StoreDatabase>): Promise<number>;
}

/** The location with any password removed, for logs. */
export function describeLocation(location: string): string {
  if (storeKindOf(location) === "sqlite") return location;
  try {
    const url = new URL(location);
    url.password = "";
    return url.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

const sqliteDialect: StoreDialect = {
  kind: "sqlite",
  types: { serialId: "integer", idRef: "integer", epochMs: "integer" },
  autoIncrement: true,
  // One connection and BEGIN IMMEDIATE: every write transaction already holds
  // the database's only write lock, so `exclusive` needs nothing more.
  write: (db, work) => immediateTransaction(db, work),
  now: async () => Date.now(),
  commitCounter: async (db) => {
    const r = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db);
    return Number(r.rows[0]?.data_version ?? 0);
  },
};

const postgresDialect: StoreDialect = {
  kind: "postgres",
  types: { serialId: "bigserial", idRef: "bigint", epochMs: "bigint" },
  autoIncrement: false,
  // READ COMMITTED is enough for the claims: `UPDATE … WHERE next_due = ?`
  // waits for a concurrent claim of the row and then re-checks the condition
  // against the committed row, so only one of two racing claims matches.
  write: (db, work, opts) =>
    db.transaction().execute(async (trx) => {
      if (opts?.exclusive !== undefined) await sql`select pg_advisory_xact_lock(hashtext(${"seshet:" + opts.exclusive}))`.execute(trx);
      return work(trx);
    }),
  now: async (db) => {
    const r = await sql<{ ms: number }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms`.execute(db);
    return Number(r.rows[0]!.ms);
  },
};

export interface OpenDatabaseOptions {
  /** SQLite only: which driver (default: the runtime's own). */
  driver?: SqliteDriverName;
  /** Where a PostgreSQL password comes from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** Opens the database behind `location` with its dialect, session settings applied; no migrations. */
export async function openStoreDatabase(
  location: string,
  opts: OpenDatabaseOptions = {},
): Promise<{ db: Kysely<StoreDatabase>; dialect: StoreDialect }> {
  if (storeKindOf(location) === "postgres") {
    // pg is loaded only here: a process on SQLite never evaluates the PostgreSQL driver.
    const { default: pgModule } = await import("pg");
    const db = new Kysely<StoreDatabase>({ dialect: createPostgresDialect(pgModule, location, opts.env ?? process.env) });
    return { db, dialect: postgresDialect };
  }
  await createPrivateFile(location);
  const db = new Kysely<StoreDatabase>({ dialect: await createSqliteDialect(location, { driver: opts.driver }) });
  try {
    // busy_timeout first: switching to WAL itself may wait for another process.
    await sql.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
    await sql`pragma journal_mode = wal`.execute(db);
    await sql`pragma synchronous = normal`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect: sqliteDialect };
}

/**
 * The store holds private-message text and task arguments: a new SQLite file
 * is created readable by its owner only (0600) before SQLite opens it, and
 * SQLite gives the `-wal` and `-shm` files it creates the main file's mode.
 * An existing file keeps the mode its owner gave it.
 */
async function createPrivateFile(location: string): Promise<void> {
  if (location === "" || location === ":memory:" || location.startsWith("file:")) return;
  let handle;
  try {
    handle = await open(location, "wx", 0o600);
  } catch (err) {
    if ((err as { code?: unknown }).code === "EEXIST") return;
    throw new Error(`cannot create the store ${location}: ${err instanceof Error ? err.message : String(err)}`);
  }
  await handle.close();
}

/** PostgreSQL through `pg`, with the settings postgresTarget derives from the URL. */
function createPostgresDialect(pg: typeof import("pg").default, location: string, env: Record<string, string | undefined>): Dialect {
  const target = postgresTarget(location, env);
  // Not `connectionString`: pg lets the URL's (absent) password override the
  // one given beside it, and would read parameters we refuse.
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    ...(target.password !== undefined ? { password: target.password } : {}),
    ssl: target.ssl,
    max: PG_POOL_MAX,
    // A dead server or network must surface as an error, not a hang.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: target.applicationName,
    // bigint columns (epoch ms, ids) come back as numbers, like SQLite's
    // integers; every value the store keeps is far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server dropped must not crash the process: an idle one
  // errors on the pool, one in use (a query in flight when PostgreSQL
  // restarts) on the client itself, besides rejecting that query. The query's
  // rejection is where the problem is handled; the pool discards the broken
  // client when it is released and connects afresh for the next query.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return new PostgresDialect({ pool });
}

/**
 * Brings the schema up to date. Several processes may do this at once: on
 * PostgreSQL kysely's Migrator takes an advisory lock and runs each migration
 * in a transaction; on SQLite the whole run happens under the write lock
 * (BEGIN IMMEDIATE on the one connection), SQLite's DDL being transactional.
 */
export async function migrateStore(db: Kysely<StoreDatabase>, dialect: StoreDialect, provider: MigrationProvider): Promise<void> {
  // 0003 and 0004 were written side by side and touch different columns; a
  // store that got 0004 first still takes 0003 (each runs once either way).
  const migrator = () => new Migrator({ db, provider, allowUnorderedMigrations: true });
  const fail = (error: unknown) =>
    new Error(`store migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  if (dialect.kind === "postgres") {
    const { error } = await migrator().migrateToLatest();
    if (error) throw fail(error);
    return;
  }
  await sql`begin immediate`.execute(db);
  const { error } = await migrator().migrateToLatest();
  if (error) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw fail(error);
  }
  await sql`commit`.execute(db);
}
