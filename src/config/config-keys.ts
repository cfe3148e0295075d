// The declarative description of a TOML file's keys: which keys exist, what
// each holds (type, range, choices, required) and what it means. The
// validators take their known-key lists, ranges and choices from these
// tables, and `seshet schema` turns the same tables into JSON Schema
// (config-schema.ts), so a key the validator accepts is a key editors know.

/** What a key's value must be; the validator adds the checks a schema cannot express. */
export type ValueKind =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "strings" // an array of strings
  | "array" // an array of anything (plain data)
  | "data" // a table of plain data
  | "secret" // { env = "NAME" }
  | "local-date-time" // 2026-11-30T09:55:00, or a local date (midnight)
  | "local-date-times" // an array of local date-times or local dates
  | "duration" // "15m", "1h30m", "2d"
  | "durations" // an array of durations (items may also be tables: itemTable)
  | "integers" // an integer or an array of integers
  | "table"; // a sub-table with its own keys

export interface KeySpec {
  kind: ValueKind;
  doc: string;
  required?: boolean;
  /** Inclusive bounds; `minExclusive` makes `min` exclusive. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  /** The allowed strings; `caseInsensitive` for values read without regard to case. */
  choices?: readonly string[];
  caseInsensitive?: boolean;
  /** A JavaScript-and-JSON-Schema regular expression the string matches. */
  pattern?: string;
  maxItems?: number;
  default?: string | number | boolean | readonly string[];
  /** For `table`: its keys. */
  keys?: KeyTable;
  /** For `table`: keys are read without regard to case (rrule parts). */
  caseInsensitiveKeys?: boolean;
  /** Other forms the value may take besides `kind` (e.g. an rrule string or table). */
  alternatives?: readonly KeySpec[];
  /** For arrays whose items are either of `kind`'s item or a table of these keys. */
  itemTable?: KeyTable;
}

export type KeyTable = Readonly<Record<string, KeySpec>>;

/** The keys a table may hold, for the validator's unknown-key check. */
export function keysOf(table: KeyTable): string[] {
  return Object.keys(table);
}

/** The sub-table spec of a `table` key. */
export function subKeys(table: KeyTable, key: string): KeyTable {
  const keys = table[key]?.keys;
  if (!keys) throw new Error(`no sub-table spec for '${key}'`);
  return keys;
}

/** `[min, max]` of an integer key, for FileChecker.integer. */
export function intRange(spec: KeySpec | undefined): [number, number] {
  return [spec?.min ?? 0, spec?.max ?? Number.MAX_SAFE_INTEGER];
}

/** The range of a number key, for FileChecker.number. */
export function numRange(spec: KeySpec | undefined): { min: number; max?: number; minExclusive?: boolean } {
  return { min: spec?.min ?? 0, ...(spec?.max !== undefined ? { max: spec.max } : {}), ...(spec?.minExclusive ? { minExclusive: true } : {}) };
}

/** A check for FileChecker.string: one of the key's choices. */
export function choiceProblem(spec: KeySpec | undefined): (s: string) => string | undefined {
  const choices = spec?.choices ?? [];
  const norm = (s: string) => (spec?.caseInsensitive ? s.toLowerCase() : s);
  return (s) => {
    if (choices.some((c) => norm(c) === norm(s))) return undefined;
    const list = choices.map((c) => `"${c}"`);
    const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list.join("");
    return `must be ${text}, got "${s}"`;
  };
}
