// bun:sqlite behind kysely. Imported only on Bun (see sqlite-driver.ts), so
// other runtimes never try to resolve the `bun:` scheme.
import { Database } from "bun:sqlite";
import type { Dialect } from "kysely";
import { BunSqliteDialect } from "kysely-bun-sqlite";

export function createBunSqliteDialect(path: string): Dialect {
  return new BunSqliteDialect({ database: new Database(path, { create: true }) });
}
