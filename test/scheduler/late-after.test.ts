// late_after: runs found later than the deadline are skipped (and recorded by
// the runner) before the catchup policy applies to what is left.
import { describe, expect, test } from "bun:test";
import { planCatchup } from "../../src/scheduler/catchup.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

function grid(start: number, step: number, count = Infinity) {
  return {
    next(after: number): number | null {
      const k = after < start ? 0 : Math.floor((after - start) / step) + 1;
      return k < count ? start + k * step : null;
    },
    countBefore(ms: number): number {
      return ms <= start ? 0 : Math.min(count, Math.ceil((ms - start) / step));
    },
  };
}

describe("planCatchup with late_after", () => {
  const every15 = grid(T0, 15 * MIN);

  test("everything older than the deadline is skipped; catchup 'once' fires the first run within it", () => {
    // Down from T0 to T0+2h: runs at T0 … T0+2h; deadline 20 min → T0+1:45 and T0+2:00 are fresh.
    const now = T0 + 2 * HOUR;
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: null, lateAfter: 20 * MIN }, every15, now);
    expect(plan.fire).toEqual([T0 + 105 * MIN]);
    expect(plan.skip[0]).toBe(T0);
    expect(plan.skipped).toBe(8);
    expect(plan.next).toBe(now + 15 * MIN);
  });

  test("catchup 'all' fires only the fresh runs", () => {
    const now = T0 + 2 * HOUR;
    const plan = planCatchup({ nextDue: T0, catchup: "all", remaining: null, lateAfter: 20 * MIN }, every15, now);
    expect(plan.fire).toEqual([T0 + 105 * MIN, T0 + 120 * MIN]);
    expect(plan.skipped).toBe(7);
  });

  test("a run only seconds late but past a short deadline is skipped, even within the catchup grace", () => {
    const plan = planCatchup({ nextDue: T0, catchup: "all", remaining: null, lateAfter: 10_000 }, every15, T0 + 30_000);
    expect(plan).toEqual({ fire: [], skip: [T0], skipped: 1, next: T0 + 15 * MIN, remaining: null });
  });

  test("a count is used up by the late runs", () => {
    const counted = grid(T0, 15 * MIN, 10);
    const now = T0 + 2 * HOUR;
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: 10, lateAfter: 20 * MIN }, counted, now);
    expect(plan.fire).toEqual([T0 + 105 * MIN]);
    expect(plan.remaining).toBe(1);
    expect(plan.next).toBe(T0 + 135 * MIN);
  });

  test("without late_after nothing changes", () => {
    const now = T0 + 2 * HOUR;
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: null }, every15, now);
    expect(plan.fire).toEqual([T0]);
  });
});
