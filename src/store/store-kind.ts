// Which store a `--db` value names, apart from the dialects themselves: the
// supervisor asks this without loading kysely or a driver.
export type StoreKind = "sqlite" | "postgres";

/** `postgres://` or `postgresql://` selects PostgreSQL; anything else is a SQLite file path. */
export function storeKindOf(location: string): StoreKind {
  return /^postgres(ql)?:\/\//i.test(location) ? "postgres" : "sqlite";
}
