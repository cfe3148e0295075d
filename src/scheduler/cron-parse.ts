// Five-field cron expressions → the equivalent RRULE set, so cron tasks run on
// the same engine with the same wall-clock semantics as `rrule` tasks (a time
// in a spring-forward gap moves forward, an overlap fires once).
//
// Fields: minute hour day-of-month month day-of-week, each `*`, a number, a
// name (JAN-DEC, SUN-SAT), a range `a-b`, a step `*/n`, `a-b/n` or `a/n`
// (from a to the end), or a comma list of these; day-of-week 7 is Sunday.
// Vixie cron's rule: when both day fields are restricted (neither starts with
// `*`), a day matches when either does, which is two RRULEs (one per field).
import type { RuleParts, WeekdayNumber } from "./rule-parts.ts";
import { RuleError } from "./rule-parse.ts";

export class CronError extends RuleError {
  constructor(message: string) {
    super(message, "cron");
    this.name = "CronError";
  }
}

export interface CronSchedule {
  /** The expression as written (trimmed). */
  text: string;
  /** One rule, or two under the day-of-month / day-of-week OR rule. */
  rules: RuleParts[];
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];
const ORDINALS = ["1st", "2nd", "3rd", "4th", "5th"];
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
/** Longer than any sensible expression; refused before any work. */
const MAX_LENGTH = 200;

export function parseCron(input: string): CronSchedule {
  const text = input.trim();
  if (text.length > MAX_LENGTH) throw new CronError(`cron expression is ${text.length} characters long (at most ${MAX_LENGTH})`);
  let expr = text;
  if (text.startsWith("@")) {
    const macro = MACROS[text.toLowerCase()];
    if (macro === undefined) {
      throw new CronError(`unknown cron macro '${text}' (known: ${Object.keys(MACROS).join(", ")}; @reboot is not a schedule)`);
    }
    expr = macro;
  }
  const parts = expr.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(`cron expression must have 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}: "${text}"`);
  }
  const values = parts.map((p, i) => fieldValues(p, FIELDS[i]!, i));
  const [minutes, hours, monthDays, months, weekDays] = values as [number[], number[], number[], number[], number[]];
  const base: RuleParts = { freq: "daily", interval: 1, byhour: hours, byminute: minutes, bysecond: [0] };
  if (months.length < 12) base.bymonth = months;
  const days = [...new Set(weekDays.map((d) => ((d + 6) % 7) as WeekdayNumber))].sort((a, b) => a - b);
  const withDom: RuleParts = { ...base, bymonthday: monthDays };
  const withDow: RuleParts = { ...base, byweekday: days.map((day) => ({ day })) };
  if (!parts[2]!.startsWith("*") && !parts[4]!.startsWith("*")) return { text, rules: [withDom, withDow] };
  // Otherwise both fields must match (a starred field like `*/2` still restricts).
  const rule: RuleParts = { ...base };
  if (monthDays.length < 31) rule.bymonthday = monthDays;
  if (days.length < 7) rule.byweekday = withDow.byweekday!;
  const rules = [rule];
  return { text, rules };
}

function fieldValues(text: string, f: Field, index: number): number[] {
  const where = `cron field '${f.name}' (${ORDINALS[index]})`;
  const out = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") throw new CronError(`${where}: empty list item in '${text}'`);
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) throw new CronError(`${where}: '${item}' has more than one '/'`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,3}$/.test(stepText) || Number(stepText) < 1) throw new CronError(`${where}: step '${stepText}' must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = f.min;
      hi = f.name === "day-of-week" ? 6 : f.max;
    } else {
      const [a, b, more] = range!.split("-");
      if (more !== undefined) throw new CronError(`${where}: '${range}' is not a value or a range a-b`);
      lo = value(a!, f, where);
      hi = b === undefined ? (stepText !== undefined ? f.max : lo) : value(b, f, where);
      if (hi < lo) throw new CronError(`${where}: range '${range}' goes backwards (${lo} > ${hi})`);
    }
    for (let v = lo; v <= hi; v += step) out.add(f.name === "day-of-week" && v === 7 ? 0 : v);
  }
  return [...out].sort((a, b) => a - b);
}

function value(text: string, f: Field, where: string): number {
  const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return f.name === "month" ? named + 1 : named;
  if (!/^\d{1,4}$/.test(text)) {
    const names = f.names === undefined ? "" : ` or a name (${f.names[0]}-${f.names[f.names.length - 1]})`;
    throw new CronError(`${where}: '${text}' is not a number${names}`);
  }
  const n = Number(text);
  if (n < f.min || n > f.max) throw new CronError(`${where}: ${n} is out of range ${f.min}-${f.max}`);
  return n;
}
