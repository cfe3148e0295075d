// The runtime switch for SQLite: bun:sqlite on Bun, node:sqlite elsewhere.
// bun:sqlite is loaded with a dynamic import so that Deno and Node never see
// the `bun:` scheme.
import type { Dialect } from "kysely";
import { runtime } from "./runtime.ts";
import { createNodeSqliteDialect } from "./sqlite-node.ts";

export type SqliteDriverName = "bun" | "node";

const onBun = runtime === "bun";
const bunSqlite = onBun ? await import("./sqlite-bun.ts") : null;

export function defaultSqliteDriver(): SqliteDriverName {
  return onBun ? "bun" : "node";
}

export function createSqliteDialect(path: string, opts?: { driver?: SqliteDriverName }): Dialect {
  const driver = opts?.driver ?? defaultSqliteDriver();
  if (driver === "bun") {
    if (!bunSqlite) throw new Error("the bun SQLite driver needs the Bun runtime");
    return bunSqlite.createBunSqliteDialect(path);
  }
  return createNodeSqliteDialect(path);
}
