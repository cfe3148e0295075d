// The recurrence engine: RuleParts + start + zone -> occurrences as instants.
//
// Expansion happens in "floating" time (wall time read as if UTC) with the
// semantics of python-dateutil's rrule, and only the final wall times are
// converted to instants. next() jumps straight to the period containing the
// target time instead of walking from `start`, so old starts cost nothing.
//
// Where we differ from dateutil (deliberately, per RFC 5545 §3.3.5):
// - A wall time in a spring-forward gap is read with the offset from before
//   the gap. Example: daily at 02:30 Europe/Berlin on 2026-03-29 fires at
//   2026-03-29T03:30:00+02:00 (01:30Z). dateutil with a dateutil.tz zone gives
//   02:30+02:00 = 00:30Z (an hour earlier); with a zoneinfo zone it agrees
//   with us on the instant but keeps 02:30 as the wall time.
// - dateutil yields occurrences in wall-time order, so an hourly rule crossing
//   a gap yields 02:00 (01:00Z) after 01:30 and then 03:00 (01:00Z) again; we
//   return instants in increasing order and two wall times that land on one
//   instant are one occurrence. `count` still counts the rule's wall-time
//   occurrences (as RFC 5545 and dateutil do) before duplicates collapse.
// - A rule that can never match (or matches less than once in ~400 years)
//   answers null; dateutil loops until year 9999 or raises.
import type { RuleParts } from "./rule-parts.ts";
import { RuleError } from "./rule-parse.ts";
import {
  MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, ceilDiv, civilFromDays, daysFromCivil, floorDiv, weekdayOfDays, yearOfDays,
} from "./recurrence-calendar.ts";
import { type YearInfo, buildNthWeekdayMask, buildYearInfo } from "./recurrence-year-info.ts";
import { floatingFromLocal, floatingToInstant, instantToFloating, isValidTimeZone, offsetAt, parseLocal } from "./zoned-time.ts";

export interface ScheduleSpec {
  /** Local wall time (DTSTART), e.g. 2026-11-30T09:55:00. */
  start: string;
  tz: string;
  /** null: a one-shot at `start`. */
  rule: RuleParts | null;
}

export interface Recurrence {
  /** First occurrence strictly after afterMs (epoch ms); null when there are no more. */
  next(afterMs: number): number | null;
  /** Up to n occurrences strictly after afterMs. */
  take(afterMs: number, n: number): number[];
  /** Distinct occurrences strictly before ms, counting from start (bounded by count). */
  countBefore(ms: number): number;
}

const YEARLY = 0;
const MONTHLY = 1;
const WEEKLY = 2;
const DAILY = 3;
const HOURLY = 4;
const MINUTELY = 5;
const SECONDLY = 6;
const FREQ_INDEX: Record<RuleParts["freq"], number> = {
  yearly: YEARLY, monthly: MONTHLY, weekly: WEEKLY, daily: DAILY, hourly: HOURLY, minutely: MINUTELY, secondly: SECONDLY,
};

const MAX_YEAR = 9999;
const YEAR_MS = 365.2425 * MS_DAY;
// Longest offset change we look back over when a gap may reorder wall times.
const GAP_LOOKBACK = 26 * MS_HOUR;

function mask(values: readonly number[] | null, size: number, shift = 0): Uint8Array | null {
  if (values === null) return null;
  const m = new Uint8Array(size);
  for (const v of values) m[v + shift] = 1;
  return m;
}

function sortedUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Floating-time expansion of one rule: candidates in wall-time order. */
class Expander {
  readonly freq: number;
  readonly interval: number;
  readonly wkst: number;
  readonly w0: number;
  readonly y0: number;
  readonly m0: number;
  readonly d0: number;
  readonly wd0: number;
  readonly ws0: number;
  readonly mi0: number;
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
  readonly maxScan: number;

  private infoCache: YearInfo[] = [];
  private nwCache: { key: number; mask: Uint8Array }[] = [];
  private lastP = -1;
  private lastList: number[] = [];

