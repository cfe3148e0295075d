// node:sqlite (Node 22.5+, Deno, Bun) behind kysely's SqliteDialect, which
// expects a better-sqlite3-shaped database: this adapts DatabaseSync to it.
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { SqliteDialect, type Dialect, type SqliteDatabase, type SqliteStatement } from "kysely";

// Kysely prepares every query it runs; the store repeats a handful of
// statements thousands of times during a sync, so keep them prepared.
const STATEMENT_CACHE_SIZE = 256;

class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, SqliteStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  close(): void {
    this.#cache.clear();
    this.#db.close();
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#cache.get(sql);
    if (cached) return cached;
    const statement = adaptStatement(this.#db.prepare(sql));
    if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(sql, statement);
    return statement;
  }
}

function adaptStatement(stmt: StatementSync): SqliteStatement {
  const params = (p: ReadonlyArray<unknown>) => p as SQLInputValue[];
  return {
    // A statement that yields columns (SELECT, PRAGMA, … RETURNING) is read with all().
    reader: stmt.columns().length > 0,
    all: (p) => stmt.all(...params(p)),
    run: (p) => {
      const { changes, lastInsertRowid } = stmt.run(...params(p));
      return { changes, lastInsertRowid };
    },
    iterate: (p) => stmt.iterate(...params(p)) as IterableIterator<unknown>,
  };
}

export function createNodeSqliteDialect(path: string): Dialect {
  return new SqliteDialect({ database: new NodeSqliteDatabase(new DatabaseSync(path)) });
}
