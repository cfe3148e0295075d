// Typed reads from a parsed TOML table that turn every mismatch into a
// ConfigIssue located at the offending key or value.
import { TomlDate } from "smol-toml";
import type { ConfigIssue, SourceLocation } from "./config-types.ts";
import { closestMatch } from "./closest-match.ts";
import { pathKey, type TomlLocations } from "./toml-locate.ts";

export type TomlPath = readonly (string | number)[];
export type TomlTable = Record<string, unknown>;

export function isTable(v: unknown): v is TomlTable {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The TOML name of a value's type, for "got …" in messages. */
export function tomlTypeName(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "float";
  if (typeof v === "bigint") return "integer";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  if (v instanceof TomlDate) {
    if (v.isDate()) return "local date";
    if (v.isTime()) return "local time";
    return v.isLocal() ? "local date-time" : "offset date-time";
  }
  if (v instanceof Date) return "date-time";
  return "table";
}

/** `'port'`, or `'rrule.freq'` inside a sub-table, for messages. */
function keyName(path: TomlPath, key: string, root: number): string {
  const rel = path.slice(root).filter((p) => typeof p === "string");
  return `'${[...rel, key].join(".")}'`;
}

export class FileChecker {
  readonly issues: ConfigIssue[] = [];

  /** How many leading path segments name the record itself (`task.2`), left out of key names in messages. */
  root = 0;

  constructor(
    readonly file: string,
    private readonly locs: TomlLocations,
  ) {}

  /** Issues in the order they appear in the file. */
  sortedIssues(): ConfigIssue[] {
    return [...this.issues].sort((a, b) => a.line - b.line || a.col - b.col);
  }

  error(at: SourceLocation, message: string): void {
    this.issues.push({ ...at, message });
  }

  /** Where a key was written; an unrecorded path falls back to its nearest recorded ancestor, then 1:1. */
  keyAt(path: TomlPath): SourceLocation {
    return this.lookup(path, "key");
  }

  valueAt(path: TomlPath): SourceLocation {
    return this.lookup(path, "value");
  }

  private lookup(path: TomlPath, which: "key" | "value"): SourceLocation {
    for (let n = path.length; n > 0; n--) {
      const loc = this.locs.get(pathKey(path.slice(0, n)));
      if (loc) return { file: this.file, ...(n === path.length ? loc[which] : loc.key) };
    }
    return { file: this.file, line: 1, col: 1 };
  }

  name(path: TomlPath, key: string): string {
    return keyName(path, key, this.root);
  }

  /** Reports every key of `table` not in `known`, suggesting the nearest known one. */
  unknownKeys(table: TomlTable, path: TomlPath, known: readonly string[], where: string): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const guess = closestMatch(key, known);
      const hint = guess
        ? `; did you mean '${guess}'?`
        : `; expected one of: ${known.join(", ")}`;
      this.error(this.keyAt([...path, key]), `unknown key '${key}'${where}${hint}`);
    }
  }

  missing(path: TomlPath, key: string, where: string): void {
    this.error(this.keyAt(path), `missing required key ${this.name(path, key)}${where}`);
  }

  /** Reports a value that does not fit; `expected` completes "'key' must be …". */
  wrong(path: TomlPath, key: string, expected: string, got: unknown): void {
    const shown = typeof got === "string" || typeof got === "number" ? describeValue(got) : tomlTypeName(got);
    this.error(this.valueAt([...path, key]), `${this.name(path, key)} must be ${expected}, got ${shown}`);
  }

  wrongType(path: TomlPath, key: string, expected: string, got: unknown): void {
    this.error(this.valueAt([...path, key]), `${this.name(path, key)} must be ${expected}, got ${tomlTypeName(got)}`);
  }

  string(
    table: TomlTable,
    path: TomlPath,
    key: string,
    opts: { required?: string; check?: (s: string) => string | undefined } = {},
  ): string | undefined {
    const v = table[key];
    if (v === undefined) {
      if (opts.required !== undefined) this.missing(path, key, opts.required);
      return undefined;
    }
    if (typeof v !== "string") {
      this.wrongType(path, key, "a string", v);
      return undefined;
    }
    const problem = opts.check?.(v);
    if (problem !== undefined) {
      this.error(this.valueAt([...path, key]), `${this.name(path, key)} ${problem}`);
      return undefined;
    }
    return v;
  }

  integer(table: TomlTable, path: TomlPath, key: string, min: number, max: number): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    const expected =
      max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      this.wrongType(path, key, expected, v);
      return undefined;
    }
    if (v < min || v > max) {
      this.wrong(path, key, expected, v);
      return undefined;
    }
    return v;
  }

  /** A number in `(min, max]` when `minExclusive`, else `[min, max]`. */
  number(
    table: TomlTable,
    path: TomlPath,
    key: string,
    range: { min: number; max?: number; minExclusive?: boolean },
  ): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    const lower = range.minExclusive ? `greater than ${range.min}` : `at least ${range.min}`;
    const expected = `a number ${lower}${range.max !== undefined ? ` and at most ${range.max}` : ""}`;
    if (typeof v !== "number" || Number.isNaN(v)) {
      this.wrongType(path, key, expected, v);
      return undefined;
    }
    const tooLow = range.minExclusive ? v <= range.min : v < range.min;
    if (tooLow || (range.max !== undefined && v > range.max)) {
      this.wrong(path, key, expected, v);
      return undefined;
    }
    return v;
  }

  boolean(table: TomlTable, path: TomlPath, key: string): boolean | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") {
      this.wrongType(path, key, "true or false", v);
      return undefined;
    }
    return v;
  }

  /** An array of strings, each checked; a bad element is reported at the element. */
  stringArray(
    table: TomlTable,
    path: TomlPath,
    key: string,
    what: string,
    check: (s: string) => string | undefined,
  ): string[] | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.wrongType(path, key, `an array of ${what}`, v);
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    v.forEach((item, i) => {
      const at = this.valueAt([...path, key, i]);
      if (typeof item !== "string") {
        this.error(at, `${this.name(path, key)} must be an array of ${what}, but item ${i + 1} is ${tomlTypeName(item)}`);
        ok = false;
        return;
      }
      const problem = check(item);
      if (problem !== undefined) {
        this.error(at, problem);
        ok = false;
        return;
      }
      out.push(item);
    });
    return ok ? out : undefined;
  }

  /** A sub-table; `undefined` when absent or (reported) not a table. */
  table(table: TomlTable, path: TomlPath, key: string): TomlTable | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) {
      this.wrongType(path, key, "a table", v);
      return undefined;
    }
    return v;
  }
}

function describeValue(v: string | number): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
