// Turns a task queued by a module at run time into what the runner fires.
import type { RuntimeTask } from "../modules/module-types.ts";
import type { RunnableTask } from "../store/store-types.ts";
import { DEFAULT_CATCHUP } from "../scheduler/catchup.ts";
import { RUNTIME_ORDER } from "../store/store-types.ts";
import { formatLocal, instantToLocal, isValidTimeZone, parseLocal } from "../scheduler/zoned-time.ts";
import { parseRuleString } from "../scheduler/rule-parse.ts";
import { parseFuncRef } from "../config/func-ref.ts";
import { CRON_EPOCH } from "../config/parse-task-file.ts";
import { durationMs } from "../config/parse-task-schedule.ts";
import { MAX_DATES } from "../config/task-file-keys.ts";
import { parseCron } from "../scheduler/cron-parse.ts";
import { compileTaskSchedule, trackedCount, type ScheduleExtras } from "../scheduler/recurrence/recurrence.ts";

export function toRuntimeTask(task: RuntimeTask, botTz: string): RunnableTask {
  const tz = task.tz ?? botTz;
  if (!isValidTimeZone(tz)) throw new Error(`task '${task.name}': unknown time zone '${tz}'`);
  const ref = parseFuncRef(task.func);
  if (typeof ref === "string") throw new Error(`task '${task.name}': func ${ref}`);
  // Rounded up to the whole second a start can name: a reminder may fire a little late, never early.
  let start = task.start instanceof Date ? formatLocal(instantToLocal(Math.ceil(task.start.getTime() / 1000) * 1000, tz)) : task.start;
  if (start === undefined) {
    if (task.cron === undefined) throw new Error(`task '${task.name}': needs a start (or a cron expression)`);
    start = CRON_EPOCH;
  }
  const rrule = typeof task.rrule === "string" ? parseRuleString(task.rrule) : (task.rrule ?? null);
  const extras = runtimeExtras(task, rrule !== null);
  const fields = { start, tz, rrule, ...(extras !== undefined ? { extras } : {}) };
  // Compiled once here, so a bad cron, date or rule is refused when scheduled, not when due.
  compileTaskSchedule(fields);
  return {
    name: task.name,
    func: task.func,
    args: task.args ?? [],
    kwargs: task.kwargs ?? {},
    ...fields,
    catchup: task.catchup ?? DEFAULT_CATCHUP,
    remaining: trackedCount(fields) ?? null,
    nextDue: null,
    order: RUNTIME_ORDER,
  };
}

/** cron, exdate, rdate and lateAfter of a module's task, checked as a task file's are. */
function runtimeExtras(task: RuntimeTask, hasRule: boolean): ScheduleExtras | undefined {
  const x: ScheduleExtras = {};
  const fail = (msg: string): never => {
    throw new Error(`task '${task.name}': ${msg}`);
  };
  if (task.cron !== undefined) {
    if (hasRule) fail("give either cron or rrule, not both");
    x.cron = parseCron(task.cron).text;
  }
  for (const key of ["exdate", "rdate"] as const) {
    const list = task[key];
    if (list === undefined || list.length === 0) continue;
    if (list.length > MAX_DATES) fail(`${key} lists ${list.length} dates; at most ${MAX_DATES} are allowed`);
    for (const d of list) {
      const dateOnly = key === "exdate" && /^\d{4}-\d\d-\d\d$/.test(d);
      if (!dateOnly && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(d) || parseLocal(d) === null)) fail(`${key} '${d}' is not a local date-time such as 2026-12-24T09:00:00`);
      if (dateOnly && parseLocal(d) === null) fail(`exdate '${d}' is not a date`);
    }
    x[key] = [...new Set(list)].sort();
  }
  if (task.lateAfter !== undefined) x.lateAfter = durationMs(task.lateAfter) ?? fail(`lateAfter '${task.lateAfter}' is not a duration from 1s to 366d such as "10m"`);
  return Object.keys(x).length > 0 ? x : undefined;
}
