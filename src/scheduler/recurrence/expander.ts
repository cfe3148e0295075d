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

const YEAR_MS = 365.2425 * MS_DAY;

export class Expander {
  readonly w0: number;
  private readonly r: CompiledRule;
  private readonly grid: PeriodGrid;
  private readonly candidates: PeriodCandidates;
  private readonly maxScan: number;

  constructor(rule: RuleParts, w0: number) {
    const r = compileRule(rule, w0);
    const days = new DayFilter(r);
    this.w0 = w0;
    this.r = r;
    this.grid = new PeriodGrid(r, days);
    this.candidates = new PeriodCandidates(r, days);
    const periodMs = [366 * MS_DAY, 31 * MS_DAY, 7 * MS_DAY, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND][r.freq]!;
    this.maxScan = Math.max(401 * YEAR_MS, 401 * r.interval * periodMs);
  }

  /** First candidate wall time >= max(l, start), or null (none within the scan limit / before year 10000). */
  firstAtOrAfter(l: number): number | null {
    if (l < this.w0) l = this.w0;
    const limit = l + this.maxScan;
    const sub = this.r.freq >= HOURLY;
    const grid = this.grid;
    let p = grid.indexOf(l);
    for (;;) {
      if (sub) {
        p = grid.nextSubDaily(p, limit);
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

  /** Wall time of the count-th candidate (1-based), or the last one if there are fewer. */
  nthCandidate(count: number, untilWall: number): number | null {
    let p = 0;
    let acc = 0;
    let last: number | null = null;
    let lastSeen = this.w0;
    const sub = this.r.freq >= HOURLY;
    for (;;) {
      if (sub) {
        p = this.grid.nextSubDaily(p, lastSeen + this.maxScan);
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
