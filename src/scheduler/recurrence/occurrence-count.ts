// How many candidates a rule has up to a wall time, without visiting them.
//
// Walking candidates one by one costs as many steps as there are: a secondly
// rule with a huge `count` never ends. Counting instead goes a year at a
// time (each year's total computed once, from its days or periods), and the
// Gregorian calendar repeats every 400 years (146,097 days, a whole number of
// weeks), so a rule whose interval also fits that cycle repeats its yearly
// totals: whole cycles are multiplied, not summed. Inside a year the days
// are summed directly, and inside a day a sub-daily rule's allowed times of
// day are counted by binary search. The cost is bounded by the calendar
// (a few years' worth of days at most), not by the number of occurrences.
import type { CompiledRule } from "./compiled-rule.ts";
import { DAILY, HOURLY, MAX_YEAR, MINUTELY, MONTHLY, WEEKLY, YEARLY } from "./compiled-rule.ts";
import { MS_DAY, daysFromCivil, floorDiv, yearOfDays } from "./calendar.ts";
import type { DayFilter } from "./day-filter.ts";
import type { PeriodGrid } from "./periods.ts";
import type { PeriodCandidates } from "./period-candidates.ts";
import { YearSums } from "./year-sums.ts";

const CYCLE_DAYS = 146_097;
const CYCLE_YEARS = 400;
/** Up to this many sub-daily periods before year 10000, they are listed rather than counted by day. */
const SPARSE_PERIODS = 4096;
/** Beyond this the calendar cycle is not worth it: no count spans more than years 1..9999. */
const MAX_CYCLE_YEARS = 10_000;
/** The last wall time the engine represents (end of year 9999). */
export const END_WALL = daysFromCivil(MAX_YEAR + 1, 1, 1) * MS_DAY - 1;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** Values in sorted `list` within [lo, hi). */
function countIn(list: Int32Array | readonly number[], lo: number, hi: number): number {
  return lowerBound(list, hi) - lowerBound(list, lo);
}

function lowerBound(list: Int32Array | Float64Array | readonly number[], v: number, from = 0, to = list.length): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (list[mid]! < v) a = mid + 1;
    else b = mid;
  }
  return a;
}

export class OccurrenceCounter {
  private sub: SubDailyCounter | null = null;
  private periodic: PeriodCounter | null = null;

  constructor(
    private readonly r: CompiledRule,
    private readonly days: DayFilter,
    private readonly grid: PeriodGrid,
    private readonly candidates: PeriodCandidates,
  ) {}

  /** Candidates w with DTSTART <= w <= x (floating ms). */
  upTo(x: number): number {
    if (x < this.r.w0) return 0;
    x = Math.min(x, END_WALL);
    if (this.r.freq >= HOURLY) {
      this.sub ??= new SubDailyCounter(this.r, this.days, this.candidates);
      return this.sub.upTo(x);
    }
    this.periodic ??= new PeriodCounter(this.r, this.days, this.grid, this.candidates);
    return this.periodic.upTo(x);
  }

  /** Wall time of the n-th candidate (1-based), or of the last one up to `limit` if there are fewer; null if none. */
  nth(n: number, limit: number): number | null {
    const hi0 = Math.min(limit, END_WALL);
    const total = this.upTo(hi0);
    if (total === 0) return null;
    const target = Math.min(n, total);
    // Candidates are whole seconds: search seconds for the first with upTo >= target.
    let lo = Math.ceil(this.r.w0 / 1000);
    let hi = Math.floor(hi0 / 1000);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.upTo(mid * 1000) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo * 1000;
  }
}

/** Yearly to daily rules: each year's candidates counted from its periods. */
class PeriodCounter {
  private readonly years: YearSums;

  constructor(
    private readonly r: CompiledRule,
    private readonly days: DayFilter,
    private readonly grid: PeriodGrid,
    private readonly candidates: PeriodCandidates,
  ) {
    // Period numbering repeats with the calendar once the interval fits the cycle's units.
    const units = r.freq === YEARLY ? CYCLE_YEARS : r.freq === MONTHLY ? 12 * CYCLE_YEARS : r.freq === WEEKLY ? CYCLE_DAYS / 7 : CYCLE_DAYS;
    const cycle = CYCLE_YEARS * (r.interval / gcd(r.interval, units));
    // DTSTART's period is cut short at DTSTART (and a weekly one at the week's end): start after it.
    // A daily rule's whole years (past DTSTART's) are counted day by day without expanding them.
    const yearValue = (y: number) =>
      r.freq === DAILY && y > r.y0 + 1 ? this.dailyYear(y) : this.inRange(yearStart(y), yearStart(y + 1) - 1);
    this.years = new YearSums(r.y0, r.y0 + 2, cycle <= MAX_CYCLE_YEARS ? cycle : null, yearValue);
  }

