// Where a task stands: its next due time, what its `count` leaves, and
// whether it is done. The one place these are computed, for the store (when a
// task is added or its rule changes), the runner (after each claim) and
// catch-up (after a gap).
import type { Recurrence } from "./recurrence/recurrence.ts";
import { compileTaskSchedule, trackedCount, type TaskScheduleFields } from "./recurrence/recurrence.ts";

export interface Schedule {
  nextDue: number | null;
  /** What the count leaves, counting the occurrence at nextDue; null without a count. */
  remaining: number | null;
  state: "active" | "done";
}

/**
 * A task scheduled at `now` starts with the occurrences from a second before
 * `now`: a start given as "now" (a Date, or `start = now` from chat) is
 * truncated to whole seconds and must still fire once.
 */
export const START_SLACK_MS = 1000;

/** The first occurrence due for a task scheduled at `now`. */
export function firstDue(rec: Pick<Recurrence, "next">, now: number): number | null {
  return rec.next(now - START_SLACK_MS);
}

/** The schedule of a task (re)scheduled at `now`. */
export function scheduleFrom(task: TaskScheduleFields, now: number): Schedule {
  const rec = compileTaskSchedule(task);
  return scheduleAt(rec, trackedCount(task), firstDue(rec, now));
}

/** The schedule of a task whose next occurrence is `nextDue` (null: none left). */
export function scheduleAt(
  rec: Pick<Recurrence, "countBefore">,
  count: number | undefined,
  nextDue: number | null,
): Schedule {
  const remaining = remainingAt(rec, count, nextDue);
  if (nextDue === null || remaining === 0) return { nextDue: null, remaining, state: "done" };
  return { nextDue, remaining, state: "active" };
}

/**
 * What a `count` leaves once the next occurrence is `nextDue`: counted from
 * the rule, so fired and skipped occurrences use it up alike.
 */
export function remainingAt(rec: Pick<Recurrence, "countBefore">, count: number | undefined, nextDue: number | null): number | null {
  if (count === undefined) return null;
  if (nextDue === null) return 0;
  return Math.max(0, count - rec.countBefore(nextDue));
}
