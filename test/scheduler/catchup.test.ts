import { describe, expect, test } from "bun:test";
import { CATCHUP_BOUND, CATCHUP_COUNT_LIMIT, CATCHUP_GRACE_MS, planCatchup } from "../../src/scheduler/catchup.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Occurrences at start + k·step for k < count: easy to reason about by hand. */
function grid(start: number, step: number, count = Infinity) {
  const at = (k: number) => start + k * step;
  return {
    next(after: number): number | null {
      const k = after < start ? 0 : Math.floor((after - start) / step) + 1;
      return k < count ? at(k) : null;
    },
    countBefore(ms: number): number {
      if (ms <= start) return 0;
      return Math.min(count, Math.ceil((ms - start) / step));
    },
  };
}

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

describe("planCatchup with a fake recurrence", () => {
  const hourly = grid(T0, HOUR);

  test("a task not yet due stays as it is", () => {
    const plan = planCatchup({ nextDue: T0 + HOUR, catchup: "all", remaining: null }, hourly, T0);
    expect(plan).toEqual({ fire: [], skip: [], skipped: 0, next: T0 + HOUR, remaining: null });
  });

  test("a task due within the grace is just due: it fires whatever the policy", () => {
    const now = T0 + CATCHUP_GRACE_MS - 1;
    for (const catchup of ["skip", "once", "all"] as const) {
      const plan = planCatchup({ nextDue: T0, catchup, remaining: 5 }, hourly, now);
      expect(plan).toEqual({ fire: [T0], skip: [], skipped: 0, next: T0 + HOUR, remaining: 4 });
    }
  });

  test("the grace boundary: exactly CATCHUP_GRACE_MS late is still on time, one ms more is missed", () => {
    expect(planCatchup({ nextDue: T0, catchup: "skip", remaining: null }, hourly, T0 + CATCHUP_GRACE_MS).fire).toEqual([T0]);
    expect(planCatchup({ nextDue: T0, catchup: "skip", remaining: null }, hourly, T0 + CATCHUP_GRACE_MS + 1).fire).toEqual([]);
  });

  test("skip: fires nothing and carries on after now", () => {
    const now = T0 + 3 * HOUR + 30 * MIN; // missed T0, +1h, +2h, +3h
    const plan = planCatchup({ nextDue: T0, catchup: "skip", remaining: null }, hourly, now);
    expect(plan).toEqual({
      fire: [],
      skip: [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR],
      skipped: 4,
      next: T0 + 4 * HOUR,
      remaining: null,
    });
  });

  test("once: fires the first missed occurrence and skips the others", () => {
    const now = T0 + 3 * HOUR + 30 * MIN;
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: 10 }, hourly, now);
    expect(plan).toEqual({
      fire: [T0],
      skip: [T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR],
      skipped: 3,
      next: T0 + 4 * HOUR,
      remaining: 6,
    });
  });

  test("all: fires every missed occurrence, oldest first", () => {
    const now = T0 + 2 * HOUR + 5 * MIN;
    const plan = planCatchup({ nextDue: T0, catchup: "all", remaining: null }, hourly, now);
    expect(plan).toEqual({ fire: [T0, T0 + HOUR, T0 + 2 * HOUR], skip: [], skipped: 0, next: T0 + 3 * HOUR, remaining: null });
  });

  test("all is bounded: beyond the bound the rest are skipped and counted", () => {
    const now = T0 + 250 * HOUR + 1; // 251 missed: T0 … T0+250h
    const plan = planCatchup({ nextDue: T0, catchup: "all", remaining: null }, hourly, now);
    expect(plan.fire.length).toBe(CATCHUP_BOUND);
    expect(plan.fire[0]).toBe(T0);
    expect(plan.fire[CATCHUP_BOUND - 1]).toBe(T0 + (CATCHUP_BOUND - 1) * HOUR);
    expect(plan.skipped).toBe(251 - CATCHUP_BOUND);
    expect(plan.next).toBe(T0 + 251 * HOUR);
    const small = planCatchup({ nextDue: T0, catchup: "all", remaining: null }, hourly, now, 3);
    expect(small.fire).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(small.skipped).toBe(248);
  });

  test("a long outage of a frequent rule is not walked one occurrence at a time", () => {
    let nextCalls = 0;
    let countCalls = 0;
    const counting = (rec: ReturnType<typeof grid>) => ({
      next: (after: number) => (nextCalls++, rec.next(after)),
      countBefore: (ms: number) => (countCalls++, rec.countBefore(ms)),
    });
    const now = T0 + 30 * 24 * HOUR; // a month of seconds: 2,592,001 occurrences
    // Without a count: counted by stepping, up to the limit, never from the rule's start.
    const plan = planCatchup({ nextDue: T0, catchup: "skip", remaining: null }, counting(grid(T0, 1000)), now);
    expect(plan.skipped).toBe(CATCHUP_COUNT_LIMIT);
    expect(plan.skip.length).toBe(CATCHUP_BOUND);
    expect(plan.next).toBe(now + 1000);
    expect(countCalls).toBe(0);
    expect(nextCalls).toBeLessThan(CATCHUP_COUNT_LIMIT + 5);
    // With a count: countBefore (bounded by the count) gives the exact figure.
    nextCalls = 0;
    const counted = planCatchup({ nextDue: T0, catchup: "all", remaining: 3_000_000 }, counting(grid(T0, 1000, 3_000_000)), now);
    expect(counted.fire.length).toBe(CATCHUP_BOUND);
    expect(counted.skipped).toBe(30 * 24 * 3600 + 1 - CATCHUP_BOUND);
    expect(counted.remaining).toBe(3_000_000 - (30 * 24 * 3600 + 1));
    expect(nextCalls).toBeLessThan(CATCHUP_BOUND + 5);
  });

  test("a missed stretch shorter than the count limit is counted exactly without a count", () => {
    const now = T0 + 5000 * 1000 + 500;
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: null }, grid(T0, 1000), now);
    expect(plan.skipped).toBe(5000);
    expect(plan.next).toBe(T0 + 5001 * 1000);
  });

  test("remaining counts: missed occurrences use up the count and may end the task", () => {
    const counted = grid(T0, HOUR, 5); // T0 … T0+4h
    const now = T0 + 10 * HOUR;
    for (const catchup of ["skip", "once", "all"] as const) {
      const plan = planCatchup({ nextDue: T0 + 2 * HOUR, catchup, remaining: 3 }, counted, now);
      expect(plan.next).toBeNull();
      expect(plan.remaining).toBe(0);
      expect(plan.fire.length + plan.skipped).toBe(3);
    }
    expect(planCatchup({ nextDue: T0 + 2 * HOUR, catchup: "all", remaining: 3 }, counted, now).fire).toEqual([
      T0 + 2 * HOUR,
      T0 + 3 * HOUR,
      T0 + 4 * HOUR,
    ]);
    const partly = planCatchup({ nextDue: T0, catchup: "all", remaining: 5 }, counted, T0 + HOUR + 5 * MIN);
    expect(partly).toEqual({ fire: [T0, T0 + HOUR], skip: [], skipped: 0, next: T0 + 2 * HOUR, remaining: 3 });
  });

  test("a count larger than the bound is counted exactly past the bound", () => {
    const counted = grid(T0, MIN, 1000);
    const plan = planCatchup({ nextDue: T0, catchup: "once", remaining: 1000 }, counted, T0 + 499 * MIN + 1);
    expect(plan.fire).toEqual([T0]);
    expect(plan.skipped).toBe(499);
    expect(plan.remaining).toBe(500);
    expect(plan.next).toBe(T0 + 500 * MIN);
  });

  test("a rule that ended during the outage leaves nothing next", () => {
    const ended = grid(T0, HOUR, 3);
    const plan = planCatchup({ nextDue: T0, catchup: "skip", remaining: null }, ended, T0 + 10 * HOUR);
    expect(plan).toEqual({ fire: [], skip: [T0, T0 + HOUR, T0 + 2 * HOUR], skipped: 3, next: null, remaining: null });
  });

  test("a task with no occurrences left does nothing", () => {
    expect(planCatchup({ nextDue: T0, catchup: "all", remaining: 0 }, hourly, T0 + 5 * HOUR)).toEqual({
      fire: [],
      skip: [],
      skipped: 0,
      next: null,
      remaining: 0,
    });
  });
});