  constructor(rule: RuleParts, w0: number) {
    const freq = FREQ_INDEX[rule.freq];
    this.freq = freq;
    this.interval = rule.interval;
    this.wkst = rule.wkst ?? 0;
    this.w0 = w0;
    const d0 = floorDiv(w0, MS_DAY);
    const [y0, m0, day0] = civilFromDays(d0);
    const tod = w0 - d0 * MS_DAY;
    const h0 = Math.floor(tod / MS_HOUR);
    const min0 = Math.floor((tod % MS_HOUR) / MS_MINUTE);
    const s0 = Math.floor((tod % MS_MINUTE) / MS_SECOND);
    this.y0 = y0;
    this.m0 = m0;
    this.d0 = d0;
    this.wd0 = weekdayOfDays(d0);
    this.ws0 = d0 - ((this.wd0 - this.wkst + 7) % 7);
    this.mi0 = y0 * 12 + m0 - 1;
    this.unitMs = freq === HOURLY ? MS_HOUR : freq === MINUTELY ? MS_MINUTE : MS_SECOND;
    this.unitsPerDay = MS_DAY / this.unitMs;
    this.u0 = floorDiv(w0, this.unitMs);

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
        byweekday = [{ day: this.wd0 as 0 }];
      }
    }
    this.bymonth = mask(bymonth, 13);
    this.byweekno = rule.byweekno === undefined ? null : sortedUnique(rule.byweekno);
    this.byyearday = rule.byyearday === undefined ? null : new Set(rule.byyearday);
    this.bymonthday = new Set((bymonthday ?? []).filter((d) => d > 0));
    this.bynmonthday = new Set((bymonthday ?? []).filter((d) => d < 0));
    this.hasMonthday = bymonthday !== null;
    let plain: number[] | null = null;
    let nth: [number, number][] | null = null;
    if (byweekday !== null) {
      plain = [];
      nth = [];
      for (const w of byweekday) {
        if (w.n === undefined || freq > MONTHLY) plain.push(w.day);
        else nth.push([w.day, w.n]);
      }
      // dateutil: plain weekdays and nth weekdays given together must both match.
      if (plain.length === 0) plain = null;
      else if (nth.length === 0) nth = null;
    }
    this.byweekday = mask(plain, 7);
    this.bynweekday = nth;
    this.bysetpos = rule.bysetpos === undefined ? null : [...rule.bysetpos];
    const byhour = rule.byhour ?? (freq < HOURLY ? [h0] : null);
    const byminute = rule.byminute ?? (freq < MINUTELY ? [min0] : null);
    const bysecond = rule.bysecond ?? (freq < SECONDLY ? [s0] : null);
    this.hourMask = mask(byhour, 24);
    this.minuteMask = mask(byminute, 60);
    this.secondMask = mask(bysecond, 60);
    this.hasDayFilter = this.bymonth !== null || this.byweekno !== null || this.byyearday !== null
      || this.hasMonthday || this.byweekday !== null || this.bynweekday !== null;

    const hs = sortedUnique(byhour ?? [0]);
    const ms = sortedUnique(byminute ?? [0]);
    const ss = sortedUnique(bysecond ?? [0]);
    const ts: number[] = [];
    if (freq < HOURLY) {
      for (const h of hs) for (const m of ms) for (const s of ss) ts.push(h * MS_HOUR + m * MS_MINUTE + s * MS_SECOND);
    } else if (freq === HOURLY) {
      for (const m of ms) for (const s of ss) ts.push(m * MS_MINUTE + s * MS_SECOND);
    } else if (freq === MINUTELY) {
      for (const s of ss) ts.push(s * MS_SECOND);
    } else {
      ts.push(0);
    }
    this.timeset = ts.sort((a, b) => a - b);
    const periodMs = [366 * MS_DAY, 31 * MS_DAY, 7 * MS_DAY, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND][freq]!;
    this.maxScan = Math.max(401 * YEAR_MS, 401 * this.interval * periodMs);
  }

  private info(year: number): YearInfo {
    const c = this.infoCache;
    for (let i = 0; i < c.length; i++) if (c[i]!.year === year) return c[i]!;
    const ii = buildYearInfo(year, this.byweekno, this.wkst);
    if (c.length >= 4) c.shift();
    c.push(ii);
    return ii;
  }

  private nwMask(ii: YearInfo, month: number): Uint8Array | null {
    const nth = this.bynweekday;
    if (nth === null) return null;
    const key = ii.year * 16 + (this.freq === MONTHLY ? month : 0);
    const c = this.nwCache;
    for (let i = 0; i < c.length; i++) if (c[i]!.key === key) return c[i]!.mask;
    let ranges: [number, number][];
    if (this.freq === MONTHLY) {
      ranges = [[ii.mrange[month - 1]!, ii.mrange[month]!]];
    } else if (this.bymonth !== null) {
      ranges = [];
      for (let m = 1; m <= 12; m++) if (this.bymonth[m]) ranges.push([ii.mrange[m - 1]!, ii.mrange[m]!]);
    } else {
      ranges = [[0, ii.yearlen]];
    }
    const m = buildNthWeekdayMask(ii, ranges, nth);
    if (c.length >= 4) c.shift();
    c.push({ key, mask: m });
    return m;
  }

  /** dateutil's day filter; i is the day's index in ii's year (may run into the next year). */
  private dayOk(ii: YearInfo, i: number, nw: Uint8Array | null): boolean {
    if (this.bymonth !== null && !this.bymonth[ii.mmask[i]!]) return false;
    if (this.byweekno !== null && !ii.wnomask![i]) return false;
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

  private dayNumberOk(day: number): boolean {
    if (!this.hasDayFilter) return true;
    const ii = this.info(yearOfDays(day));
    return this.dayOk(ii, day - ii.yearordinal, null);
  }

  private periodIndexOf(l: number): number {
    let p: number;
    switch (this.freq) {
      case YEARLY: p = floorDiv(yearOfDays(floorDiv(l, MS_DAY)) - this.y0, this.interval); break;
      case MONTHLY: {
        const [y, m] = civilFromDays(floorDiv(l, MS_DAY));
        p = floorDiv(y * 12 + m - 1 - this.mi0, this.interval);
        break;
      }
      case WEEKLY: p = floorDiv(floorDiv(l, MS_DAY) - this.ws0, 7 * this.interval); break;
      case DAILY: p = floorDiv(floorDiv(l, MS_DAY) - this.d0, this.interval); break;
      default: p = floorDiv(floorDiv(l, this.unitMs) - this.u0, this.interval);
    }
    return p < 0 ? 0 : p;
  }

  /** Floating start of period p (for limits). */
  private periodStart(p: number): number {
    switch (this.freq) {
      case YEARLY: return daysFromCivil(this.y0 + p * this.interval, 1, 1) * MS_DAY;
      case MONTHLY: {
        const mi = this.mi0 + p * this.interval;
        return daysFromCivil(Math.floor(mi / 12), (mi % 12) + 1, 1) * MS_DAY;
      }
      case WEEKLY: return (p === 0 ? this.d0 : this.ws0 + p * 7 * this.interval) * MS_DAY;
      case DAILY: return (this.d0 + p * this.interval) * MS_DAY;
      default: return (this.u0 + p * this.interval) * this.unitMs;
    }
  }

  /** Smallest p' >= p whose sub-daily period passes the day and time filters, or -1 past `limit`. */
  private nextSubDailyPeriod(p: number, limit: number): number {
    const iv = this.interval;
    const upd = this.unitsPerDay;
    for (;;) {
      const u = this.u0 + p * iv;
      if (u * this.unitMs > limit) return -1;
      const day = floorDiv(u, upd);
      if (!this.dayNumberOk(day)) {
        p = Math.max(p + 1, ceilDiv((day + 1) * upd - this.u0, iv));
        continue;
      }
      const tod = u - day * upd;
      if (this.freq === HOURLY) {
        if (this.hourMask !== null && !this.hourMask[tod]) { p++; continue; }
      } else if (this.freq === MINUTELY) {
        const h = Math.floor(tod / 60);
        if (this.hourMask !== null && !this.hourMask[h]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (h + 1) * 60 - this.u0, iv));
          continue;
        }
        if (this.minuteMask !== null && !this.minuteMask[tod % 60]) { p++; continue; }
      } else {
        const h = Math.floor(tod / 3600);
        if (this.hourMask !== null && !this.hourMask[h]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (h + 1) * 3600 - this.u0, iv));
          continue;
        }
        const mAll = Math.floor(tod / 60);
        if (this.minuteMask !== null && !this.minuteMask[mAll % 60]) {
          p = Math.max(p + 1, ceilDiv(day * upd + (mAll + 1) * 60 - this.u0, iv));
          continue;
        }
        if (this.secondMask !== null && !this.secondMask[tod % 60]) { p++; continue; }
      }
      return p;
    }
  }

  private applySetpos(all: number[]): number[] {
    const sp = this.bysetpos;
    if (sp === null || all.length === 0) return all;
    const out: number[] = [];
    for (const pos of sp) {
      const v = pos > 0 ? all[pos - 1] : all[all.length + pos];
      if (v !== undefined && !out.includes(v)) out.push(v);
    }
    return out.sort((a, b) => a - b);
  }

  /** Sorted candidates of period p (sub-daily: p must have passed nextSubDailyPeriod). */
  private periodList(p: number): number[] {
    if (p === this.lastP) return this.lastList;
    const out: number[] = [];
    const ts = this.timeset;
    if (this.freq >= HOURLY) {
      const base = (this.u0 + p * this.interval) * this.unitMs;
      for (const t of ts) out.push(base + t);
    } else {
      let ii: YearInfo;
      let from: number;
      let to: number;
      let nw: Uint8Array | null = null;
      switch (this.freq) {
        case YEARLY: {
          ii = this.info(this.y0 + p * this.interval);
          from = 0;
          to = ii.yearlen;
          nw = this.nwMask(ii, 0);
          break;
        }
        case MONTHLY: {
          const mi = this.mi0 + p * this.interval;
          const month = (mi % 12) + 1;
          ii = this.info(Math.floor(mi / 12));
          from = ii.mrange[month - 1]!;
          to = ii.mrange[month]!;
          nw = this.nwMask(ii, month);
          break;
        }
        case WEEKLY: {
          // dateutil's first weekly period runs from DTSTART's day to the week's end.
          const startDay = p === 0 ? this.d0 : this.ws0 + p * 7 * this.interval;
          ii = this.info(yearOfDays(startDay));
          from = startDay - ii.yearordinal;
          to = p === 0 ? from + 7 - ((this.wd0 - this.wkst + 7) % 7) : from + 7;
          break;
        }
        default: {
          const day = this.d0 + p * this.interval;
          ii = this.info(yearOfDays(day));
          from = day - ii.yearordinal;
          to = from + 1;
        }
      }
      for (let i = from; i < to; i++) {
        if (!this.hasDayFilter || this.dayOk(ii, i, nw)) {
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

  /** First candidate wall time >= max(l, start), or null (none within the scan limit / before year 10000). */
  firstAtOrAfter(l: number): number | null {
    if (l < this.w0) l = this.w0;
    const limit = l + this.maxScan;
    const sub = this.freq >= HOURLY;
    let p = this.periodIndexOf(l);
    for (;;) {
      if (sub) {
        p = this.nextSubDailyPeriod(p, limit);
        if (p < 0) return null;
      }
      const ps = this.periodStart(p);
      if (ps > limit || yearOfDays(floorDiv(ps, MS_DAY)) > MAX_YEAR) return null;
      const list = this.periodList(p);
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
    const sub = this.freq >= HOURLY;
    for (;;) {
      if (sub) {
        p = this.nextSubDailyPeriod(p, lastSeen + this.maxScan);
        if (p < 0) return last;
      }
      const ps = this.periodStart(p);
      if (ps > lastSeen + this.maxScan || ps > untilWall || yearOfDays(floorDiv(ps, MS_DAY)) > MAX_YEAR) return last;
      const list = this.periodList(p);
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
}

class RuleRecurrence implements Recurrence {
  private lastWallCache: number | null | undefined;
  private memo: { wall: number; inst: number; n: number } | null = null;
  readonly never: boolean;

  constructor(
    private readonly ex: Expander,
    private readonly tz: string,
    private readonly count: number | undefined,
    private readonly untilWall: number,
    private readonly untilInstant: number,
  ) {
    const first = ex.firstAtOrAfter(ex.w0);
    this.never = first === null || first > untilWall;
  }

  /** Wall time past which the count is exhausted. */
  private lastWall(): number {
    if (this.count === undefined) return this.untilWall;
    if (this.lastWallCache === undefined) this.lastWallCache = this.ex.nthCandidate(this.count, this.untilWall);
    return this.lastWallCache ?? -Infinity;
  }

  next(afterMs: number): number | null {
    if (this.never || !Number.isFinite(afterMs)) return null;
    const tz = this.tz;
    const lastWall = this.lastWall();
    const lw = instantToFloating(afterMs, tz);
    // A wall time shortly before lw can still be after afterMs if it sits in a
    // spring-forward gap that was just crossed.
    const slack = Math.max(0, offsetAt(afterMs, tz) - offsetAt(afterMs - GAP_LOOKBACK, tz));
    let w = this.ex.firstAtOrAfter(Math.floor((lw - slack) / MS_SECOND) * MS_SECOND);
    let best: number | null = null;
    let stopAt = Infinity;
    while (w !== null && w < stopAt && w <= lastWall) {
      const inst = floatingToInstant(w, tz);
      const back = instantToFloating(inst, tz);
      const inGap = back !== w;
      if (inst > this.untilInstant) {
        if (!inGap) break;
      } else if (inst > afterMs) {
        if (best === null || inst < best) best = inst;
        // Outside gaps wall order is instant order; a gap time can only be
        // overtaken by wall times before `back`.
        if (!inGap) break;
        stopAt = Math.min(stopAt, back);
      }
      w = this.ex.firstAtOrAfter(w + 1);
    }
    return best;
  }

  take(afterMs: number, n: number): number[] {
    const out: number[] = [];
    let t = afterMs;
    while (out.length < n) {
      const x = this.next(t);
      if (x === null) break;
      out.push(x);
      t = x;
    }
    return out;
  }

  countBefore(ms: number): number {
    if (this.never) return 0;
    const tz = this.tz;
    const lastWall = this.lastWall();
    let n = 0;
    let from = this.ex.w0;
    const memo = this.memo;
    if (memo !== null && memo.inst < ms) {
      n = memo.n;
      from = memo.wall + 1;
    }
    // Instants of recent gap wall times: the same instant reached again from
    // after the gap is the same occurrence.
    let pending: number[] = [];
    for (let w = this.ex.firstAtOrAfter(from); w !== null && w <= lastWall; w = this.ex.firstAtOrAfter(w + 1)) {
      const inst = floatingToInstant(w, tz);
      const inGap = instantToFloating(inst, tz) !== w;
      if (inst > this.untilInstant || inst >= ms) {
        if (!inGap) break;
        continue;
      }
      if (!pending.includes(inst)) n++;
      if (inGap) {
        pending.push(inst);
      } else {
        pending = pending.filter((x) => x > inst);
        if (pending.length === 0) this.memo = { wall: w, inst, n };
      }
    }
    return n;
  }
}

class OneShot implements Recurrence {
  constructor(private readonly at: number) {}
  next(afterMs: number): number | null {
    return this.at > afterMs ? this.at : null;
  }
  take(afterMs: number, n: number): number[] {
    return n > 0 && this.at > afterMs ? [this.at] : [];
  }
  countBefore(ms: number): number {
    return this.at < ms ? 1 : 0;
  }
}

export function compileSchedule(spec: ScheduleSpec): Recurrence {
  if (!isValidTimeZone(spec.tz)) throw new RuleError(`unknown time zone '${spec.tz}' (expected an IANA name such as Europe/Berlin)`, "tz");
  const start = parseLocal(spec.start);
  if (start === null) throw new RuleError(`invalid start '${spec.start}' (expected a local date-time YYYY-MM-DDTHH:MM:SS)`, "start");
  if (start.year < 1 || start.year > MAX_YEAR) throw new RuleError(`start year ${start.year} is out of range`, "start");
  const w0 = floatingFromLocal(start);
  const rule = spec.rule;
  if (rule === null) return new OneShot(floatingToInstant(w0, spec.tz));
  if (!Number.isInteger(rule.interval) || rule.interval < 1) throw new RuleError("rrule part 'interval' must be at least 1", "interval");
  if (rule.count !== undefined && rule.until !== undefined) throw new RuleError("rrule parts 'count' and 'until' cannot both be given", "until");
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) throw new RuleError("rrule part 'count' must be at least 1", "count");
  let untilWall = Infinity;
  let untilInstant = Infinity;
  if (rule.until !== undefined) {
    if ("local" in rule.until) {
      const u = parseLocal(rule.until.local);
      if (u === null) throw new RuleError(`invalid until '${rule.until.local}'`, "until");
      untilWall = floatingFromLocal(u);
    } else {
      untilInstant = rule.until.instant;
      // Instants are compared as instants; this wall bound only prunes the
      // search (offsets never exceed ±26 h).
      untilWall = instantToFloating(untilInstant, spec.tz) + GAP_LOOKBACK;
    }
  }
  return new RuleRecurrence(new Expander(rule, w0), spec.tz, rule.count, untilWall, untilInstant);
}
