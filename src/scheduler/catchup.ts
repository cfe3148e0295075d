// What to do with occurrences a task missed while its bot was down (or
// stalled). Pure: the caller claims what the plan says in the store.
//
// - A task due less than CATCHUP_GRACE_MS ago is not missed, only due: it
//   fires normally whatever its policy.
// - "skip": fire nothing; carry on from the first occurrence after now.
// - "once": fire one run now, for the first missed occurrence (the one the
//   task was waiting for), skip the rest, carry on after now.
// - "all": fire every missed occurrence, oldest first, at most `bound` (100)
//   of them; any beyond that are skipped.
// Skipped occurrences use up a `count` like fired ones: the count numbers the
// occurrences of the rule, not the runs that happened.
// - `lateAfter` (a task's `late_after`) applies first: occurrences more than
//   that long past are skipped whatever the policy, which then applies to
//   the rest (a "starts in 15 minutes" is worthless after the start).
import type { Recurrence } from "./recurrence/recurrence.ts";

/** What a task does about occurrences it missed (the task file's `catchup`). */
export type Catchup = "skip" | "once" | "all";
export const CATCHUPS: readonly Catchup[] = ["skip", "once", "all"];
export const DEFAULT_CATCHUP: Catchup = "once";

export const CATCHUP_GRACE_MS = 60_000;
export const CATCHUP_BOUND = 100;
/** Beyond this many missed occurrences of a rule without a count, `skipped` stops counting. */
export const CATCHUP_COUNT_LIMIT = 10_000;

export interface CatchupPlan {
  /** Occurrences to fire now, oldest first. */
  fire: number[];
  /** Missed occurrences dropped, oldest first; at most `bound` are listed. */
  skip: number[];
  /**
   * How many missed occurrences are dropped in all (may exceed skip.length).
   * Exact, except for a rule without a count that missed more than
   * CATCHUP_COUNT_LIMIT: then a lower bound.
   */
  skipped: number;
  /** The task's next due once the plan is carried out; null when none is left. */
  next: number | null;
  /** What the count leaves once the plan is carried out; null when unbounded. */
  remaining: number | null;
}

export function planCatchup(
  task: { nextDue: number; catchup: Catchup; remaining: number | null; lateAfter?: number },
  rec: Pick<Recurrence, "next" | "countBefore">,
  now: number,
  bound = CATCHUP_BOUND,
): CatchupPlan {
  const { nextDue, remaining } = task;
  if (remaining !== null && remaining <= 0) return { fire: [], skip: [], skipped: 0, next: null, remaining: 0 };
  if (task.lateAfter !== undefined && nextDue < now - task.lateAfter) return planLate(task, task.lateAfter, rec, now, bound);
  if (nextDue > now) return { fire: [], skip: [], skipped: 0, next: nextDue, remaining };
  if (nextDue >= now - CATCHUP_GRACE_MS) {
    const left = remaining === null ? null : remaining - 1;
    const next = left === 0 ? null : rec.next(nextDue);
    return { fire: [nextDue], skip: [], skipped: 0, next, remaining: next === null && left !== null ? 0 : left };
  }

  // List the missed occurrences, but never more than the plan can use: a
  // secondly rule missed for a month must not be walked one by one.
  const cap = Math.min(remaining ?? Infinity, bound + 1);
  const listed = [nextDue];
  let walkedAll = false;
  while (listed.length < cap) {
    const following = rec.next(listed[listed.length - 1]!);
    if (following === null || following > now) {
      walkedAll = true;
      break;
    }
    listed.push(following);
  }
  let missed = listed.length;
  if (!walkedAll && remaining !== null && listed.length < remaining) {
    // countBefore walks from the rule's start, but a count bounds that walk.
    missed = Math.min(remaining, rec.countBefore(now + 1) - rec.countBefore(nextDue));
  } else if (!walkedAll && remaining === null) {
    // Without a count, countBefore could walk years of seconds: count by
    // stepping on from here instead, up to a limit.
    let last = listed[listed.length - 1]!;
    while (missed < CATCHUP_COUNT_LIMIT) {
      const following = rec.next(last);
      if (following === null || following > now) break;
      missed++;
      last = following;
    }
  }

  const exhausted = remaining !== null && missed >= remaining;
  const next = exhausted ? null : rec.next(now);
  const left = remaining === null ? null : Math.max(0, remaining - missed);
  const plan = { next, remaining: next === null && left !== null ? 0 : left };
  switch (task.catchup) {
    case "skip":
      return { ...plan, fire: [], skip: listed.slice(0, bound), skipped: missed };
    case "once":
      return { ...plan, fire: [nextDue], skip: listed.slice(1, bound + 1), skipped: missed - 1 };
    case "all": {
      const fire = listed.slice(0, bound);
      return { ...plan, fire, skip: listed.slice(bound), skipped: missed - fire.length };
    }
  }
}

/** One claim that carries out part of a plan: fire `due`, leaving the task at `next` with `remaining`. */
export interface PlanStep {
  due: number;
  next: number | null;
  remaining: number | null;
}

/**
 * The claims that carry a plan out, in order: one per fired occurrence (the
 * last one lands on the plan's `next` and `remaining`, passing over what it
 * skips). A plan that fires nothing has no steps: its caller records the skip.
 */
export function planSteps(plan: CatchupPlan, remaining: number | null): PlanStep[] {
  return plan.fire.map((due, i) => {
    const last = i === plan.fire.length - 1;
    if (last) return { due, next: plan.next, remaining: plan.remaining };
    return { due, next: plan.fire[i + 1]!, remaining: remaining === null ? null : remaining - i - 1 };
  });
}

/** Skips what is past the deadline, then plans the rest by the catchup policy. */
function planLate(
  task: { nextDue: number; catchup: Catchup; remaining: number | null },
  lateAfter: number,
  rec: Pick<Recurrence, "next" | "countBefore">,
  now: number,
  bound: number,
): CatchupPlan {
  const { nextDue, remaining } = task;
  // The first occurrence still within the deadline (or after now).
  const fresh = rec.next(now - lateAfter - 1);
  let late: number;
  if (remaining !== null) {
    late = fresh === null ? remaining : Math.min(remaining, rec.countBefore(fresh) - rec.countBefore(nextDue));
  } else {
    late = 1;
    for (let t = rec.next(nextDue); t !== null && (fresh === null || t < fresh) && late < CATCHUP_COUNT_LIMIT; t = rec.next(t)) late++;
  }
  const left = remaining === null ? null : Math.max(0, remaining - late);
  const listed = [nextDue];
  for (let t = rec.next(nextDue); t !== null && (fresh === null || t < fresh) && listed.length < bound; t = rec.next(t)) listed.push(t);
  if (fresh === null || left === 0) return { fire: [], skip: listed, skipped: late, next: null, remaining: left === null ? null : 0 };
  if (fresh > now) return { fire: [], skip: listed, skipped: late, next: fresh, remaining: left };
  const rest = planCatchup({ nextDue: fresh, catchup: task.catchup, remaining: left }, rec, now, bound);
  return { ...rest, skip: [...listed, ...rest.skip].slice(0, bound), skipped: late + rest.skipped };
}
