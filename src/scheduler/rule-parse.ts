// RRULE parts from a task's TOML table or an RFC 5545 string, validated with
// errors that name the offending part so config validation can locate it.
import type { Freq, RuleParts, Until, WeekdayNumber, WeekdaySpec } from "./rule-parts.ts";
import { formatLocal, localFromFloating, parseLocal } from "./zoned-time.ts";

export class RuleError extends Error {
  key: string | undefined;
  constructor(message: string, key?: string) {
    super(message);
    this.name = "RuleError";
    this.key = key;
  }
}

const FREQS: readonly Freq[] = ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"];
const DAY_NAMES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/**
 * Valid keys. `byday` is accepted as an alias of `byweekday` because RFC 5545
 * (and the string form) calls the part BYDAY; giving both is an error.
 */
const KEYS = [
  "freq", "interval", "count", "until", "bysetpos", "bymonth", "bymonthday", "byyearday",
  "byweekno", "byweekday", "byhour", "byminute", "bysecond", "wkst",
] as const;
const ALIASES: Record<string, string> = { byday: "byweekday" };
/** Every part name a rule table or string may use (the task file keys table lists the same). */
export const RULE_PART_NAMES: readonly string[] = [...KEYS, ...Object.keys(ALIASES)];

type IntKey = "bysetpos" | "bymonth" | "bymonthday" | "byyearday" | "byweekno" | "byhour" | "byminute" | "bysecond";
const INT_RANGES: Record<IntKey, { min: number; max: number; nonzero: boolean; text: string }> = {
  bysetpos: { min: -366, max: 366, nonzero: true, text: "-366..-1 or 1..366" },
  bymonth: { min: 1, max: 12, nonzero: false, text: "1..12" },
  bymonthday: { min: -31, max: 31, nonzero: true, text: "-31..-1 or 1..31" },
  byyearday: { min: -366, max: 366, nonzero: true, text: "-366..-1 or 1..366" },
  byweekno: { min: -53, max: 53, nonzero: true, text: "-53..-1 or 1..53" },
  byhour: { min: 0, max: 23, nonzero: false, text: "0..23" },
  byminute: { min: 0, max: 59, nonzero: false, text: "0..59" },
  bysecond: { min: 0, max: 59, nonzero: false, text: "0..59" },
};

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function closestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of [...KEYS, ...Object.keys(ALIASES)]) {
    const d = levenshtein(key, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function describe(v: unknown): string {
  return typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v);
}

function toInt(key: string, v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && /^[+-]?\d+$/.test(v.trim())) return Number(v.trim());
  throw new RuleError(`rrule part '${key}' must be an integer, got ${describe(v)}`, key);
}

