// Whether a day passes a rule's day-level BY* parts (month, week number, year
// day, month day, weekday, nth weekday), tested the way dateutil does so that
// the same rule picks the same days. The per-year tables it reads are costly
// to build, so the few years in use are kept.
import type { CompiledRule } from "./compiled-rule.ts";
import { MONTHLY } from "./compiled-rule.ts";
import { yearOfDays } from "./calendar.ts";
import { type YearInfo, buildNthWeekdayMask, buildYearInfo } from "./year-info.ts";

// Searches move forward, so only the most recent few tables are worth keeping.
const CACHED_YEARS = 4;

export class DayFilter {
  // Copied out of the rule: these are read for every day of every period expanded.
  private readonly hasDayFilter: boolean;
  private readonly bymonth: Uint8Array | null;
  private readonly hasWeekno: boolean;
  private readonly byweekday: Uint8Array | null;
  private readonly hasMonthday: boolean;
  private readonly bymonthday: Set<number>;
  private readonly bynmonthday: Set<number>;
  private readonly byyearday: Set<number> | null;
  private infoCache: YearInfo[] = [];
  private nwCache: { key: number; mask: Uint8Array }[] = [];

  constructor(private readonly r: CompiledRule) {
    this.hasDayFilter = r.hasDayFilter;
    this.bymonth = r.bymonth;
    this.hasWeekno = r.byweekno !== null;
    this.byweekday = r.byweekday;
    this.hasMonthday = r.hasMonthday;
    this.bymonthday = r.bymonthday;
    this.bynmonthday = r.bynmonthday;
    this.byyearday = r.byyearday;
  }

  info(year: number): YearInfo {
    const c = this.infoCache;
    for (let i = 0; i < c.length; i++) if (c[i]!.year === year) return c[i]!;
    const ii = buildYearInfo(year, this.r.byweekno, this.r.wkst);
    if (c.length >= CACHED_YEARS) c.shift();
    c.push(ii);
    return ii;
  }

  /** Days of ii's year that are a wanted nth weekday (of `month` for monthly rules), or null when the rule has none. */
  nthWeekdays(ii: YearInfo, month: number): Uint8Array | null {
    const r = this.r;
    const nth = r.bynweekday;
    if (nth === null) return null;
    const key = ii.year * 16 + (r.freq === MONTHLY ? month : 0);
    const c = this.nwCache;
    for (let i = 0; i < c.length; i++) if (c[i]!.key === key) return c[i]!.mask;
    let ranges: [number, number][];
    if (r.freq === MONTHLY) {
      ranges = [[ii.mrange[month - 1]!, ii.mrange[month]!]];
    } else if (r.bymonth !== null) {
      ranges = [];
      for (let m = 1; m <= 12; m++) if (r.bymonth[m]) ranges.push([ii.mrange[m - 1]!, ii.mrange[m]!]);
    } else {
      ranges = [[0, ii.yearlen]];
    }
    const m = buildNthWeekdayMask(ii, ranges, nth);
    if (c.length >= CACHED_YEARS) c.shift();
    c.push({ key, mask: m });
    return m;
  }

  /** dateutil's day filter; i is the day's index in ii's year (may run into the next year). */
  dayOk(ii: YearInfo, i: number, nw: Uint8Array | null): boolean {
    if (this.bymonth !== null && !this.bymonth[ii.mmask[i]!]) return false;
    if (this.hasWeekno && !ii.wnomask![i]) return false;
    if (this.byweekday !== null && !this.byweekday[(ii.yearweekday + i) % 7]) return false;
    if (nw !== null && !nw[i]) return false;
    if (this.hasMonthday && !this.bymonthday.has(ii.mdaymask[i]!) && !this.bynmonthday.has(ii.nmdaymask[i]!)) return false;
    const yd = this.byyearday;
    if (yd !== null) {
      if (i < ii.yearlen) {
        if (!yd.has(i + 1) && !yd.has(i - ii.yearlen)) return false;
      } else if (!yd.has(i + 1 - ii.yearlen) && !yd.has(i - ii.yearlen - ii.nextyearlen)) {
        return false;
      }
    }
    return true;
  }

  /** The day filter for a day number (days since 1970-01-01). */
  dayNumberOk(day: number): boolean {
    if (!this.hasDayFilter) return true;
    const ii = this.info(yearOfDays(day));
    return this.dayOk(ii, day - ii.yearordinal, null);
  }
}
