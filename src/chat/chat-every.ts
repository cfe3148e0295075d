// `!every SCHEDULE` (and `seshet next --every`): English or an RRULE, with
// an optional IANA zone at the end, to a rule the engine runs. Times of day
// ("at 18:30", "at 9:00 and 17:00") and the common day forms are read here;
// other day phrases ("2 weeks on tuesday", "month on the 15th", "year in
// march on the 1st") by chat-every-phrase.ts. Occurrences fall on whole
// minutes: every English rule sets BYMINUTE and BYSECOND.
import type { Freq, RuleParts, WeekdayNumber, WeekdaySpec } from "../scheduler/rule-parts.ts";
import { RuleError, parseRuleString } from "../scheduler/rule-parse.ts";
import { parseDuration } from "../scheduler/duration.ts";
import { formatLocal, localFromFloating } from "../scheduler/zoned-time.ts";
import { MS_MINUTE } from "../scheduler/recurrence/calendar.ts";
import { zoneProblem } from "../config/zone-problem.ts";
import { dayStart, floatingNow, weekdayNumber } from "./chat-time.ts";
import { exceptDates, splitExcept } from "./chat-except.ts";
import { ORDINALS, parseDayPhrase } from "./chat-every-phrase.ts";

export interface EverySchedule {
  rule: RuleParts;
  /** DTSTART, a local wall time in `tz`. */
  start: string;
  tz: string;
  /** Whole days left out (`… except 24 Dec, 31 Dec`), local dates. */
  exdate?: string[];
}

export type EveryResult = EverySchedule | { error: string };

export const EVERY_EXAMPLE = "every weekday at 09:00: stand-up in 5 minutes";

const ZONE_LIKE = /^(?:[A-Za-z][\w+-]*(?:\/[\w+-]+)+|UTC|GMT)$/;
const WEEKDAYS: WeekdaySpec[] = [0, 1, 2, 3, 4].map((d) => ({ day: d as WeekdayNumber }));

/** The schedule `text` describes, read in `defaultTz` unless it names a zone at the end; `except DATES` leaves days out. */
export function parseEvery(text: string, defaultTz: string, now: number): EveryResult {
  let { schedule, except } = splitExcept(text.trim());
  // "… except 24 Dec Europe/Berlin": the zone at the end is the schedule's.
  const last = except?.slice(except.lastIndexOf(" ") + 1);
  if (except !== null && last !== undefined && except.includes(" ") && ZONE_LIKE.test(last)) {
    schedule = `${schedule} ${last}`;
    except = except.slice(0, except.length - last.length).trim();
  }
  const parsed = parseSchedule(schedule, defaultTz, now);
  if (except === null || "error" in parsed) return parsed;
  const dates = exceptDates(except, parsed.tz, now);
  return "error" in dates ? dates : { ...parsed, exdate: dates.exdate };
}

function parseSchedule(text: string, defaultTz: string, now: number): EveryResult {
  let s = text.trim().replace(/^every\s+/i, "").replace(/\s+/g, " ");
  if (s === "" || s.length > 200) return { error: "the schedule is empty or too long" };
  let tz = defaultTz;
  const last = s.slice(s.lastIndexOf(" ") + 1);
  if (ZONE_LIKE.test(last) && !/^FREQ=/i.test(last)) {
    const problem = zoneProblem(last);
    if (problem) return { error: problem };
    tz = new Intl.DateTimeFormat("en-US", { timeZone: last }).resolvedOptions().timeZone;
    s = s.slice(0, s.length - last.length).trim();
  }
  const today = dayStart(floatingNow(now, tz));
  const midnight = formatLocal(localFromFloating(today));
  if (/^(RRULE:)?FREQ=/i.test(s)) {
    try {
      return { rule: parseRuleString(s), start: midnight, tz };
    } catch (e) {
      if (e instanceof RuleError) return { error: e.message };
      throw e;
    }
  }
  const interval = intervalRule(s, floatingNow(now, tz));
  if (interval !== null) return "error" in interval ? interval : { ...interval, tz };
  const rule = dayRule(s);
  return "error" in rule ? rule : { rule, start: midnight, tz };
}

/** `30m`, `2 hours`, `hour`, `3 days`: every so long from the next whole minute on. */
function intervalRule(s: string, floating: number): { rule: RuleParts; start: string } | { error: string } | null {
  const ms = parseDuration(/^(hour|minute|day|week)$/i.test(s) ? `1 ${s}` : s);
  if (ms === null) return null;
  if (ms % MS_MINUTE !== 0) return { error: "an interval is a whole number of minutes" };
  const minutes = ms / MS_MINUTE;
  const [freq, n]: [Freq, number] =
    minutes % 10_080 === 0 ? ["weekly", minutes / 10_080] : minutes % 1440 === 0 ? ["daily", minutes / 1440] : minutes % 60 === 0 ? ["hourly", minutes / 60] : ["minutely", minutes];
  // The first occurrence is one interval after the next whole minute: never on the second typed.
  const first = Math.ceil((floating + 1) / MS_MINUTE) * MS_MINUTE + ms;
  return { rule: { freq, interval: n, bysecond: [0] }, start: formatLocal(localFromFloating(first)) };
}

