// Next due, remaining and done: computed in one place for the store, the
// runner and catch-up.
import { describe, expect, test } from "bun:test";
import { START_SLACK_MS, firstDue, remainingAt, scheduleAt, scheduleFrom } from "../../src/scheduler/task-schedule.ts";
import { planCatchup, planSteps } from "../../src/scheduler/catchup.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 0);
const hourly = (count?: number) => ({ start: "2026-01-01T00:00:00", tz: "UTC", rrule: { freq: "hourly" as const, interval: 1, count } });

describe("task schedule", () => {
  test("firstDue: a start truncated to the second (given as 'now') still fires, an older one does not", () => {
    const rec = compileSchedule({ start: "2026-01-01T00:00:00", tz: "UTC", rule: null });
    expect(firstDue(rec, T0 + START_SLACK_MS - 1)).toBe(T0);
    expect(firstDue(rec, T0 + START_SLACK_MS)).toBeNull();
  });

  test("remainingAt counts from the rule: what is left at the next due, none when nothing is next, null without a count", () => {
    const rec = compileSchedule({ start: hourly().start, tz: "UTC", rule: hourly(5).rrule });
    expect(remainingAt(rec, 5, T0)).toBe(5);
    expect(remainingAt(rec, 5, T0 + 3 * HOUR)).toBe(2);
    expect(remainingAt(rec, 5, null)).toBe(0);
    expect(remainingAt(rec, undefined, T0)).toBeNull();
  });

  test("scheduleAt: done when nothing is next or the count is used up", () => {
    const rec = compileSchedule({ start: hourly().start, tz: "UTC", rule: hourly(5).rrule });
    expect(scheduleAt(rec, 5, T0 + HOUR)).toEqual({ nextDue: T0 + HOUR, remaining: 4, state: "active" });
    expect(scheduleAt(rec, 5, null)).toEqual({ nextDue: null, remaining: 0, state: "done" });
    expect(scheduleAt(rec, undefined, null)).toEqual({ nextDue: null, remaining: null, state: "done" });
  });

  test("scheduleFrom: a task added mid-rule starts at its next occurrence with what its count leaves", () => {
    expect(scheduleFrom(hourly(5), T0 + 2 * HOUR + START_SLACK_MS)).toEqual({ nextDue: T0 + 3 * HOUR, remaining: 2, state: "active" });
    expect(scheduleFrom(hourly(5), T0 + 10 * HOUR)).toEqual({ nextDue: null, remaining: 0, state: "done" });
  });

  test("planSteps: each fired occurrence claims the next one, the last lands where the plan says", () => {
    const rec = compileSchedule({ start: hourly().start, tz: "UTC", rule: hourly(10).rrule });
    const plan = planCatchup({ nextDue: T0, catchup: "all", remaining: 10 }, rec, T0 + 2 * HOUR + 5 * 60_000, 2);
    expect(planSteps(plan, 10)).toEqual([
      { due: T0, next: T0 + HOUR, remaining: 9 },
      { due: T0 + HOUR, next: T0 + 3 * HOUR, remaining: 7 }, // passes over T0+2h, skipped beyond the bound
    ]);
    expect(plan.remaining).toBe(remainingAt(rec, 10, plan.next));
    const skip = planCatchup({ nextDue: T0, catchup: "skip", remaining: 10 }, rec, T0 + 5 * HOUR);
    expect(planSteps(skip, 10)).toEqual([]);
  });
});