  /** Candidates of a daily rule in year y: its days on the interval's grid that pass the filter, each with the time set. */
  private dailyYear(y: number): number {
    const r = this.r;
    const ii = this.days.info(y);
    const end = ii.yearordinal + ii.yearlen;
    const off = mod(ii.yearordinal - r.d0, r.interval);
    let n = 0;
    for (let d = off === 0 ? ii.yearordinal : ii.yearordinal + r.interval - off; d < end; d += r.interval) {
      if (!r.hasDayFilter || this.days.dayOk(ii, d - ii.yearordinal, null)) n++;
    }
    return n * setposCount(r.timeset.length, r.bysetpos);
  }

  upTo(x: number): number {
    const y = yearOfDays(floorDiv(x, MS_DAY));
    return this.years.before(y) + this.inRange(Math.max(yearStart(y), this.r.w0), x);
  }

  /** Candidates w with max(a, DTSTART) <= w <= b. */
  private inRange(a: number, b: number): number {
    a = Math.max(a, this.r.w0);
    if (b < a) return 0;
    let n = 0;
    const last = this.grid.indexOf(b);
    for (let p = this.grid.indexOf(a); p <= last; p++) n += countIn(this.candidates.of(p), a, b + 1);
    return n;
  }
}

/** How many of a period's `len` sorted candidates BYSETPOS keeps (all without it). */
function setposCount(len: number, bysetpos: readonly number[] | null): number {
  if (bysetpos === null) return len;
  const kept = new Set<number>();
  for (const pos of bysetpos) {
    const i = pos > 0 ? pos - 1 : len + pos;
    if (i >= 0 && i < len) kept.add(i);
  }
  return kept.size;
}

function yearStart(y: number): number {
  return daysFromCivil(y, 1, 1) * MS_DAY;
}

/**
 * Hourly to secondly rules: period p is the unit u0 + p * interval (an hour,
 * minute or second) and yields the same offsets (the time set after BYSETPOS)
 * whenever its day and time of day pass the filters. So counting candidates is
 * counting passing units, day by day: the units of a day that are on the
 * interval's grid form one residue class mod the interval.
 */
class SubDailyCounter {
  /** Offsets of a passing unit's candidates from its start, sorted. */
  private readonly offsets: number[];
  /**
   * Allowed units of the day (by the hour/minute/second masks), grouped by
   * residue mod interval: residue r's units, ascending, are
   * byResidue[start[r] .. start[r + 1]). An interval of a day's units or more
   * leaves each residue below a day at most the one unit equal to it.
   */
  private readonly byResidue: Int32Array;
  private readonly start: Int32Array;
  private readonly years: YearSums;
  private readonly d0: number;
  /** With few periods before year 10000 (a huge interval), the passing units themselves, ascending. */
  private readonly sparse: Float64Array | null = null;

  constructor(
    private readonly r: CompiledRule,
    private readonly days: DayFilter,
    candidates: PeriodCandidates,
  ) {
    const base0 = r.u0 * r.unitMs;
    this.offsets = candidates.of(0).map((w) => w - base0);
    // A counting sort of the allowed units by residue (typed arrays: a day has up to 86,400).
    const residues = Math.min(r.interval, r.unitsPerDay);
    const start = new Int32Array(residues + 1);
    for (let t = 0; t < r.unitsPerDay; t++) if (this.todOk(t)) start[(t % r.interval) + 1]!++;
    for (let i = 0; i < residues; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, residues);
    const byResidue = new Int32Array(start[residues]!);
    for (let t = 0; t < r.unitsPerDay; t++) if (this.todOk(t)) byResidue[fill[t % r.interval]!++] = t;
    this.start = start;
    this.byResidue = byResidue;
    const periods = Math.floor((Math.floor(END_WALL / r.unitMs) - r.u0) / r.interval) + 1;
    if (periods <= SPARSE_PERIODS) {
      const units: number[] = [];
      for (let p = 0; p < periods; p++) if (this.passes(r.u0 + p * r.interval)) units.push(r.u0 + p * r.interval);
      this.sparse = Float64Array.from(units);
    }
    this.d0 = floorDiv(r.u0, r.unitsPerDay);
    const y0 = yearOfDays(this.d0);
    const shift = (CYCLE_DAYS * r.unitsPerDay) % r.interval;
    const cycle = CYCLE_YEARS * (r.interval / gcd(r.interval, shift === 0 ? r.interval : shift));
    this.years = new YearSums(y0, y0 + 2, cycle <= MAX_CYCLE_YEARS ? cycle : null, (y) => this.unitsInDays(yearStart(y) / MS_DAY, yearStart(y + 1) / MS_DAY));
  }

