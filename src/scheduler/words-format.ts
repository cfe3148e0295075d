// Small English pieces for schedules in words: lists, ranges, ordinals,
// clock times, dates and durations.
import type { WeekdaySpec } from "./rule-parts.ts";
import type { LocalDateTime } from "./zoned-time.ts";

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const SHORT_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const ORDINAL_WORDS: Record<number, string> = { 1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", [-1]: "last", [-2]: "second-to-last", [-3]: "third-to-last" };

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}

export function clock(h: number, m: number, s: number): string {
  return `${pad(h)}:${pad(m)}${s === 0 ? "" : `:${pad(s)}`}`;
}

/** Sorted numbers with runs of three or more as ranges: `0, 15, 30` or `9–17`. */
export function ranges(values: readonly number[]): string {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < v.length; ) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j]! + 1) j++;
    if (j - i >= 2) out.push(`${v[i]}–${v[j]}`);
    else for (let k = i; k <= j; k++) out.push(String(v[k]));
    i = j + 1;
  }
  return joinAnd(out);
}

export function monthDayWord(d: number): string {
  if (d === -1) return "last day";
  if (d < 0) return `${ordinalWord(d)} day`;
  return ordinalNumber(d);
}

export function ordinalNumber(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${suffix}`;
}

export function ordinalWord(n: number): string {
  return ORDINAL_WORDS[n] ?? (n > 0 ? ordinalNumber(n) : `${ordinalNumber(-n)}-to-last`);
}

export function weekdayOf(l: LocalDateTime): WeekdaySpec["day"] {
  const js = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  return ((js + 6) % 7) as WeekdaySpec["day"];
}

export function dateWords(l: LocalDateTime): string {
  return `${l.day} ${MONTHS[l.month - 1]} ${l.year}`;
}

export function dateTimeWords(l: LocalDateTime, weekday = false): string {
  return `${weekday ? `${SHORT_DAYS[weekdayOf(l)]} ` : ""}${dateWords(l)} ${clock(l.hour, l.minute, l.second)}`;
}

export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** 900000 → "15 minutes"; 5400000 → "1 hour 30 minutes". */
export function durationWords(ms: number): string {
  const units: [number, string][] = [[604_800_000, "week"], [86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"]];
  const out: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out.push(`${n} ${name}${n === 1 ? "" : "s"}`);
    rest -= n * size;
  }
  return out.length === 0 ? "0 seconds" : out.join(" ");
}
