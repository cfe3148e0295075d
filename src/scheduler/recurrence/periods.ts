// Period numbering: period p is the p-th step of `interval` units of the
// frequency counted from DTSTART's period. next() computes the period that
// holds a target time instead of walking to it, which is what makes old
// starts free, and skips sub-daily periods that the BY* parts rule out in
// jumps (a whole day, hour or minute at a time) instead of one by one.
import type { CompiledRule } from "./compiled-rule.ts";
import { DAILY, HOURLY, MINUTELY, MONTHLY, WEEKLY, YEARLY } from "./compiled-rule.ts";
import { MS_DAY, ceilDiv, civilFromDays, daysFromCivil, floorDiv, yearOfDays } from "./calendar.ts";
import type { DayFilter } from "./day-filter.ts";

export class PeriodGrid {
  constructor(
    private readonly r: CompiledRule,
    private readonly days: DayFilter,
  ) {}

  /** The period holding floating time l (0 for anything before DTSTART). */
  indexOf(l: number): number {
    const r = this.r;
    let p: number;
    switch (r.freq) {
      case YEARLY: p = floorDiv(yearOfDays(floorDiv(l, MS_DAY)) - r.y0, r.interval); break;
      case MONTHLY: {
        const [y, m] = civilFromDays(floorDiv(l, MS_DAY));
        p = floorDiv(y * 12 + m - 1 - r.mi0, r.interval);
        break;
      }
      case WEEKLY: p = floorDiv(floorDiv(l, MS_DAY) - r.ws0, 7 * r.interval); break;
      case DAILY: p = floorDiv(floorDiv(l, MS_DAY) - r.d0, r.interval); break;
      default: p = floorDiv(floorDiv(l, r.unitMs) - r.u0, r.interval);
    }
    return p < 0 ? 0 : p;
  }

  /** Floating start of period p (for limits). */
  start(p: number): number {
    const r = this.r;
    switch (r.freq) {
      case YEARLY: return daysFromCivil(r.y0 + p * r.interval, 1, 1) * MS_DAY;
      case MONTHLY: {
        const mi = r.mi0 + p * r.interval;
        return daysFromCivil(Math.floor(mi / 12), (mi % 12) + 1, 1) * MS_DAY;
      }
      case WEEKLY: return (p === 0 ? r.d0 : r.ws0 + p * 7 * r.interval) * MS_DAY;
      case DAILY: return (r.d0 + p * r.interval) * MS_DAY;
      default: return (r.u0 + p * r.interval) * r.unitMs;
    }
  }

  /**
   * Smallest p' >= p whose sub-daily period passes the day and time filters,
   * -1 past `limit`, or -2 once `maxSteps` periods were tried without finding
   * one (the caller then counts instead of walking).
   */
  nextSubDaily(p: number, limit: number, maxSteps = Infinity): number {
    const r = this.r;
    const iv = r.interval;
    const upd = r.unitsPerDay;
    for (let steps = 0; ; steps++) {
      if (steps >= maxSteps) return -2;
      const u = r.u0 + p * iv;
      if (u * r.unitMs > limit) return -1;
      const day = floorDiv(u, upd);
      if (!this.days.dayNumberOk(day)) {
        p = Math.max(p + 1, ceilDiv((day + 1) * upd - r.u0, iv));
        continue;
      }
      const tod = u - day * upd;
      if (r.freq === HOURLY) {
        if (r.hourMask !== null && !r.hourMask[tod]) { p++; continue; }
      } else if (r.freq === MINUTELY) {
        const h = Math.floor(tod / 60);
        if (r.hourMask !== null && !r.hourMask[h]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (h + 1) * 60 - r.u0, iv));
          continue;
        }
        if (r.minuteMask !== null && !r.minuteMask[tod % 60]) { p++; continue; }
      } else {
        const h = Math.floor(tod / 3600);
        if (r.hourMask !== null && !r.hourMask[h]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (h + 1) * 3600 - r.u0, iv));
          continue;
        }
        const mAll = Math.floor(tod / 60);
        if (r.minuteMask !== null && !r.minuteMask[mAll % 60]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (mAll + 1) * 60 - r.u0, iv));
          continue;
        }
        if (r.secondMask !== null && !r.secondMask[tod % 60]) { p++; continue; }
      }
      return p;
    }
  }
}
