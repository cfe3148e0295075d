// Tasks as an iCalendar (RFC 5545) feed: one VEVENT per task with DTSTART in
// the task's zone (TZID plus a VTIMEZONE), RRULE, EXDATE and RDATE, and a
// VALARM for each reminder (`before`). Calendar apps then show exactly the
// instants Seshet fires at.
//
// - DTSTART is the task's first occurrence, with the rule's implicit parts
//   (time of day, weekday, day of month taken from `start`) written out, so
//   RFC 5545's "DTSTART is always an instance" and our "start is only a lower
//   bound" give the same set.
// - A date-only EXDATE becomes the occurrences of that day.
// - A cron expression is its RRULE; one that needs two (day-of-month OR
//   day-of-week) is expanded for a bounded window as RDATEs.
import { parseCron } from "./cron-parse.ts";
import { compileTaskSchedule, type TaskScheduleFields } from "./recurrence/recurrence.ts";
import type { RuleParts } from "./rule-parts.ts";
import { formatRuleString } from "./rule-parse.ts";
import { durationWords, taskScheduleWords } from "./schedule-words.ts";
import { MS_DAY } from "./recurrence/calendar.ts";
import { escapeText, foldLine, icsLocal, icsUtc, vtimezone } from "./ics-text.ts";
import { floatingFromLocal, floatingToInstant, instantToFloating, localFromFloating, offsetAt, parseLocal } from "./zoned-time.ts";

export interface FeedTask extends TaskScheduleFields {
  bot: string;
  name: string;
  func: string;
  args: unknown[];
}

/** How far ahead a cron expression without an equivalent RRULE is expanded, and how many runs at most. */
export const EXPAND_DAYS = 366;
export const EXPAND_MAX = 1000;
/** Occurrences listed for one date-only EXDATE at most (a secondly rule has 86400 a day). */
const DAY_EXDATE_MAX = 1440;
/** VTIMEZONE components cover this many years from now. */
const ZONE_YEARS = 30;