function intList(key: IntKey, v: unknown): number[] {
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [v];
  if (items.length === 0) throw new RuleError(`rrule part '${key}' must not be empty`, key);
  const r = INT_RANGES[key];
  const out: number[] = [];
  for (const item of items) {
    const n = toInt(key, item);
    if (n < r.min || n > r.max || (r.nonzero && n === 0)) {
      throw new RuleError(`rrule part '${key}' value ${n} is out of range (allowed: ${r.text})`, key);
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function weekdayNumber(key: string, text: string): WeekdayNumber {
  const i = DAY_NAMES.indexOf(text.toUpperCase() as (typeof DAY_NAMES)[number]);
  if (i < 0) throw new RuleError(`rrule part '${key}' has unknown weekday '${text}' (allowed: MO TU WE TH FR SA SU)`, key);
  return i as WeekdayNumber;
}

const WEEKDAY_RE = /^([+-]?\d{1,2})?([A-Za-z]{2})$/;

function weekdayList(key: string, v: unknown): WeekdaySpec[] {
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [v];
  if (items.length === 0) throw new RuleError(`rrule part '${key}' must not be empty`, key);
  const out: WeekdaySpec[] = [];
  for (const item of items) {
    const m = typeof item === "string" ? WEEKDAY_RE.exec(item.trim()) : null;
    if (m === null) {
      throw new RuleError(`rrule part '${key}' has invalid weekday ${describe(item)} (allowed: MO..SU, optionally prefixed by +N/-N, e.g. "+1MO", "-1FR")`, key);
    }
    const day = weekdayNumber(key, m[2]!);
    const spec: WeekdaySpec = { day };
    if (m[1] !== undefined) {
      const n = Number(m[1]);
      if (n === 0 || n < -53 || n > 53) throw new RuleError(`rrule part '${key}' weekday '${String(item)}' has ordinal ${n} out of range (allowed: -53..-1 or 1..53)`, key);
      spec.n = n;
    }
    if (!out.some((o) => o.day === spec.day && o.n === spec.n)) out.push(spec);
  }
  return out;
}

const LOCAL_ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const OFFSET_ISO_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const BASIC_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/i;

interface TomlDateLike {
  isLocal(): boolean;
  isDateTime(): boolean;
  isDate(): boolean;
  toISOString(): string;
  getTime(): number;
}

function isTomlDate(v: unknown): v is TomlDateLike {
  return v instanceof Date && typeof (v as unknown as TomlDateLike).isLocal === "function";
}

function localUntil(text: string): Until {
  const l = parseLocal(text.replace(" ", "T").replace(/\.\d+$/, ""));
  if (l === null) throw new RuleError(`rrule part 'until' has an invalid date-time '${text}'`, "until");
  return { local: formatLocal(l) };
}

export function parseUntil(v: unknown): Until {
  if (isTomlDate(v)) {
    if (!v.isDate() && !v.isDateTime()) throw new RuleError("rrule part 'until' must be a date or date-time, not a time", "until");
    if (v.isLocal()) return localUntil(v.toISOString().slice(0, v.isDate() ? 10 : 19));
    return { instant: v.getTime() };
  }
  if (v instanceof Date) return { instant: v.getTime() };
  if (typeof v === "string") {
    const s = v.trim();
    if (OFFSET_ISO_RE.test(s)) {
      const t = Date.parse(s.replace(" ", "T"));
      if (!Number.isNaN(t)) return { instant: t };
    }
    if (LOCAL_ISO_RE.test(s)) return localUntil(s);
    const m = BASIC_RE.exec(s);
    if (m !== null) {
      const text = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}`;
      const l = localUntil(text);
      if (m[7] === undefined) return l;
      const p = parseLocal(text)!;
      return { instant: Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) };
    }
  }
  throw new RuleError(`rrule part 'until' must be a date-time such as 2027-06-30T00:00:00 (local) or 2027-06-30T00:00:00Z, got ${describe(v)}`, "until");
}

function canonicalKey(rawKey: string): string {
  const key = rawKey.toLowerCase();
  if ((KEYS as readonly string[]).includes(key)) return key;
  const alias = ALIASES[key];
  if (alias !== undefined) return alias;
  const hint = closestKey(key);
  throw new RuleError(`unknown rrule part '${rawKey}'${hint === undefined ? "" : `; did you mean '${hint}'?`} (valid: ${KEYS.join(", ")})`, rawKey);
}

function buildParts(entries: [string, unknown][], keyName: (k: string) => string): RuleParts {
  const seen = new Map<string, string>();
  const vals = new Map<string, unknown>();
  for (const [rawKey, value] of entries) {
    const key = canonicalKey(rawKey);
    const prior = seen.get(key);
    if (prior !== undefined) throw new RuleError(`rrule part '${keyName(rawKey)}' given twice (also as '${keyName(prior)}')`, key);
    seen.set(key, rawKey);
    vals.set(key, value);
  }
  const freqV = vals.get("freq");
  if (freqV === undefined) throw new RuleError(`rrule needs 'freq' (one of ${FREQS.join(", ")})`, "freq");
  const freq = typeof freqV === "string" ? (freqV.trim().toLowerCase() as Freq) : undefined;
  if (freq === undefined || !FREQS.includes(freq)) throw new RuleError(`rrule part 'freq' must be one of ${FREQS.join(", ")}, got ${describe(freqV)}`, "freq");
  const parts: RuleParts = { freq, interval: 1 };
  for (const [key, v] of vals) {
    switch (key) {
      case "freq":
        break;
      case "interval": {
        const n = toInt(key, v);
        if (n < 1) throw new RuleError(`rrule part 'interval' must be at least 1, got ${n}`, key);
        parts.interval = n;
        break;
      }
      case "count": {
        const n = toInt(key, v);
        if (n < 1) throw new RuleError(`rrule part 'count' must be at least 1, got ${n}`, key);
        parts.count = n;
        break;
      }
      case "until":
        parts.until = parseUntil(v);
        break;
      case "byweekday":
        parts.byweekday = weekdayList(seen.get(key) === "byday" ? "byday" : key, v);
        break;
      case "wkst":
        if (typeof v !== "string") throw new RuleError(`rrule part 'wkst' must be a weekday such as "MO", got ${describe(v)}`, key);
        parts.wkst = weekdayNumber(key, v.trim());
        break;
      default:
        parts[key as IntKey] = intList(key as IntKey, v);
    }
  }
  if (parts.count !== undefined && parts.until !== undefined) {
    throw new RuleError("rrule parts 'count' and 'until' cannot both be given (RFC 5545): keep one", "until");
  }
  return parts;
}

export function parseRuleTable(table: Record<string, unknown>): RuleParts {
  if (table === null || typeof table !== "object" || Array.isArray(table)) {
    throw new RuleError("rrule must be a table such as { freq = \"daily\", byhour = [9] } or an RRULE string", undefined);
  }
  return buildParts(Object.entries(table), (k) => k);
}

export function parseRuleString(text: string): RuleParts {
  let s = text.trim();
  if (/^rrule:/i.test(s)) s = s.slice(6);
  const entries: [string, unknown][] = [];
  for (const piece of s.split(";")) {
    if (piece.trim() === "") continue;
    const eq = piece.indexOf("=");
    if (eq <= 0) throw new RuleError(`rrule part '${piece.trim()}' is not NAME=VALUE`, undefined);
    const name = piece.slice(0, eq).trim().toLowerCase();
    const value = piece.slice(eq + 1).trim();
    entries.push([name, value]);
  }
  return buildParts(entries, (k) => k.toUpperCase());
}

function formatUntil(u: Until): string {
  if ("local" in u) return u.local.replace(/[-:]/g, "");
  const l = localFromFloating(Math.floor(u.instant / 1000) * 1000);
  return `${formatLocal(l).replace(/[-:]/g, "")}Z`;
}

export function formatRuleString(parts: RuleParts): string {
  const out = [`FREQ=${parts.freq.toUpperCase()}`];
  if (parts.interval !== 1) out.push(`INTERVAL=${parts.interval}`);
  if (parts.wkst !== undefined) out.push(`WKST=${DAY_NAMES[parts.wkst]}`);
  if (parts.count !== undefined) out.push(`COUNT=${parts.count}`);
  if (parts.until !== undefined) out.push(`UNTIL=${formatUntil(parts.until)}`);
  const lists: [string, number[] | undefined][] = [
    ["BYSETPOS", parts.bysetpos], ["BYMONTH", parts.bymonth], ["BYMONTHDAY", parts.bymonthday],
    ["BYYEARDAY", parts.byyearday], ["BYWEEKNO", parts.byweekno],
  ];
  for (const [name, v] of lists) if (v !== undefined && v.length > 0) out.push(`${name}=${v.join(",")}`);
  if (parts.byweekday !== undefined && parts.byweekday.length > 0) {
    out.push(`BYDAY=${parts.byweekday.map((w) => `${w.n === undefined ? "" : w.n > 0 ? `+${w.n}` : String(w.n)}${DAY_NAMES[w.day]}`).join(",")}`);
  }
  for (const [name, v] of [["BYHOUR", parts.byhour], ["BYMINUTE", parts.byminute], ["BYSECOND", parts.bysecond]] as const) {
    if (v !== undefined && v.length > 0) out.push(`${name}=${v.join(",")}`);
  }
  return out.join(";");
}
