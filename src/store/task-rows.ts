// How a task is written to and read from the `tasks` table: the one mapping
// between BoundTask/StoredTask and a row, for the task store and the chat store.
import type { Selectable } from "kysely";
import type { BoundTask } from "../config/config-types.ts";
import type { Catchup } from "../scheduler/catchup.ts";
import type { RuleParts } from "../scheduler/rule-parts.ts";
import type { ScheduleExtras } from "../scheduler/recurrence/types.ts";
import { scheduleFrom } from "../scheduler/task-schedule.ts";
import type { TasksTable } from "./store-schema.ts";
import type { StoredTask, TaskState } from "./store-types.ts";

export type TaskRow = Selectable<TasksTable>;

export function taskKey(task: { bot: string; name: string }): string {
  return `${task.bot}\u0000${task.name}`;
}

export function definitionColumns(task: BoundTask, hash: string) {
  return {
    bot: task.bot,
    name: task.name,
    func: task.func,
    args: JSON.stringify(task.args),
    kwargs: JSON.stringify(task.kwargs),
    rrule: task.rrule === null ? null : JSON.stringify(task.rrule),
    extras: task.extras === undefined ? null : JSON.stringify(task.extras),
    tz: task.tz,
    start: task.start,
    catchup: task.catchup,
    origin: task.origin,
    ord: task.order,
    hash,
  };
}

export function scheduleColumns(task: BoundTask, now: number) {
  const schedule = scheduleFrom(task, now);
  return { next_due: schedule.nextDue, remaining: schedule.remaining, state: schedule.state };
}

export function toStoredTask(row: TaskRow): StoredTask {
  return {
    id: row.id,
    bot: row.bot,
    name: row.name,
    func: row.func,
    args: JSON.parse(row.args) as unknown[],
    kwargs: JSON.parse(row.kwargs) as Record<string, unknown>,
    start: row.start,
    tz: row.tz,
    rrule: row.rrule === null ? null : (JSON.parse(row.rrule) as RuleParts),
    ...(row.extras === null ? {} : { extras: JSON.parse(row.extras) as ScheduleExtras }),
    catchup: row.catchup as Catchup,
    remaining: row.remaining,
    nextDue: row.next_due,
    lastRun: row.last_run,
    origin: row.origin,
    state: row.state as TaskState,
    order: row.ord,
    hash: row.hash,
  };
}
