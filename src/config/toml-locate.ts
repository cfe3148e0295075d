// smol-toml gives positions only for syntax errors, so validation errors need
// their own map from key path to where the key and its value were written.
// This scanner runs only on text smol-toml has already accepted, so it can
// stay lenient: it never reports errors, it only records positions.

export interface TextPosition {
  line: number;
  col: number;
}

/** Where a key and its value start. For a table header both are the header's `[`. */
export interface KeyLocation {
  key: TextPosition;
  value: TextPosition;
}

/** Path segments joined with `.`; array elements and `[[x]]` entries use their index: `task.2.rrule.freq`. */
export type TomlLocations = Map<string, KeyLocation>;

export function pathKey(path: readonly (string | number)[]): string {
  return path.join(".");
}

export function locateToml(text: string): TomlLocations {
  return new Scanner(text).run();
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  private readonly out: TomlLocations = new Map();
  /** Entries so far of each array of tables, keyed by its resolved path. */
  private readonly arrayTables = new Map<string, number>();

  constructor(private readonly s: string) {
    for (let i = 0; i < s.length; i++) if (s[i] === "\n") this.lineStarts.push(i + 1);
  }

  run(): TomlLocations {
    let table: (string | number)[] = [];
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.s.length) break;
      const at = this.pos;
      if (this.s.startsWith("[[", this.pos)) {
        this.pos += 2;
        const segs = this.keyPath().map((k) => k.name);
        this.pos = this.s.indexOf("]]", this.pos) + 2;
        table = this.resolveHeader(segs, true);
        this.record(table, at, at);
      } else if (this.s[this.pos] === "[") {
        this.pos += 1;
        const segs = this.keyPath().map((k) => k.name);
        this.pos = this.s.indexOf("]", this.pos) + 1;
        table = this.resolveHeader(segs, false);
        this.record(table, at, at);
      } else {
        this.keyValue(table);
      }
      this.skipToLineEnd();
      if (this.pos <= at) this.pos = at + 1; // never loop on text we fail to understand
    }
    return this.out;
  }

  /** A header path names the last entry of any array of tables it passes through. */
  private resolveHeader(segs: string[], isArray: boolean): (string | number)[] {
    const resolved: (string | number)[] = [];
    segs.forEach((seg, i) => {
      resolved.push(seg);
      const key = pathKey(resolved);
      const last = i === segs.length - 1;
      if (last && isArray) {
        const n = this.arrayTables.get(key) ?? 0;
        this.arrayTables.set(key, n + 1);
        resolved.push(n);
      } else {
        const n = this.arrayTables.get(key);
        if (n !== undefined) resolved.push(n - 1);
      }
    });
    return resolved;
  }

  private keyValue(table: (string | number)[]): void {
    const keys = this.keyPath();
    if (keys.length === 0) return;
    this.skipSpaces();
    if (this.s[this.pos] !== "=") return;
    this.pos += 1;
    this.skipSpaces();
    const path = [...table];
    keys.forEach((k, i) => {
      path.push(k.name);
      // Intermediate tables of a dotted key are "declared" at their own segment.
      if (i < keys.length - 1 && !this.out.has(pathKey(path))) this.record(path, k.at, k.at);
    });
    const lastKey = keys[keys.length - 1]!;
    this.record(path, lastKey.at, this.pos);
    this.value(path);
  }

  private value(path: (string | number)[]): void {
    const c = this.s[this.pos];
    if (c === "{") {
      this.pos += 1;
      for (;;) {
        this.skipBlank(true);
        if (this.pos >= this.s.length) return;
        if (this.s[this.pos] === "}") {
          this.pos += 1;
          return;
        }
        if (this.s[this.pos] === ",") {
          this.pos += 1;
          continue;
        }
        const before = this.pos;
        this.keyValue(path);
        if (this.pos === before) this.pos += 1;
      }
    }
    if (c === "[") {
      this.pos += 1;
      let index = 0;
      for (;;) {
        this.skipBlank(true);
        if (this.pos >= this.s.length) return;
        const ch = this.s[this.pos];
        if (ch === "]") {
          this.pos += 1;
          return;
        }
        if (ch === ",") {
          this.pos += 1;
          continue;
        }
        const elem = [...path, index++];
        this.record(elem, this.pos, this.pos);
        const before = this.pos;
        this.value(elem);
        if (this.pos === before) this.pos += 1;
      }
    }
    if (c === '"' || c === "'") {
      this.string();
      return;
    }
    // Numbers, booleans, dates (which may contain one space): up to a delimiter.
    while (this.pos < this.s.length && !",]}#\r\n".includes(this.s[this.pos]!)) this.pos += 1;
  }

  /** Consumes a string of any kind and returns its decoded-enough text (exact for keys). */
  private string(): string {
    const q = this.s[this.pos]!;
    const multi = this.s.startsWith(q + q + q, this.pos);
    if (multi) {
      const start = this.pos + 3;
      let i = start;
      for (;;) {
        const end = this.s.indexOf(q + q + q, i);
        if (end < 0) {
          this.pos = this.s.length;
          return this.s.slice(start);
        }
        if (q === '"' && isEscaped(this.s, end)) {
          i = end + 1;
          continue;
        }
        // Up to two quotes may sit right before the closing triple.
        let close = end;
        while (close < end + 2 && this.s[close + 3] === q) close += 1;
        this.pos = close + 3;
        return this.s.slice(start, close);
      }
    }
    const start = this.pos + 1;
    let i = start;
    let text = "";
    while (i < this.s.length && this.s[i] !== q && this.s[i] !== "\n") {
      if (q === '"' && this.s[i] === "\\") {
        const [decoded, len] = decodeEscape(this.s, i);
        text += decoded;
        i += len;
      } else {
        text += this.s[i];
        i += 1;
      }
    }
    this.pos = i + 1;
    return text;
  }

  private keyPath(): { name: string; at: number }[] {
    const keys: { name: string; at: number }[] = [];
    for (;;) {
      this.skipSpaces();
      const at = this.pos;
      const c = this.s[this.pos];
      if (c === '"' || c === "'") {
        keys.push({ name: this.string(), at });
      } else {
        while (this.pos < this.s.length && BARE_KEY.test(this.s[this.pos]!)) this.pos += 1;
        if (this.pos === at) return keys;
        keys.push({ name: this.s.slice(at, this.pos), at });
      }
      this.skipSpaces();
      if (this.s[this.pos] !== ".") return keys;
      this.pos += 1;
    }
  }

  private skipSpaces(): void {
    while (this.s[this.pos] === " " || this.s[this.pos] === "\t") this.pos += 1;
  }

  /** Whitespace, comments and (if asked) newlines. */
  private skipBlank(newlines: boolean): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === " " || c === "\t" || (newlines && (c === "\n" || c === "\r"))) this.pos += 1;
      else if (c === "#") while (this.pos < this.s.length && this.s[this.pos] !== "\n") this.pos += 1;
      else return;
    }
  }

  private skipToLineEnd(): void {
    this.skipBlank(false);
  }

  private record(path: readonly (string | number)[], keyAt: number, valueAt: number): void {
    this.out.set(pathKey(path), { key: this.position(keyAt), value: this.position(valueAt) });
  }

  private position(offset: number): TextPosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo]! + 1 };
  }
}

function isEscaped(s: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && s[i] === "\\"; i--) n += 1;
  return n % 2 === 1;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\x1b",
  '"': '"',
  "\\": "\\",
};

function decodeEscape(s: string, at: number): [string, number] {
  const c = s[at + 1] ?? "";
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, 2];
  const width = c === "u" ? 4 : c === "U" ? 8 : c === "x" ? 2 : 0;
  if (width > 0) {
    const code = Number.parseInt(s.slice(at + 2, at + 2 + width), 16);
    return [Number.isNaN(code) ? "" : String.fromCodePoint(code), 2 + width];
  }
  return [c, 2];
}
