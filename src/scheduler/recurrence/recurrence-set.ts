// An RFC 5545 recurrence set: the union of one or more rules (a cron
// expression can need two) and RDATEs, minus EXDATEs.
//
// EXDATE and RDATE values are wall times in the task's zone, made instants
// exactly as rule occurrences are (a gap time moves forward, an overlap time
// is its first instant), and compared as wall times: an EXDATE at 02:30
// removes the occurrence whose wall time is 02:30, wherever a DST gap moved
// it, and not a 03:30 occurrence that lands on the same instant (as in
// python-dateutil's rruleset). A date-only EXDATE removes every occurrence
// whose local date is that day, RDATEs included. A rule's COUNT limits its own
// occurrences before EXDATE applies (RFC 5545, dateutil).
import { MS_DAY } from "./calendar.ts";
import type { Recurrence } from "./types.ts";
import { takeAfter } from "./instants.ts";
import { floatingToInstant, instantToFloating, offsetAt } from "../zoned-time.ts";

export interface SetParts {
  rules: Recurrence[];
  /** Instants of the RDATEs, sorted ascending. */
  rdates: number[];
  /** Wall times (floating ms) of the RDATEs. */
  rdateWalls: Set<number>;
  /** Wall times (floating ms) of the date-time EXDATEs. */
  exWalls: Set<number>;
  /** Day numbers (floating ms / MS_DAY) of the date-only EXDATEs. */
  exDays: Set<number>;
  tz: string;
}

// Longest offset change looked back over for a gap just before an instant.
const GAP_LOOKBACK = 26 * 3_600_000;

export class RecurrenceSet implements Recurrence {
  /** Instants the EXDATE wall times map to: only these can be excluded. */
  private readonly exInstants: Set<number>;

  constructor(private readonly p: SetParts) {
    this.exInstants = new Set([...p.exWalls].map((w) => floatingToInstant(w, p.tz)));
  }

  next(afterMs: number): number | null {
    let t = afterMs;
    for (;;) {
      const x = this.candidate(t);
      if (x === null) return null;
      const wall = instantToFloating(x, this.p.tz);
      const day = Math.floor(wall / MS_DAY);
      if (this.p.exDays.has(day)) {
        // Skip the rest of an excluded day at once: a secondly rule has 86400 there.
        t = Math.max(x, floatingToInstant((day + 1) * MS_DAY, this.p.tz) - 1);
        continue;
      }
      if (!this.excluded(x, wall)) return x;
      t = x;
    }
  }

  /**
   * An instant is excluded when every wall time that produced it is an
   * EXDATE. Usually that is one wall time; just after a spring-forward gap a
   * gap time (moved forward) can land on the same instant as a later one.
   */
  private excluded(x: number, wall: number): boolean {
    const ex = this.p.exWalls;
    if (!this.exInstants.has(x)) return false;
    const walls = [wall];
    const gap = offsetAt(x, this.p.tz) - offsetAt(x - GAP_LOOKBACK, this.p.tz);
    if (gap > 0 && floatingToInstant(wall - gap, this.p.tz) === x) walls.push(wall - gap);
    const produced = walls.filter((w) => this.p.rdateWalls.has(w) || this.p.rules.some((r) => r.producesWall?.(w) ?? w === wall));
    return produced.length > 0 && produced.every((w) => ex.has(w));
  }

  take(afterMs: number, n: number): number[] {
    return takeAfter((t) => this.next(t), afterMs, n);
  }

  /** The rules' own occurrences before ms (what their COUNT numbers). */
  countBefore(ms: number): number {
    return this.p.rules.reduce((n, r) => n + r.countBefore(ms), 0);
  }

  /** The earliest occurrence of any rule or RDATE after t, before exclusions. */
  private candidate(t: number): number | null {
    let best: number | null = null;
    for (const r of this.p.rules) {
      const x = r.next(t);
      if (x !== null && (best === null || x < best)) best = x;
    }
    const rd = this.p.rdates;
    let lo = 0;
    let hi = rd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rd[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    if (lo < rd.length && (best === null || rd[lo]! < best)) best = rd[lo]!;
    return best;
  }
}

/** Each occurrence of `inner`, `offset` ms earlier: a reminder before a task. */
export class ShiftedRecurrence implements Recurrence {
  constructor(
    private readonly inner: Recurrence,
    private readonly offset: number,
  ) {}

  next(afterMs: number): number | null {
    const x = this.inner.next(afterMs + this.offset);
    return x === null ? null : x - this.offset;
  }

  take(afterMs: number, n: number): number[] {
    return this.inner.take(afterMs + this.offset, n).map((x) => x - this.offset);
  }

  countBefore(ms: number): number {
    return this.inner.countBefore(ms + this.offset);
  }
}
