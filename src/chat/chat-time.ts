// Wall-time helpers for chat scheduling: days and times read in a user's
// zone, and instants shown the way people read them ("Tue 1 Dec 09:00").
import { MS_DAY, MS_MINUTE, daysFromCivil, weekdayOfDays } from "../scheduler/recurrence/calendar.ts";
import {
  floatingFromLocal,
  floatingToInstant,
  instantToFloating,
  localFromFloating,
  type LocalDateTime,
} from "../scheduler/zoned-time.ts";

export const WEEKDAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const MONTH_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** 0 = Monday … 6 = Sunday, from a day's name or any start of it of 3+ letters ("fri", "thurs", "Friday"). */
export function weekdayNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return undefined;
  const i = WEEKDAY_NAMES.findIndex((name) => name.startsWith(w));
  return i < 0 ? undefined : i;
}

/** The wall time of `ms` in `tz`, as floating ms (wall time read as if UTC). */
export function floatingNow(ms: number, tz: string): number {
  return instantToFloating(ms, tz);
}

/** Midnight (floating) of the day containing floating time `f`. */
export function dayStart(f: number): number {
  return Math.floor(f / MS_DAY) * MS_DAY;
}

/** Weekday (0 = Monday) of floating time `f`. */
export function weekdayOf(f: number): number {
  return weekdayOfDays(Math.floor(f / MS_DAY));
}

/** The instant of floating wall time `f` in `tz` (a time in a DST gap moves forward by the gap). */
export function instantOf(f: number, tz: string): number {
  return floatingToInstant(f, tz);
}

export function floatingOf(l: LocalDateTime): number {
  return floatingFromLocal(l);
}

/** Floating ms of a calendar date and time, or null when the date does not exist. */
export function floatingDate(year: number, month: number, day: number, hour: number, minute: number): number | null {
  const f = daysFromCivil(year, month, day) * MS_DAY + hour * 3_600_000 + minute * MS_MINUTE;
  const l = localFromFloating(f);
  return l.year === year && l.month === month && l.day === day ? f : null;
}

/** "Tue 1 Dec 09:00", with the year when it is not the year of `now`. */
export function formatWhen(ms: number, tz: string, now: number): string {
  const l = localFromFloating(instantToFloating(ms, tz));
  const thisYear = localFromFloating(instantToFloating(now, tz)).year;
  const wd = WEEKDAY_SHORT[weekdayOfDays(daysFromCivil(l.year, l.month, l.day))];
  const year = l.year === thisYear ? "" : ` ${l.year}`;
  return `${wd} ${l.day} ${MONTH_SHORT[l.month - 1]}${year} ${hhmm(l.hour, l.minute)}${l.second ? `:${pad(l.second)}` : ""}`;
}

export function hhmm(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
