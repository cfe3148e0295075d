// A rule's candidates in floating time (wall time read as if UTC), in
// wall-time order, found from any point without walking from DTSTART. The
// calendar repeats every 400 Gregorian years, so a search that finds nothing
// in a little more than that (times the interval) stops: the rule will never
// match again.
import type { RuleParts } from "../rule-parts.ts";
import { type CompiledRule, HOURLY, MAX_YEAR, compileRule } from "./compiled-rule.ts";
import { MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, floorDiv, yearOfDays } from "./calendar.ts";
import { DayFilter } from "./day-filter.ts";
import { PeriodGrid } from "./periods.ts";
import { PeriodCandidates } from "./period-candidates.ts";
import { END_WALL, OccurrenceCounter } from "./occurrence-count.ts";

const YEAR_MS = 365.2425 * MS_DAY;
/** Up to this many occurrences, walking them is cheaper than counting. */
export const WALK_LIMIT = 4096;
/** Periods a walk may visit before it gives way to counting. */
const SCAN_BUDGET = 20_000;

export class Expander {
  readonly w0: number;
  private readonly r: CompiledRule;
  private readonly grid: PeriodGrid;
  private readonly candidates: PeriodCandidates;
  private readonly maxScan: number;
  private readonly counter: OccurrenceCounter;

  constructor(rule: RuleParts, w0: number) {
    const r = compileRule(rule, w0);
    const days = new DayFilter(r);
    this.w0 = w0;
    this.r = r;
    this.grid = new PeriodGrid(r, days);
    this.candidates = new PeriodCandidates(r, days);
    const periodMs = [366 * MS_DAY, 31 * MS_DAY, 7 * MS_DAY, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND][r.freq]!;
    this.maxScan = Math.max(401 * YEAR_MS, 401 * r.interval * periodMs);
    this.counter = new OccurrenceCounter(r, days, this.grid, this.candidates);
  }

  /** Candidates w with start <= w <= x, counted without visiting them. */
  countUpTo(x: number): number {
    return this.counter.upTo(x);
  }

  /**
   * First candidate wall time >= max(l, start), or null (none within the scan
   * limit / before year 10000). Walks periods from l, which is quickest when
   * the next candidate is near; a rule whose candidates are rare (or that has
   * none: BYSETPOS past the end of every period, seconds the interval never
   * lands on) is searched by counting once the walk has taken SCAN_BUDGET steps.
   */
  firstAtOrAfter(l: number): number | null {
    if (l < this.w0) l = this.w0;
    const limit = l + this.maxScan;
    const sub = this.r.freq >= HOURLY;
    const grid = this.grid;
    let p = grid.indexOf(l);
    for (let steps = 0; ; steps++) {
      if (steps >= SCAN_BUDGET) return this.firstByCounting(l, limit);
      if (sub) {
        p = grid.nextSubDaily(p, limit, SCAN_BUDGET);
        if (p === -2) return this.firstByCounting(l, limit);
        if (p < 0) return null;
      }
      if (this.beyond(p, limit)) return null;
      const list = this.candidates.of(p);
      const n = list.length;
      if (n > 0 && list[n - 1]! >= l) {
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (list[mid]! >= l) hi = mid;
          else lo = mid + 1;
        }
        return list[lo]!;
      }
      p++;
    }
  }

  private firstByCounting(l: number, limit: number): number | null {
    const before = this.counter.upTo(l - 1);
    const bound = Math.min(limit, END_WALL);
    if (this.counter.upTo(bound) <= before) return null;
    return this.counter.nth(before + 1, bound);
  }

  /**
   * Wall time of the count-th candidate (1-based), or the last one if there
   * are fewer. A small count is walked (cheapest); a larger one is found by
   * counting, in time bounded by the calendar rather than by the count.
   */
  nthCandidate(count: number, untilWall: number, walkLimit = WALK_LIMIT): number | null {
    return count <= walkLimit ? this.walkToNth(count, untilWall) : this.counter.nth(count, untilWall);
  }

  private walkToNth(count: number, untilWall: number): number | null {
    let steps = 0;
    let p = 0;
    let acc = 0;
    let last: number | null = null;
    let lastSeen = this.w0;
    const sub = this.r.freq >= HOURLY;
    for (;; steps++) {
      if (steps >= SCAN_BUDGET) return this.counter.nth(count, untilWall);
      if (sub) {
        p = this.grid.nextSubDaily(p, lastSeen + this.maxScan, SCAN_BUDGET);
        if (p === -2) return this.counter.nth(count, untilWall);
        if (p < 0) return last;
      }
      if (this.beyond(p, Math.min(lastSeen + this.maxScan, untilWall))) return last;
      const list = this.candidates.of(p);
      for (const w of list) {
        if (w < this.w0) continue;
        if (w > untilWall) return last;
        acc++;
        last = w;
        lastSeen = w;
        if (acc >= count) return w;
      }
      p++;
    }
  }

  /** Whether period p starts past `limit` or past the last year we represent. */
  private beyond(p: number, limit: number): boolean {
    const ps = this.grid.start(p);
    return ps > limit || yearOfDays(floorDiv(ps, MS_DAY)) > MAX_YEAR;
  }
}