describe("planCatchup with the real recurrence", () => {
  test("a daily 09:00 Berlin task down for three days across the DST change", () => {
    const rec = compileSchedule({ start: "2026-03-27T09:00:00", tz: "Europe/Berlin", rule: { freq: "daily", interval: 1 } });
    const first = Date.parse("2026-03-27T08:00:00Z"); // 09:00 CET
    const now = Date.parse("2026-03-30T12:00:00Z");
    const all = planCatchup({ nextDue: first, catchup: "all", remaining: null }, rec, now);
    expect(all.fire.map((t) => new Date(t).toISOString())).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z", // 09:00 CEST
      "2026-03-30T07:00:00.000Z",
    ]);
    expect(new Date(all.next!).toISOString()).toBe("2026-03-31T07:00:00.000Z");
    const skip = planCatchup({ nextDue: first, catchup: "skip", remaining: null }, rec, now);
    expect(skip.skipped).toBe(4);
    expect(skip.next).toBe(all.next);
  });

  test("a counted weekly rule: skips and fires agree with the rule's own count", () => {
    const rule = { freq: "weekly" as const, interval: 1, count: 10 };
    const rec = compileSchedule({ start: "2026-01-05T10:00:00", tz: "UTC", rule });
    const first = Date.parse("2026-01-05T10:00:00Z");
    const now = Date.parse("2026-02-04T00:00:00Z"); // missed Jan 5, 12, 19, 26, Feb 2
    const plan = planCatchup({ nextDue: first, catchup: "once", remaining: 10 }, rec, now);
    expect(plan.fire).toEqual([first]);
    expect(plan.skipped).toBe(4);
    expect(plan.next).toBe(Date.parse("2026-02-09T10:00:00Z"));
    expect(plan.remaining).toBe(10 - rec.countBefore(plan.next!));
  });
});
