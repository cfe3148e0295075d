// The runtime switch for SQLite: bun:sqlite on Bun, node:sqlite elsewhere.
// Each driver's module is imported only when chosen: Deno and Node never see
// the `bun:` scheme, and a bot on Bun never loads node:sqlite.
import type { Dialect } from "kysely";
import { runtime } from "./runtime.ts";

export type SqliteDriverName = "bun" | "node";

export function defaultSqliteDriver(): SqliteDriverName {
  return runtime === "bun" ? "bun" : "node";
}

export async function createSqliteDialect(path: string, opts?: { driver?: SqliteDriverName }): Promise<Dialect> {
  const driver = opts?.driver ?? defaultSqliteDriver();
  if (driver === "bun") {
    if (runtime !== "bun") throw new Error("the bun SQLite driver needs the Bun runtime");
    return (await import("./sqlite-bun.ts")).createBunSqliteDialect(path);
  }
  return (await import("./sqlite-node.ts")).createNodeSqliteDialect(path);
}