/** "weekday at 09:00", "monday and thursday at 18:30", "last friday of the month at 16:00", … */
function dayRule(s: string): RuleParts | { error: string } {
  const at = /^(.*?)\s*\bat\s+(.+)$/i.exec(s);
  const dayPart = (at ? at[1]! : s).toLowerCase().replace(/^(on|the)\s+/, "").trim();
  const times = at ? clockTimes(at[2]!) : { hours: [9], minutes: [0] };
  if ("error" in times) return times;
  const days = dayParts(dayPart);
  if ("error" in days) return days;
  return { ...days, byhour: times.hours, byminute: times.minutes, bysecond: [0] };
}

function dayParts(d: string): RuleParts | { error: string } {
  if (d === "" || d === "day" || d === "daily") return { freq: "daily", interval: 1 };
  if (/^week ?days?$/.test(d)) return { freq: "weekly", interval: 1, byweekday: WEEKDAYS };
  if (/^week ?ends?$/.test(d)) return { freq: "weekly", interval: 1, byweekday: [{ day: 5 }, { day: 6 }] };
  const ord = /^(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|second[- ]to[- ]last) (\w+?) (?:of|in) (?:the|every|each) month$/.exec(d);
  if (ord) {
    const n = ORDINALS[ord[1]!.replace(/ /g, "-")]!;
    if (ord[2] === "day") return { freq: "monthly", interval: 1, bymonthday: [n] };
    if (ord[2] === "weekday") return { freq: "monthly", interval: 1, byweekday: WEEKDAYS, bysetpos: [n] };
    const day = weekdayNumber(ord[2]!);
    if (day === undefined) return { error: `'${ord[2]}' is not a day of the week` };
    return { freq: "monthly", interval: 1, byweekday: [{ day: day as WeekdayNumber, n }] };
  }
  const monthDay = /^(\d{1,2})(?:st|nd|rd|th)? (?:day )?(?:of|in) (?:the|every|each) month$/.exec(d);
  if (monthDay) {
    const n = Number(monthDay[1]);
    return n >= 1 && n <= 31 ? { freq: "monthly", interval: 1, bymonthday: [n] } : { error: `there is no day ${n} of a month` };
  }
  const list = d.split(/\s*(?:,|\band\b|&|\+)\s*|\s+/).filter((w) => w !== "");
  const named = list.map((w) => weekdayNumber(w.replace(/s$/, "")) ?? weekdayNumber(w));
  if (list.length > 0 && named.every((n) => n !== undefined)) {
    const unique = [...new Set(named as number[])].sort();
    return { freq: "weekly", interval: 1, byweekday: unique.map((day) => ({ day: day as WeekdayNumber })) };
  }
  return parseDayPhrase(d);
}

/** "9:00", "09:00 and 17:00", "5pm", "noon": hours and minutes, or what was not a time. */
function clockTimes(text: string): { hours: number[]; minutes: number[] } | { error: string } {
  const pairs: [number, number][] = [];
  for (const word of text.toLowerCase().split(/\s*(?:,|\band\b|&)\s*/).filter((w) => w !== "")) {
    const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(word);
    let h = m ? Number(m[1]) : word === "noon" ? 12 : word === "midnight" ? 0 : NaN;
    const min = m?.[2] === undefined ? 0 : Number(m[2]);
    if (m?.[3]) h = h >= 1 && h <= 12 ? (h % 12) + (m[3] === "pm" ? 12 : 0) : NaN;
    if (!(h >= 0 && h <= 23 && min >= 0 && min <= 59)) return { error: `'${word}' is not a time of day (09:00, 5pm, noon)` };
    pairs.push([h, min]);
  }
  if (pairs.length === 0) return { error: "no time of day after 'at'" };
  const hours = [...new Set(pairs.map((p) => p[0]))].sort((a, b) => a - b);
  const minutes = [...new Set(pairs.map((p) => p[1]))].sort((a, b) => a - b);
  // A rule's hours and minutes combine every way: 09:00 and 17:30 would also give 09:30 and 17:00.
  if (hours.length * minutes.length !== new Set(pairs.map((p) => `${p[0]}:${p[1]}`)).size) {
    return { error: "times of day with different minutes (like 09:00 and 17:30) need one task each" };
  }
  return { hours, minutes };
}