export function icsFeed(tasks: readonly FeedTask[], now: number): string {
  const stamp = `DTSTAMP:${icsUtc(now)}Z`;
  const events: string[] = [];
  const zones = new Map<string, number>();
  const reminders = tasks.filter((t) => t.extras?.before !== undefined);
  for (const task of tasks) {
    if (task.extras?.before !== undefined && parentOf(task, tasks) !== undefined) continue;
    const event = eventLines(task, reminders.filter((r) => parentOf(r, tasks) === task), now);
    if (event === null) continue;
    events.push("BEGIN:VEVENT", `UID:${task.name}@${task.bot}.seshet`, stamp, ...event.lines, "END:VEVENT");
    // The zone's components must cover every time written, RDATEs before DTSTART too.
    zones.set(task.tz, Math.min(zones.get(task.tz) ?? Infinity, event.earliest));
  }
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Seshet//Seshet task feed//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  for (const [tz, first] of zones) lines.push(...vtimezone(tz, Math.min(first, now) - MS_DAY, now + ZONE_YEARS * 365 * MS_DAY));
  lines.push(...events, "END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** The task a reminder (`NAME@-15m`, same bot) belongs to. */
function parentOf(r: FeedTask, tasks: readonly FeedTask[]): FeedTask | undefined {
  const at = r.name.lastIndexOf("@-");
  if (at <= 0) return undefined;
  const name = r.name.slice(0, at);
  return tasks.find((t) => t.bot === r.bot && t.name === name && t.extras?.before === undefined);
}

function eventLines(task: FeedTask, reminders: readonly FeedTask[], now: number): { lines: string[]; earliest: number } | null {
  const tz = task.tz;
  const x = task.extras ?? {};
  const wall = (ms: number) => icsLocal(instantToFloating(ms, tz));
  const rules = x.cron !== undefined ? parseCron(x.cron).rules : task.rrule === null ? [] : [task.rrule];
  const lines = [`SUMMARY:${escapeText(summary(task))}`, `DESCRIPTION:${escapeText(`${task.bot}/${task.name} (${task.func}): ${taskScheduleWords(task)}`)}`];
  const full = compileTaskSchedule(task);
  let first: number;
  if (rules.length === 2) {
    // No single RRULE says "day-of-month OR day-of-week": list the runs.
    const runs = full.take(now - 1, EXPAND_MAX).filter((t) => t < now + EXPAND_DAYS * MS_DAY);
    if (runs.length === 0) return null;
    first = runs[0]!;
    lines.push(`DTSTART;TZID=${tz}:${wall(first)}`);
    if (runs.length > 1) lines.push(`RDATE;TZID=${tz}:${runs.slice(1).map(wall).join(",")}`);
    lines.push(...alarms(reminders), `COMMENT:${escapeText(`cron "${x.cron}": runs listed up to ${wall(runs[runs.length - 1]!)} (${tz})`)}`);
    return { lines, earliest: first };
  }
  const rule = rules[0] ?? null;
  const start = x.cron === undefined ? task.start : cronStart(task, now);
  const base = compileTaskSchedule({ start, tz, rrule: rule });
  const from = rule === null || rule.count !== undefined ? -Infinity : anchor(rule, tz, now);
  const ruleFirst = base.next(Math.max(from, floatingToInstant(floatingFromLocal(parseLocal(start)!), tz)) - 1);
  const rdateWalls = new Map((x.rdate ?? []).map((d) => [floatingToInstant(floatingFromLocal(parseLocal(d)!), tz), icsLocal(floatingFromLocal(parseLocal(d)!))]));
  const rdates = [...rdateWalls.keys()];
  // DTSTART is the rule's first run (the RRULE's grid is anchored there);
  // only a set made of RDATEs alone starts at its first RDATE.
  if (ruleFirst === null && rdates.length === 0) return null;
  first = ruleFirst ?? Math.min(...rdates);
  lines.push(`DTSTART;TZID=${tz}:${wall(first)}`);
  if (rule !== null && ruleFirst !== null) lines.push(`RRULE:${formatRuleString(explicitRule(rule, start, tz))}`);
  const extra = rdates.filter((t) => t !== first).sort((a, b) => a - b);
  if (extra.length > 0) lines.push(`RDATE;TZID=${tz}:${extra.map((t) => rdateWalls.get(t)!).join(",")}`);
  const excluded = exdates(task, start, rule);
  if (excluded.length > 0) lines.push(`EXDATE;TZID=${tz}:${excluded.map(icsLocal).join(",")}`);
  lines.push(...alarms(reminders));
  const excludedFirst = excluded.length > 0 ? floatingToInstant(excluded[0]!, tz) : first;
  return { lines, earliest: Math.min(first, excludedFirst, ...rdates) };
}

/** A cron task's rules have every part explicit: read them from the start of this year (or its `start`, if later). */
function cronStart(task: FeedTask, now: number): string {
  const year = localFromFloating(instantToFloating(now, task.tz)).year;
  const jan1 = `${String(year).padStart(4, "0")}-01-01T00:00:00`;
  return task.start > jan1 ? task.start : jan1;
}

/**
 * Where the feed starts an unbounded rule: at its first run from the start
 * of this month (of today, for a rule firing more than daily). Calendar
 * applications expand a rule from DTSTART on; a heartbeat every 5 seconds
 * since last January would be millions of steps. The run is on the rule's
 * own grid and every implicit part is written out, so the runs from then on
 * are the same; the feed changes once a month (a day).
 */
function anchor(rule: RuleParts, tz: string, now: number): number {
  const l = localFromFloating(instantToFloating(now, tz));
  const subDaily = ["hourly", "minutely", "secondly"].includes(rule.freq);
  return floatingToInstant(floatingFromLocal({ ...l, day: subDaily ? l.day : 1, hour: 0, minute: 0, second: 0 }), tz);
}

/**
 * EXDATE values as wall times (floating ms). Date-time ones as written; each date-only one
 * as the wall times of that day's runs, including a gap time that moved
 * forward onto a later one (so a reader comparing wall times drops both).
 */
function exdates(task: FeedTask, start: string, rule: RuleParts | null): number[] {
  const x = task.extras ?? {};
  const tz = task.tz;
  const out = new Set<number>();
  const withoutEx = compileTaskSchedule({ start, tz, rrule: rule, extras: x.rdate ? { rdate: x.rdate } : undefined });
  for (const d of x.exdate ?? []) {
    const l = parseLocal(d.length === 10 ? `${d}T00:00:00` : d);
    if (l === null) continue;
    if (d.length !== 10) {
      out.add(floatingFromLocal(l));
      continue;
    }
    const dayStart = floatingToInstant(floatingFromLocal(l), tz);
    const end = floatingToInstant(floatingFromLocal(l) + MS_DAY, tz);
    for (const t of withoutEx.take(dayStart - 1, DAY_EXDATE_MAX).filter((t) => t < end)) {
      const w = instantToFloating(t, tz);
      out.add(w);
      const gap = offsetAt(t, tz) - offsetAt(t - MS_DAY, tz);
      if (gap > 0 && floatingToInstant(w - gap, tz) === t) out.add(w - gap);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The rule with the parts RFC 5545 and dateutil take from DTSTART written out, and UNTIL in UTC. */
export function explicitRule(rule: RuleParts, start: string, tz: string): RuleParts {
  const s = parseLocal(start)!;
  const out: RuleParts = { ...rule };
  const rank = ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"].indexOf(rule.freq);
  if (!rule.byweekno && !rule.byyearday && !rule.bymonthday && !rule.byweekday) {
    if (rule.freq === "yearly") {
      out.bymonth ??= [s.month];
      out.bymonthday = [s.day];
    } else if (rule.freq === "monthly") out.bymonthday = [s.day];
    else if (rule.freq === "weekly") out.byweekday = [{ day: ((new Date(Date.UTC(s.year, s.month - 1, s.day)).getUTCDay() + 6) % 7) as 0 }];
  }
  if (rank < 4) out.byhour ??= [s.hour];
  if (rank < 5) out.byminute ??= [s.minute];
  if (rank < 6) out.bysecond ??= [s.second];
  if (rule.until !== undefined && "local" in rule.until) {
    out.until = { instant: floatingToInstant(floatingFromLocal(parseLocal(rule.until.local)!), tz) };
  }
  return out;
}

function alarms(reminders: readonly FeedTask[]): string[] {
  return reminders.flatMap((r) => [
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${escapeText(summary(r))}`,
    `TRIGGER:-${icsDuration(r.extras!.before!)}`,
    `X-SESHET-TASK:${escapeText(`${r.name} (${durationWords(r.extras!.before!)} before)`)}`,
    "END:VALARM",
  ]);
}

/** 900000 → `PT15M`; 86400000 → `P1D`; 5400000 → `PT1H30M`. */
export function icsDuration(ms: number): string {
  let s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : d ? "" : "T0S"}`;
}

/** What the task says, for core:say/notice/action/every; else its name and function. */
function summary(t: FeedTask): string {
  const text = t.args[1];
  if (/^core:(say|notice|action|every)$/.test(t.func) && typeof text === "string") return text;
  return `${t.name} (${t.func})`;
}
