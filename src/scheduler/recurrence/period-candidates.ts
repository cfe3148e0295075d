// The wall times one period yields: its days that pass the day filter, each
// at every time of the rule's time set, then BYSETPOS picking among them.
// BYSETPOS counts within the period, which is why expansion goes period by
// period rather than day by day.
import type { CompiledRule } from "./compiled-rule.ts";
import { HOURLY, MONTHLY, WEEKLY, YEARLY } from "./compiled-rule.ts";
import { MS_DAY, yearOfDays } from "./calendar.ts";
import type { DayFilter } from "./day-filter.ts";
import type { YearInfo } from "./year-info.ts";

export class PeriodCandidates {
  // Successive searches mostly land in the period the previous one ended in.
  private lastP = -1;
  private lastList: number[] = [];

  constructor(
    private readonly r: CompiledRule,
    private readonly days: DayFilter,
  ) {}

  /** Sorted candidates of period p (sub-daily: p must have passed PeriodGrid.nextSubDaily). */
  of(p: number): number[] {
    if (p === this.lastP) return this.lastList;
    const r = this.r;
    const out: number[] = [];
    const ts = r.timeset;
    if (r.freq >= HOURLY) {
      const base = (r.u0 + p * r.interval) * r.unitMs;
      for (const t of ts) out.push(base + t);
    } else {
      let ii: YearInfo;
      let from: number;
      let to: number;
      let nw: Uint8Array | null = null;
      switch (r.freq) {
        case YEARLY: {
          ii = this.days.info(r.y0 + p * r.interval);
          from = 0;
          to = ii.yearlen;
          nw = this.days.nthWeekdays(ii, 0);
          break;
        }
        case MONTHLY: {
          const mi = r.mi0 + p * r.interval;
          const month = (mi % 12) + 1;
          ii = this.days.info(Math.floor(mi / 12));
          from = ii.mrange[month - 1]!;
          to = ii.mrange[month]!;
          nw = this.days.nthWeekdays(ii, month);
          break;
        }
        case WEEKLY: {
          // dateutil's first weekly period runs from DTSTART's day to the week's end.
          const startDay = p === 0 ? r.d0 : r.ws0 + p * 7 * r.interval;
          ii = this.days.info(yearOfDays(startDay));
          from = startDay - ii.yearordinal;
          to = p === 0 ? from + 7 - ((r.wd0 - r.wkst + 7) % 7) : from + 7;
          break;
        }
        default: {
          const day = r.d0 + p * r.interval;
          ii = this.days.info(yearOfDays(day));
          from = day - ii.yearordinal;
          to = from + 1;
        }
      }
      const days = this.days;
      const filtered = r.hasDayFilter;
      for (let i = from; i < to; i++) {
        if (!filtered || days.dayOk(ii, i, nw)) {
          const base = (ii.yearordinal + i) * MS_DAY;
          for (const t of ts) out.push(base + t);
        }
      }
    }
    const list = this.applySetpos(out);
    this.lastP = p;
    this.lastList = list;
    return list;
  }

  private applySetpos(all: number[]): number[] {
    const sp = this.r.bysetpos;
    if (sp === null || all.length === 0) return all;
    const out: number[] = [];
    for (const pos of sp) {
      const v = pos > 0 ? all[pos - 1] : all[all.length + pos];
      if (v !== undefined && !out.includes(v)) out.push(v);
    }
    return out.sort((a, b) => a - b);
  }
}
