// From a rule's wall-time candidates to instants in a zone, within the rule's
// count and until. Wall-time order is instant order except around a
// spring-forward gap, where a gap time (read with the offset from before the
// gap) can land on or after later wall times: those are merged into one
// increasing sequence of distinct instants.
import type { Recurrence } from "./types.ts";
import type { RuleParts } from "../rule-parts.ts";
import { RuleError } from "../rule-parse.ts";
import { MS_HOUR, MS_SECOND } from "./calendar.ts";
import { type Expander, WALK_LIMIT } from "./expander.ts";
import { floatingFromLocal, floatingToInstant, instantToFloating, offsetAt, parseLocal } from "../zoned-time.ts";

// Longest offset change we look back over when a gap may reorder wall times.
const GAP_LOOKBACK = 26 * MS_HOUR;

/** `until` as a wall-time bound for the search and an instant bound for the result (Infinity: none). */
export function untilBounds(until: RuleParts["until"], tz: string): { untilWall: number; untilInstant: number } {
  if (until === undefined) return { untilWall: Infinity, untilInstant: Infinity };
  if ("local" in until) {
    const u = parseLocal(until.local);
    if (u === null) throw new RuleError(`invalid until '${until.local}'`, "until");
    return { untilWall: floatingFromLocal(u), untilInstant: Infinity };
  }
  // Instants are compared as instants; this wall bound only prunes the
  // search (offsets never exceed ±26 h).
  return { untilWall: instantToFloating(until.instant, tz) + GAP_LOOKBACK, untilInstant: until.instant };
}

export class RuleRecurrence implements Recurrence {
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

  /** Whether the rule has an occurrence at wall time `w` (within its count and until): EXDATEs compare wall times. */
  producesWall(w: number): boolean {
    if (this.never || w > this.lastWall() || this.ex.firstAtOrAfter(w) !== w) return false;
    return floatingToInstant(w, this.tz) <= this.untilInstant;
  }

  take(afterMs: number, n: number): number[] {
    return takeAfter((t) => this.next(t), afterMs, n);
  }

  /**
   * Occurrences of the rule, as `count` counts them (wall times, before two
   * that land on one instant in a spring-forward gap collapse), whose instant
   * is before ms. A count small enough to walk is walked; otherwise the bulk
   * is counted (see occurrence-count.ts) and only the wall times near ms,
   * where a UTC offset change can reorder wall and instant, are visited.
   */
  countBefore(ms: number): number {
    if (this.never) return 0;
    const end = Math.min(ms, this.untilInstant + 1);
    const cap = Math.min(this.lastWall(), this.untilWall);
    if (this.count !== undefined && this.count <= WALK_LIMIT) return this.walkCount(this.ex.w0, cap, end, 0, true);
    if (!Number.isFinite(end)) return this.ex.countUpTo(cap);
    const wall = instantToFloating(end, this.tz);
    const spread = offsetSpread(end, this.tz);
    // Wall times before `wall - spread` are before `end` whatever the offsets.
    const n = this.ex.countUpTo(Math.min(wall - spread - 1, cap));
    return this.walkCount(Math.max(this.ex.w0, wall - spread), Math.min(cap, wall + spread), end, n, false);
  }

  /** n plus the wall times in [from, to] whose instant is before `end`. */
  private walkCount(from: number, to: number, end: number, n: number, memoize: boolean): number {
    const tz = this.tz;
    const memo = this.memo;
    if (memoize && memo !== null && memo.inst < end && memo.wall >= from) {
      n = memo.n;
      from = memo.wall + 1;
    }
    // A gap time's instant lies past the wall times that follow it; until
    // those are passed, no prefix of the walk is safe to remember.
    let gapHigh = -Infinity;
    for (let w = this.ex.firstAtOrAfter(from); w !== null && w <= to; w = this.ex.firstAtOrAfter(w + 1)) {
      const inst = floatingToInstant(w, tz);
      const inGap = instantToFloating(inst, tz) !== w;
      if (inst >= end) {
        if (!inGap) break;
        gapHigh = Math.max(gapHigh, inst);
        continue;
      }
      n++;
      if (inGap) gapHigh = Math.max(gapHigh, inst);
      else if (memoize && gapHigh <= inst) this.memo = { wall: w, inst, n };
    }
    return n;
  }
}

/** The largest UTC offset change within a day and a bit of `at` (0 away from any change). */
function offsetSpread(at: number, tz: string): number {
  const here = offsetAt(at, tz);
  return Math.max(Math.abs(offsetAt(at - GAP_LOOKBACK, tz) - here), Math.abs(offsetAt(at + GAP_LOOKBACK, tz) - here));
}

/** The first n occurrences after afterMs, by stepping `next`. */
export function takeAfter(next: (afterMs: number) => number | null, afterMs: number, n: number): number[] {
  const out: number[] = [];
  let t = afterMs;
  while (out.length < n) {
    const x = next(t);
    if (x === null) break;
    out.push(x);
    t = x;
  }
  return out;
}
