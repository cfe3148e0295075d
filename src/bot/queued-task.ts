// What a queue entry holds of a task. A stored task holds only its head (id,
// name, function, due, order) after a rebuild and whenever it is next due later than
// HEAD_AFTER_MS: the full row is read from the store when it comes due, just
// before the claim, which touches the store anyway. A task due again soon
// (every few seconds), and an in-memory task, keeps the whole task.
// A bot with 10,000 daily tasks then holds 10,000 heads, not 10,000 rows
// (issue 16; bench/queue-bench.ts, "TaskRunner with 10k stored tasks").
import type { RunnableTask, StoredTask, TaskHead } from "../store/store-types.ts";

export type { TaskHead };

/** A stored task due further ahead than this is queued as its head alone. */
export const HEAD_AFTER_MS = 60_000;

/** What the runner keeps of a whole task (origin for metrics: file tasks report their last success). */
export type QueuedTask = RunnableTask & { origin?: string };

export interface Entry {
  task: QueuedTask | TaskHead;
}

export function isHead(task: QueuedTask | TaskHead): task is TaskHead {
  return !("args" in task);
}

/** The entry for `task` due at `due`: its head when it is stored and not due soon. */
export function entryFor(task: QueuedTask, due: number, now: number): Entry {
  if (task.id === undefined || due - now <= HEAD_AFTER_MS) return { task };
  return { task: { id: task.id, name: task.name, func: task.func, nextDue: due, order: task.order } };
}

/** The runner's fields of a stored row, without what only the store needs (hash, state, bot). */
export function queuedTask(t: StoredTask): QueuedTask {
  return {
    id: t.id, name: t.name, func: t.func, args: t.args, kwargs: t.kwargs,
    start: t.start, tz: t.tz, catchup: t.catchup, rrule: t.rrule, extras: t.extras,
    remaining: t.remaining, nextDue: t.nextDue, order: t.order, origin: t.origin,
  };
}
