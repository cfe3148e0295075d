// A schedule in English: "every weekday at 09:00 (Europe/Berlin), except
// 24 Dec 2026". Pure: rule, start, zone, cron text, EXDATE and RDATE in, one
// line out. rrule.js's toText was the first candidate, but it drops minutes
// ("at 9 and 17" for 09:30 and 17:30), drops the time of weekly and monthly
// rules altogether, ignores BYMINUTE on hourly rules, says "for 3 times" and
// knows no zone; we keep its phrasing where it was right ("every weekday",
// "on the 1st and 15th", "on the last Friday").
import type { RuleParts, WeekdaySpec } from "./rule-parts.ts";
import { formatRuleString } from "./rule-parse.ts";
import { type LocalDateTime, parseLocal } from "./zoned-time.ts";
import { parseCron } from "./cron-parse.ts";
import { clock, dateTimeWords, dateWords, DAYS, durationWords, joinAnd, monthDayWord, MONTHS, ordinalWord, pad, ranges, weekdayOf } from "./words-format.ts";

export { durationWords } from "./words-format.ts";
import type { TaskScheduleFields } from "./recurrence/recurrence.ts";

export interface ScheduleWordsInput {
  /** DTSTART as a local wall time, `YYYY-MM-DDTHH:MM:SS`. */
  start: string;
  tz: string;
  /** null: a one-shot at `start` (ignored when `cron` is given). */
  rule: RuleParts | null;
  /** The cron expression as written; `rules` are its compiled RRULEs. */
  cron?: { text: string; rules: readonly RuleParts[] };
  /** Local `YYYY-MM-DD` (the whole day) or `YYYY-MM-DDTHH:MM:SS`. */
  exdate?: readonly string[];
  rdate?: readonly string[];
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** At most this many dates are listed; the rest are counted. */
const LISTED = 5;
/** At most this many times of day are listed one by one. */
const TIMES_LISTED = 6;

export function scheduleWords(s: ScheduleWordsInput): string {
  const start = parseLocal(s.start);
  if (start === null) return `at ${s.start} (${s.tz})`;
  let text: string;
  if (s.cron !== undefined) {
    const words = s.cron.rules.map((r) => ruleWords(r, start, "")).join(", or ");
    text = `cron "${s.cron.text}": ${words} (${s.tz})`;
  } else if (s.rule === null) {
    text = `once, at ${dateTimeWords(start, true)} (${s.tz})`;
  } else {
    text = ruleWords(s.rule, start, ` (${s.tz})`);
  }
  if (s.rdate !== undefined && s.rdate.length > 0) text += `, and also ${dateList(s.rdate, null)}`;
  if (s.exdate !== undefined && s.exdate.length > 0) text += `, except ${dateList(s.exdate, ruleTime(s, start))}`;
  return text;
}

/**
 * A task's whole schedule: its rule or cron, exceptions and extra dates, and
 * for a reminder how long before each run; `late_after` last.
 */
export function taskScheduleWords(task: TaskScheduleFields): string {
  const x = task.extras;
  let cron: ScheduleWordsInput["cron"];
  if (x?.cron !== undefined) {
    try {
      cron = { text: x.cron, rules: parseCron(x.cron).rules };
    } catch {
      return `cron "${x.cron}" (${task.tz})`;
    }
  }
  let text = scheduleWords({ start: task.start, tz: task.tz, rule: task.rrule, cron, exdate: x?.exdate, rdate: x?.rdate });
  if (x?.before) text = `${durationWords(x.before)} before each of: ${text}`;
  if (x?.lateAfter) text += `; skipped when more than ${durationWords(x.lateAfter)} late`;
  return text;
}

/** The one time of day every occurrence has, if there is one (an EXDATE at it is shown as a date). */
function ruleTime(s: ScheduleWordsInput, start: LocalDateTime): string | null {
  const rules = s.cron !== undefined ? s.cron.rules : s.rule === null ? [] : [s.rule];
  const times = new Set<string>();
  for (const r of rules) {
    if (freqRank(r) > 3) return null;
    for (const t of timesOfDay(r, start)) times.add(t);
  }
  return times.size === 1 ? [...times][0]! : null;
}

function ruleWords(r: RuleParts, start: LocalDateTime, zone: string): string {
  const setpos = setposWords(r, start);
  if (setpos !== undefined) return `${setpos}${zone}${ends(r)}`;
  if (r.bysetpos !== undefined || r.byweekno !== undefined || r.byyearday !== undefined) {
    return `by the rule ${formatRuleString(r)}${zone}`;
  }
  return `${freqRank(r) <= 3 ? dailyWords(r, start) : subDailyPart(r, start)}${zone}${ends(r)}`;
}

function ends(r: RuleParts): string {
  let text = "";
  if (r.count !== undefined) text += r.count === 1 ? ", once" : `, ${r.count} times`;
  if (r.until !== undefined) text += `, until ${untilWords(r.until)}`;
  return text;
}

/** The common BYSETPOS rule: `every month on the last weekday at 16:00`. */
function setposWords(r: RuleParts, start: LocalDateTime): string | undefined {
  const pos = r.bysetpos;
  const days = r.byweekday;
  if (r.freq !== "monthly" || pos === undefined || pos.length !== 1 || days === undefined || days.some((d) => d.n !== undefined)) return undefined;
  if (r.bymonthday !== undefined || r.byyearday !== undefined || r.byweekno !== undefined) return undefined;
  const times = timesOfDay(r, start);
  if (times.length !== 1) return undefined;
  const set = weekdaySet(days);
  const kind = set === "every day" ? "day" : set === "every weekday" ? "weekday" : days.length === 1 ? DAYS[days[0]!.day]! : undefined;
  if (kind === undefined) return undefined;
  const months = r.bymonth !== undefined ? ` in ${joinAnd(r.bymonth.map((m) => MONTH_NAMES[m - 1]!))}` : "";
  return `${every(r.interval, "month")} on the ${ordinalWord(pos[0]!)} ${kind}${months} at ${times[0]}`;
}

/** Days, then times; a rule firing every hour (cron's `0 * * * *`) reads as such, its days after. */
function dailyWords(r: RuleParts, start: LocalDateTime): string {
  const days = dayPart(r, start);
  const allHours = r.byhour?.length === 24;
  if (!allHours || (r.freq !== "daily" && r.freq !== "weekly") || r.interval !== 1) return `${days} ${timePart(r, start)}`;
  const minutes = r.byminute ?? [start.minute];
  const times = minutes.length === 60 ? "every minute" : `every hour at ${joinAnd([...minutes].sort((a, b) => a - b).map((m) => `:${pad(m)}`))}`;
  if (days === "every day") return times;
  let on = days.replace(/^every /, "on ");
  if (days === "every weekday") on = "on weekdays";
  else if (days.startsWith("every day ")) on = days.slice("every day ".length);
  else if (days.startsWith("every month on ")) on = `on ${days.slice("every month on ".length)} of the month`;
  return `${times}, ${on}`;
}

function freqRank(r: RuleParts): number {
  return ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"].indexOf(r.freq);
}

function every(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

function dayPart(r: RuleParts, start: LocalDateTime): string {
  const months = r.bymonth !== undefined && r.freq !== "yearly" ? ` in ${joinAnd(r.bymonth.map((m) => MONTH_NAMES[m - 1]!))}` : "";
  switch (r.freq) {
    case "daily": {
      const days = r.byweekday?.filter((w) => w.n === undefined);
      // cron's `0 9 1,15 * *`: a month-day filter on a daily rule.
      if (r.bymonthday !== undefined && (days === undefined || days.length === 0) && r.interval === 1) {
        return `every month on the ${joinAnd(r.bymonthday.map(monthDayWord))}${months}`;
      }
      if (days !== undefined && days.length > 0 && r.interval === 1) return `${weekdaySet(days)}${monthDays(r)}${months}`;
      const on = days !== undefined && days.length > 0 ? ` on ${weekdaySet(days).replace(/^every /, "")}` : "";
      return `${every(r.interval, "day")}${on}${monthDays(r)}${months}`;
    }
    case "weekly": {
      // A BYMONTHDAY filter ("friday the 13th"); alone it keeps every such day, whatever its weekday.
      if (r.byweekday === undefined && r.bymonthday !== undefined) return `${every(r.interval, "week")}${monthDays(r)}${months}`;
      const days = r.byweekday ?? [{ day: weekdayOf(start) }];
      if (r.interval === 1) return `${weekdaySet(days)}${monthDays(r)}${months}`;
      return `${every(r.interval, "week")} on ${weekdaySet(days).replace(/^every /, "")}${monthDays(r)}${months}`;
    }
    case "monthly":
      return `${every(r.interval, "month")} on ${monthlyDays(r, start)}${months}`;
    default:
      return `${every(r.interval, "year")} ${yearlyDays(r, start)}`;
  }
}

/** A BYMONTHDAY filter on a daily rule. */
function monthDays(r: RuleParts): string {
  return r.bymonthday === undefined ? "" : ` on the ${joinAnd(r.bymonthday.map(monthDayWord))} of the month`;
}

/** `every weekday`, `every day`, `every Monday and Friday`, `every weekend day`. */
function weekdaySet(days: readonly WeekdaySpec[]): string {
  const set = [...new Set(days.map((d) => d.day))].sort((a, b) => a - b);
  if (set.length === 7) return "every day";
  if (set.join() === "0,1,2,3,4") return "every weekday";
  if (set.join() === "5,6") return "every Saturday and Sunday";
  return `every ${joinAnd(set.map((d) => DAYS[d]!))}`;
}

function monthlyDays(r: RuleParts, start: LocalDateTime): string {
  const parts: string[] = [];
  if (r.bymonthday !== undefined) parts.push(`the ${joinAnd(r.bymonthday.map(monthDayWord))}`);
  if (r.byweekday !== undefined) parts.push(nthWeekdays(r.byweekday));
  if (parts.length === 0) return `the ${monthDayWord(start.day)}`;
  // Both given: RFC 5545 keeps the days that satisfy both.
  return parts.join(" that is ");
}

function nthWeekdays(days: readonly WeekdaySpec[]): string {
  const every = days.filter((d) => d.n === undefined);
  const nth = days.filter((d) => d.n !== undefined);
  const out: string[] = [];
  if (every.length > 0) out.push(`every ${joinAnd(every.map((d) => DAYS[d.day]!))}`);
  if (nth.length > 0) out.push(`the ${joinAnd(nth.map((d) => `${ordinalWord(d.n!)} ${DAYS[d.day]!}`))}`);
  return out.join(" and ");
}

function yearlyDays(r: RuleParts, start: LocalDateTime): string {
  const months = r.bymonth ?? [start.month];
  if (r.byweekday !== undefined) {
    const of = r.bymonth !== undefined ? ` of ${joinAnd(months.map((m) => MONTH_NAMES[m - 1]!))}` : " of the year";
    return `on ${nthWeekdays(r.byweekday)}${r.bymonthday !== undefined ? ` that is the ${joinAnd(r.bymonthday.map(monthDayWord))}` : ""}${of}`;
  }
  const days = r.bymonthday ?? [start.day];
  if (months.length === 1 && days.every((d) => d > 0)) return `on ${joinAnd(days.map((d) => `${d} ${MONTHS[months[0]! - 1]}`))}`;
  return `on the ${joinAnd(days.map(monthDayWord))} of ${joinAnd(months.map((m) => MONTH_NAMES[m - 1]!))}`;
}

function subDailyPart(r: RuleParts, start: LocalDateTime): string {
  const unit = r.freq === "hourly" ? "hour" : r.freq === "minutely" ? "minute" : "second";
  let text = every(r.interval, unit);
  if (r.freq === "hourly") {
    const minutes = r.byminute ?? [start.minute];
    const seconds = r.bysecond ?? [start.second];
    const marks = minutes.flatMap((m) => seconds.map((s) => `:${pad(m)}${s === 0 ? "" : `:${pad(s)}`}`));
    text += ` at ${joinAnd(marks)}`;
  } else if (r.freq === "minutely") {
    if (r.byminute !== undefined) text += ` during minutes ${ranges(r.byminute)}`;
    const seconds = r.bysecond ?? [start.second];
    if (seconds.some((s) => s !== 0)) text += ` at second ${joinAnd(seconds.map(String))}`;
  } else {
    if (r.byminute !== undefined) text += ` during minutes ${ranges(r.byminute)}`;
    if (r.bysecond !== undefined) text += ` at seconds ${ranges(r.bysecond)}`;
  }
  if (r.byhour !== undefined) text += `, during hours ${ranges(r.byhour)}`;
  const days = r.byweekday?.filter((w) => w.n === undefined);
  if (days !== undefined && days.length > 0 && days.length < 7) text += `, on ${weekdaySet(days).replace(/^every /, "")}`;
  if (r.bymonthday !== undefined) text += `, on the ${joinAnd(r.bymonthday.map(monthDayWord))} of the month`;
  if (r.bymonth !== undefined) text += `, in ${joinAnd(r.bymonth.map((m) => MONTH_NAMES[m - 1]!))}`;
  return text;
}

function timesOfDay(r: RuleParts, start: LocalDateTime): string[] {
  const hours = r.byhour ?? [start.hour];
  const minutes = r.byminute ?? [start.minute];
  const seconds = r.bysecond ?? [start.second];
  const out: string[] = [];
  for (const h of [...hours].sort((a, b) => a - b)) {
    for (const m of [...minutes].sort((a, b) => a - b)) {
      for (const s of [...seconds].sort((a, b) => a - b)) out.push(clock(h, m, s));
    }
  }
  return out;
}

function timePart(r: RuleParts, start: LocalDateTime): string {
  const times = timesOfDay(r, start);
  if (times.length <= TIMES_LISTED) return `at ${joinAnd(times)}`;
  const hours = r.byhour ?? [start.hour];
  const minutes = r.byminute ?? [start.minute];
  const seconds = r.bysecond ?? [start.second];
  const secs = seconds.length === 1 && seconds[0] === 0 ? "" : `, second ${ranges(seconds)}`;
  return `at minute ${ranges(minutes)}${secs} of hours ${ranges(hours)}`;
}

function untilWords(u: NonNullable<RuleParts["until"]>): string {
  if ("instant" in u) return `${new Date(u.instant).toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const l = parseLocal(u.local);
  if (l === null) return u.local;
  return l.hour === 0 && l.minute === 0 && l.second === 0 ? dateWords(l) : dateTimeWords(l);
}

/** Dates (whole days, or date-times at the rule's one time) as dates; other date-times with their time. */
function dateList(values: readonly string[], ruleClock: string | null): string {
  const words = [...values].sort().map((v) => {
    const l = parseLocal(v.length === 10 ? `${v}T00:00:00` : v);
    if (l === null) return v;
    if (v.length === 10 || clock(l.hour, l.minute, l.second) === ruleClock) return dateWords(l);
    return dateTimeWords(l);
  });
  if (words.length <= LISTED) return joinAnd(words);
  return `${words.slice(0, LISTED).join(", ")} and ${words.length - LISTED} more`;
}
