// Where a task stands when it is (re)scheduled from `now`: its first
// occurrence at or after `now`, and how many occurrences its count leaves.
import type { BoundTask } from "../config/config-types.ts";
import { compileSchedule } from "../scheduler/recurrence/recurrence.ts";

export interface Schedule {
  nextDue: number | null;
  remaining: number | null;
  state: "active" | "done";
}

export function scheduleFrom(task: Pick<BoundTask, "start" | "tz" | "rrule">, now: number): Schedule {
  const rec = compileSchedule({ start: task.start, tz: task.tz, rule: task.rrule });
  return scheduleAt(rec, task.rrule?.count, rec.next(now - 1));
}

/** The schedule of a task whose next occurrence is `nextDue` (null: none left). */
export function scheduleAt(
  rec: { countBefore(ms: number): number },
  count: number | undefined,
  nextDue: number | null,
): Schedule {
  if (nextDue === null) return { nextDue: null, remaining: count === undefined ? null : 0, state: "done" };
  if (count === undefined) return { nextDue, remaining: null, state: "active" };
  const remaining = Math.max(0, count - rec.countBefore(nextDue));
  return { nextDue, remaining, state: remaining === 0 ? "done" : "active" };
}
