// A rule in the form expansion reads on every step: dateutil's defaults
// filled in from DTSTART (a yearly rule without BY* parts repeats DTSTART's
// month and day, and so on), BY* lists turned into masks and sets, and DTSTART
// placed in each frequency's period numbering so that period p can be found
// by arithmetic rather than by walking.
import type { RuleParts } from "../rule-parts.ts";
import { MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, civilFromDays, floorDiv, weekdayOfDays } from "./calendar.ts";

export const YEARLY = 0;
export const MONTHLY = 1;
export const WEEKLY = 2;
export const DAILY = 3;
export const HOURLY = 4;
export const MINUTELY = 5;
export const SECONDLY = 6;
const FREQ_INDEX: Record<RuleParts["freq"], number> = {
  yearly: YEARLY, monthly: MONTHLY, weekly: WEEKLY, daily: DAILY, hourly: HOURLY, minutely: MINUTELY, secondly: SECONDLY,
};

export const MAX_YEAR = 9999;

export interface CompiledRule {
  readonly freq: number;
  readonly interval: number;
  readonly wkst: number;
  /** DTSTART, floating ms. */
  readonly w0: number;
  readonly y0: number;
  /** DTSTART's day number. */
  readonly d0: number;
  readonly wd0: number;
  /** First day of DTSTART's week (per wkst). */
  readonly ws0: number;
  /** DTSTART's month as year * 12 + month - 1. */
  readonly mi0: number;
  /** DTSTART in units of the sub-daily frequency. */
  readonly u0: number;
  readonly unitMs: number;
  readonly unitsPerDay: number;
  readonly bymonth: Uint8Array | null;
  readonly byweekno: number[] | null;
  readonly byyearday: Set<number> | null;
  readonly bymonthday: Set<number>;
  readonly bynmonthday: Set<number>;
  readonly hasMonthday: boolean;
  readonly byweekday: Uint8Array | null;
  readonly bynweekday: [number, number][] | null;
  readonly bysetpos: number[] | null;
  readonly hourMask: Uint8Array | null;
  readonly minuteMask: Uint8Array | null;
  readonly secondMask: Uint8Array | null;
  readonly hasDayFilter: boolean;
  /** ms-of-day for freq < hourly; ms-of-period for sub-daily. */
  readonly timeset: number[];
}

function mask(values: readonly number[] | null, size: number, shift = 0): Uint8Array | null {
  if (values === null) return null;
  const m = new Uint8Array(size);
  for (const v of values) m[v + shift] = 1;
  return m;
}

function sortedUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

