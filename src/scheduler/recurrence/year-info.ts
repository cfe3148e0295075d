// Per-year lookup tables for day filtering, ported from python-dateutil's
// rrule._iterinfo so that edge cases (week numbers, nth weekdays, weekly
// periods crossing New Year) match the reference implementation exactly.
import { daysFromCivil, isLeapYear, weekdayOfDays } from "./calendar.ts";

function monthMasks(leap: boolean): { mmask: Uint8Array; mday: Int8Array; nmday: Int8Array; range: number[] } {
  const lens = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const yearlen = leap ? 366 : 365;
  // Seven extra days (January of the next year) for weekly periods crossing the year end.
  const mmask = new Uint8Array(yearlen + 7);
  const mday = new Int8Array(yearlen + 7);
  const nmday = new Int8Array(yearlen + 7);
  const range = [0];
  let i = 0;
  for (let m = 0; m < 12; m++) {
    const len = lens[m]!;
    for (let d = 1; d <= len; d++, i++) {
      mmask[i] = m + 1;
      mday[i] = d;
      nmday[i] = d - len - 1;
    }
    range.push(i);
  }
  for (let d = 1; d <= 7; d++, i++) {
    mmask[i] = 1;
    mday[i] = d;
    nmday[i] = d - 32;
  }
  return { mmask, mday, nmday, range };
}

const MASKS_365 = monthMasks(false);
const MASKS_366 = monthMasks(true);

export interface YearInfo {
  year: number;
  yearlen: number;
  nextyearlen: number;
  /** Day number (days since 1970-01-01) of 1 January. */
  yearordinal: number;
  /** Weekday of 1 January, 0 = Monday. */
  yearweekday: number;
  mmask: Uint8Array;
  mdaymask: Int8Array;
  nmdaymask: Int8Array;
  mrange: number[];
  wnomask: Uint8Array | null;
}

export function buildYearInfo(year: number, byweekno: readonly number[] | null, wkst: number): YearInfo {
  const leap = isLeapYear(year);
  const yearlen = leap ? 366 : 365;
  const masks = leap ? MASKS_366 : MASKS_365;
  const yearordinal = daysFromCivil(year, 1, 1);
  const yearweekday = weekdayOfDays(yearordinal);
  const wnomask = byweekno === null ? null : weekNumberMask(year, yearlen, yearweekday, byweekno, wkst);
  return {
    year,
    yearlen,
    nextyearlen: isLeapYear(year + 1) ? 366 : 365,
    yearordinal,
    yearweekday,
    mmask: masks.mmask,
    mdaymask: masks.mday,
    nmdaymask: masks.nmday,
    mrange: masks.range,
    wnomask,
  };
}

/** dateutil's week-number mask: which days of the year fall in the BYWEEKNO weeks (weeks starting on `wkst`). */
function weekNumberMask(year: number, yearlen: number, yearweekday: number, byweekno: readonly number[], wkst: number): Uint8Array {
  const wday = (i: number) => (yearweekday + i) % 7;
  const wnomask = new Uint8Array(yearlen + 14);
  let no1wkst = (7 - yearweekday + wkst) % 7;
  const firstwkst = no1wkst;
  let wyearlen: number;
  if (no1wkst >= 4) {
    no1wkst = 0;
    wyearlen = yearlen + ((yearweekday - wkst + 7) % 7);
  } else {
    wyearlen = yearlen - no1wkst;
  }
  const numweeks = Math.floor(wyearlen / 7) + Math.floor((wyearlen % 7) / 4);
  for (let n of byweekno) {
    if (n < 0) n += numweeks + 1;
    if (!(n > 0 && n <= numweeks)) continue;
    let i: number;
    if (n > 1) {
      i = no1wkst + (n - 1) * 7;
      if (no1wkst !== firstwkst) i -= 7 - firstwkst;
    } else {
      i = no1wkst;
    }
    for (let j = 0; j < 7; j++) {
      wnomask[i] = 1;
      i++;
      if (wday(i) === wkst) break;
    }
  }
  if (byweekno.includes(1)) {
    let i = no1wkst + numweeks * 7;
    if (no1wkst !== firstwkst) i -= 7 - firstwkst;
    if (i < yearlen) {
      for (let j = 0; j < 7; j++) {
        wnomask[i] = 1;
        i++;
        if (wday(i) === wkst) break;
      }
    }
  }
  if (no1wkst) {
    let lnumweeks: number;
    if (!byweekno.includes(-1)) {
      const lyearweekday = weekdayOfDays(daysFromCivil(year - 1, 1, 1));
      let lno1wkst = (7 - lyearweekday + wkst) % 7;
      const lyearlen = isLeapYear(year - 1) ? 366 : 365;
      if (lno1wkst >= 4) {
        lno1wkst = 0;
        lnumweeks = 52 + Math.floor(((lyearlen + ((lyearweekday - wkst + 7) % 7)) % 7) / 4);
      } else {
        // Mirrors dateutil, which uses this year's length here.
        lnumweeks = 52 + Math.floor(((yearlen - no1wkst) % 7) / 4);
      }
    } else {
      lnumweeks = -1;
    }
    if (byweekno.includes(lnumweeks)) for (let i = 0; i < no1wkst; i++) wnomask[i] = 1;
  }
  return wnomask;
}

/**
 * Days of the year that are the nth weekday of their range (the month for
 * monthly rules and yearly rules with bymonth, else the whole year).
 */
export function buildNthWeekdayMask(
  ii: YearInfo,
  ranges: readonly (readonly [number, number])[],
  nth: readonly (readonly [number, number])[],
): Uint8Array {
  const mask = new Uint8Array(ii.yearlen);
  for (const [first, end] of ranges) {
    const last = end - 1;
    for (const [wd, n] of nth) {
      let i: number;
      if (n < 0) {
        i = last + (n + 1) * 7;
        i -= (((((ii.yearweekday + i) % 7) + 7) % 7) - wd + 7) % 7;
      } else {
        i = first + (n - 1) * 7;
        i += (7 - ((((ii.yearweekday + i) % 7) + 7) % 7) + wd) % 7;
      }
      if (first <= i && i <= last) mask[i] = 1;
    }
  }
  return mask;
}