  upTo(x: number): number {
    const r = this.r;
    const ux = floorDiv(x, r.unitMs);
    const c = this.offsets.length;
    let n = this.unitsBefore(ux) * c;
    const base0 = r.u0 * r.unitMs;
    // DTSTART's unit yields nothing before DTSTART.
    if (ux > r.u0 && this.passes(r.u0)) n -= countIn(this.offsets, 0, r.w0 - base0);
    if (ux >= r.u0 && this.passes(ux)) {
      const base = ux * r.unitMs;
      n += countIn(this.offsets, Math.max(0, r.w0 - base), x - base + 1);
    }
    return n;
  }

  private todOk(t: number): boolean {
    const r = this.r;
    if (r.freq === HOURLY) return r.hourMask === null || r.hourMask[t] === 1;
    const h = r.freq === MINUTELY ? Math.floor(t / 60) : Math.floor(t / 3600);
    if (r.hourMask !== null && !r.hourMask[h]) return false;
    const m = r.freq === MINUTELY ? t % 60 : Math.floor(t / 60) % 60;
    if (r.minuteMask !== null && !r.minuteMask[m]) return false;
    return r.freq === MINUTELY || r.secondMask === null || r.secondMask[t % 60] === 1;
  }

  private passes(u: number): boolean {
    const r = this.r;
    if (mod(u - r.u0, r.interval) !== 0) return false;
    const day = floorDiv(u, r.unitsPerDay);
    return this.days.dayNumberOk(day) && this.todOk(u - day * r.unitsPerDay);
  }

  /** Passing units of day `day` with time of day in [t1, t2), counting only units from u0 on. */
  private unitsOfDay(day: number, t1: number, t2: number): number {
    const r = this.r;
    const upd = r.unitsPerDay;
    if (day < this.d0) return 0;
    if (day === this.d0) t1 = Math.max(t1, r.u0 - day * upd);
    if (t2 <= t1 || !this.days.dayNumberOk(day)) return 0;
    // Units u = day * upd + t on the grid: t ≡ u0 - day * upd (mod interval).
    const res = mod(r.u0 - day * upd, r.interval);
    if (res >= this.start.length - 1) return 0;
    const from = this.start[res]!;
    const to = this.start[res + 1]!;
    return lowerBound(this.byResidue, t2, from, to) - lowerBound(this.byResidue, t1, from, to);
  }

  /** Passing units of the days [fromDay, toDay), a year's table at a time. */
  private unitsInDays(fromDay: number, toDay: number): number {
    const r = this.r;
    const upd = r.unitsPerDay;
    let d = Math.max(fromDay, this.d0);
    let n = 0;
    if (d === this.d0 && d < toDay) n += this.unitsOfDay(d++, 0, upd);
    // The grid's residue for day d, stepped back by a day's units each day.
    let res = mod(r.u0 - d * upd, r.interval);
    const step = upd % r.interval;
    const start = this.start;
    const residues = start.length - 1;
    while (d < toDay) {
      const ii = this.days.info(yearOfDays(d));
      const end = Math.min(toDay, ii.yearordinal + ii.yearlen);
      for (; d < end; d++) {
        if (!r.hasDayFilter || this.days.dayOk(ii, d - ii.yearordinal, null)) n += res < residues ? start[res + 1]! - start[res]! : 0;
        res -= step;
        if (res < 0) res += r.interval;
      }
    }
    return n;
  }

  /** Passing units in [u0, ux). */
  private unitsBefore(ux: number): number {
    if (this.sparse !== null) return lowerBound(this.sparse, ux);
    const upd = this.r.unitsPerDay;
    const day = floorDiv(ux, upd);
    const y = yearOfDays(day);
    return this.years.before(y) + this.unitsInDays(yearStart(y) / MS_DAY, day) + this.unitsOfDay(day, 0, ux - day * upd);
  }
}