export function compileRule(rule: RuleParts, w0: number): CompiledRule {
  const freq = FREQ_INDEX[rule.freq];
  const wkst = rule.wkst ?? 0;
  const d0 = floorDiv(w0, MS_DAY);
  const [y0, m0, day0] = civilFromDays(d0);
  const tod = w0 - d0 * MS_DAY;
  const h0 = Math.floor(tod / MS_HOUR);
  const min0 = Math.floor((tod % MS_HOUR) / MS_MINUTE);
  const s0 = Math.floor((tod % MS_MINUTE) / MS_SECOND);
  const wd0 = weekdayOfDays(d0);
  const unitMs = freq === HOURLY ? MS_HOUR : freq === MINUTELY ? MS_MINUTE : MS_SECOND;

  const { bymonth, bymonthday, byweekday } = dayPartsWithDefaults(rule, freq, m0, day0, wd0);
  const { plain, nth } = splitWeekdays(byweekday, freq);
  const byhour = rule.byhour ?? (freq < HOURLY ? [h0] : null);
  const byminute = rule.byminute ?? (freq < MINUTELY ? [min0] : null);
  const bysecond = rule.bysecond ?? (freq < SECONDLY ? [s0] : null);
  const timeset = timesOfDay(freq, byhour, byminute, bysecond);

  const monthMask = mask(bymonth, 13);
  const weeknos = rule.byweekno === undefined ? null : sortedUnique(rule.byweekno);
  const yeardays = rule.byyearday === undefined ? null : new Set(rule.byyearday);
  const weekdayMask = mask(plain, 7);
  return {
    freq,
    interval: rule.interval,
    wkst,
    w0,
    y0,
    d0,
    wd0,
    ws0: d0 - ((wd0 - wkst + 7) % 7),
    mi0: y0 * 12 + m0 - 1,
    u0: floorDiv(w0, unitMs),
    unitMs,
    unitsPerDay: MS_DAY / unitMs,
    bymonth: monthMask,
    byweekno: weeknos,
    byyearday: yeardays,
    bymonthday: new Set((bymonthday ?? []).filter((d) => d > 0)),
    bynmonthday: new Set((bymonthday ?? []).filter((d) => d < 0)),
    hasMonthday: bymonthday !== null,
    byweekday: weekdayMask,
    bynweekday: nth,
    bysetpos: rule.bysetpos === undefined ? null : [...rule.bysetpos],
    hourMask: mask(byhour, 24),
    minuteMask: mask(byminute, 60),
    secondMask: mask(bysecond, 60),
    hasDayFilter: monthMask !== null || weeknos !== null || yeardays !== null || bymonthday !== null
      || weekdayMask !== null || nth !== null,
    timeset,
  };
}

/** dateutil: a rule with no day filter takes its day (and month) from DTSTART. */
function dayPartsWithDefaults(rule: RuleParts, freq: number, m0: number, day0: number, wd0: number) {
  let bymonth = rule.bymonth ?? null;
  let bymonthday = rule.bymonthday ?? null;
  let byweekday = rule.byweekday ?? null;
  if (rule.byweekno === undefined && rule.byyearday === undefined && bymonthday === null && byweekday === null) {
    if (freq === YEARLY) {
      if (bymonth === null) bymonth = [m0];
      bymonthday = [day0];
    } else if (freq === MONTHLY) {
      bymonthday = [day0];
    } else if (freq === WEEKLY) {
      byweekday = [{ day: wd0 as 0 }];
    }
  }
  return { bymonth, bymonthday, byweekday };
}

/** Plain weekdays and nth weekdays (`+1MO`; only within a month or year) apart. */
function splitWeekdays(byweekday: RuleParts["byweekday"] | null, freq: number): { plain: number[] | null; nth: [number, number][] | null } {
  if (byweekday === null || byweekday === undefined) return { plain: null, nth: null };
  const plain: number[] = [];
  const nth: [number, number][] = [];
  for (const w of byweekday) {
    if (w.n === undefined || freq > MONTHLY) plain.push(w.day);
    else nth.push([w.day, w.n]);
  }
  // dateutil: plain weekdays and nth weekdays given together must both match.
  if (plain.length === 0) return { plain: null, nth };
  return { plain, nth: nth.length === 0 ? null : nth };
}

/** The times of day (ms after midnight) an occurrence may have, sorted. */
function timesOfDay(freq: number, byhour: number[] | null, byminute: number[] | null, bysecond: number[] | null): number[] {
  const hs = sortedUnique(byhour ?? [0]);
  const ms = sortedUnique(byminute ?? [0]);
  const ss = sortedUnique(bysecond ?? [0]);
  const timeset: number[] = [];
  if (freq < HOURLY) {
    for (const h of hs) for (const m of ms) for (const s of ss) timeset.push(h * MS_HOUR + m * MS_MINUTE + s * MS_SECOND);
  } else if (freq === HOURLY) {
    for (const m of ms) for (const s of ss) timeset.push(m * MS_MINUTE + s * MS_SECOND);
  } else if (freq === MINUTELY) {
    for (const s of ss) timeset.push(s * MS_SECOND);
  } else {
    timeset.push(0);
  }
  return timeset.sort((a, b) => a - b);
}
