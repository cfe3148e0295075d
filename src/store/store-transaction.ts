// Write transactions that take SQLite's write lock up front (BEGIN IMMEDIATE).
// A deferred BEGIN that reads first and writes later can fail with
// SQLITE_BUSY without waiting when another process committed in between;
// taking the lock first makes busy_timeout apply, so bot processes sharing a
// file queue up instead of failing.
import { sql, type Kysely } from "kysely";

export async function immediateTransaction<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await work(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
    await sql`commit`.execute(conn);
    return result;
  });
}
