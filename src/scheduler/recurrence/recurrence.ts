// The recurrence engine: RuleParts + start + zone -> occurrences as instants.
//
// Expansion happens in "floating" time (wall time read as if UTC) with the
// semantics of python-dateutil's rrule, and only the final wall times are
// converted to instants. next() jumps straight to the period containing the
// target time instead of walking from `start`, so old starts cost nothing.
//
// Where we differ from dateutil (deliberately, per RFC 5545 §3.3.5):
// - A wall time in a spring-forward gap is read with the offset from before
//   the gap. Example: daily at 02:30 Europe/Berlin on 2026-03-29 fires at
//   2026-03-29T03:30:00+02:00 (01:30Z). dateutil with a dateutil.tz zone gives
//   02:30+02:00 = 00:30Z (an hour earlier); with a zoneinfo zone it agrees
//   with us on the instant but keeps 02:30 as the wall time.
// - dateutil yields occurrences in wall-time order, so an hourly rule crossing
//   a gap yields 02:00 (01:00Z) after 01:30 and then 03:00 (01:00Z) again; we
//   return instants in increasing order and two wall times that land on one
//   instant are one occurrence. `count` still counts the rule's wall-time
//   occurrences (as RFC 5545 and dateutil do) before duplicates collapse.
// - A rule that can never match (or matches less than once in ~400 years)
//   answers null; dateutil loops until year 9999 or raises.
import type { RuleParts } from "../rule-parts.ts";
import { RuleError } from "../rule-parse.ts";
import { MAX_YEAR } from "./compiled-rule.ts";
import { Expander } from "./expander.ts";
import { RuleRecurrence, untilBounds } from "./instants.ts";
import type { Recurrence, ScheduleSpec } from "./types.ts";

export type { Recurrence, ScheduleExtras, ScheduleSpec } from "./types.ts";
import type { ScheduleExtras } from "./types.ts";
import { parseCron } from "../cron-parse.ts";
import { MS_DAY } from "./calendar.ts";
import { RecurrenceSet, ShiftedRecurrence } from "./recurrence-set.ts";
import { floatingFromLocal, floatingToInstant, isValidTimeZone, parseLocal } from "../zoned-time.ts";

class OneShot implements Recurrence {
  constructor(
    private readonly at: number,
    private readonly wall: number,
  ) {}
  producesWall(w: number): boolean {
    return w === this.wall;
  }
  next(afterMs: number): number | null {
    return this.at > afterMs ? this.at : null;
  }
  take(afterMs: number, n: number): number[] {
    return n > 0 && this.at > afterMs ? [this.at] : [];
  }
  countBefore(ms: number): number {
    return this.at < ms ? 1 : 0;
  }
}

export function compileSchedule(spec: ScheduleSpec): Recurrence {
  const base = compileBase(spec);
  const x = spec.extras;
  if (x === undefined) return base;
  const needsSet = x.cron !== undefined || (x.exdate?.length ?? 0) > 0 || (x.rdate?.length ?? 0) > 0;
  const rec = needsSet ? compileSet(spec, x, base) : base;
  return x.before ? new ShiftedRecurrence(rec, x.before) : rec;
}

/** The rules of a cron expression, or the task's own rule (or one-shot). */
function compileSet(spec: ScheduleSpec, x: ScheduleExtras, base: Recurrence): Recurrence {
  const rules = x.cron === undefined ? [base] : parseCron(x.cron).rules.map((rule) => compileBase({ ...spec, rule }));
  const wall = (text: string, key: string): number => {
    const l = parseLocal(text);
    if (l === null) throw new RuleError(`invalid ${key} '${text}' (expected a local date-time such as 2026-12-24T09:00:00)`, key);
    return floatingFromLocal(l);
  };
  const rdateWalls = new Set((x.rdate ?? []).map((d) => wall(d, "rdate")));
  const rdates = [...new Set([...rdateWalls].map((w) => floatingToInstant(w, spec.tz)))].sort((a, b) => a - b);
  const exWalls = new Set<number>();
  const exDays = new Set<number>();
  for (const d of x.exdate ?? []) {
    if (d.length === 10) exDays.add(Math.floor(floatingFromLocal(parseLocal(d) ?? badDate(d)) / MS_DAY));
    else exWalls.add(wall(d, "exdate"));
  }
  return new RecurrenceSet({ rules, rdates, rdateWalls, exWalls, exDays, tz: spec.tz });
}

function badDate(text: string): never {
  throw new RuleError(`invalid exdate '${text}' (expected a local date such as 2026-12-24)`, "exdate");
}

function compileBase(spec: ScheduleSpec): Recurrence {
  if (!isValidTimeZone(spec.tz)) throw new RuleError(`unknown time zone '${spec.tz}' (expected an IANA name such as Europe/Berlin)`, "tz");
  const start = parseLocal(spec.start);
  if (start === null) throw new RuleError(`invalid start '${spec.start}' (expected a local date-time YYYY-MM-DDTHH:MM:SS)`, "start");
  if (start.year < 1 || start.year > MAX_YEAR) throw new RuleError(`start year ${start.year} is out of range`, "start");
  const w0 = floatingFromLocal(start);
  const rule = spec.rule;
  if (rule === null) return new OneShot(floatingToInstant(w0, spec.tz), w0);
  if (!Number.isInteger(rule.interval) || rule.interval < 1) throw new RuleError("rrule part 'interval' must be at least 1", "interval");
  if (rule.count !== undefined && rule.until !== undefined) throw new RuleError("rrule parts 'count' and 'until' cannot both be given", "until");
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) throw new RuleError("rrule part 'count' must be at least 1", "count");
  const { untilWall, untilInstant } = untilBounds(rule.until, spec.tz);
  return new RuleRecurrence(new Expander(rule, w0), spec.tz, rule.count, untilWall, untilInstant);
}

/** A task's schedule as config, store and runner hold it. */
export interface TaskScheduleFields {
  start: string;
  tz: string;
  rrule: RuleParts | null;
  extras?: ScheduleExtras;
}

export function compileTaskSchedule(task: TaskScheduleFields): Recurrence {
  return compileSchedule({ start: task.start, tz: task.tz, rule: task.rrule, extras: task.extras });
}

/**
 * The COUNT a task's `remaining` tracks. Only a plain rule's: with EXDATE or
 * RDATE the set's size is not the rule's count, so such a task (and a
 * reminder) keeps no `remaining` and ends when its recurrence has no next.
 */
export function trackedCount(task: TaskScheduleFields): number | undefined {
  const x = task.extras;
  if (x !== undefined && (x.cron !== undefined || x.exdate !== undefined || x.rdate !== undefined || x.before !== undefined)) return undefined;
  return task.rrule?.count;
}
