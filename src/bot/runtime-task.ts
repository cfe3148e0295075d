// Turns a task queued by a module at run time into what the runner fires.
import type { RuntimeTask } from "../modules/module-types.ts";
import type { RunnableTask } from "./task-runner.ts";
import { DEFAULT_CATCHUP } from "../scheduler/catchup.ts";
import { RUNTIME_ORDER } from "../store/store-types.ts";
import { formatLocal, instantToLocal, isValidTimeZone } from "../scheduler/zoned-time.ts";
import { parseRuleString } from "../scheduler/rule-parse.ts";
import { parseFuncRef } from "../config/func-ref.ts";

export function toRuntimeTask(task: RuntimeTask, botTz: string): RunnableTask {
  const tz = task.tz ?? botTz;
  if (!isValidTimeZone(tz)) throw new Error(`task '${task.name}': unknown time zone '${tz}'`);
  const ref = parseFuncRef(task.func);
  if (typeof ref === "string") throw new Error(`task '${task.name}': func ${ref}`);
  // Rounded up to the whole second a start can name: a reminder may fire a little late, never early.
  const start = task.start instanceof Date ? formatLocal(instantToLocal(Math.ceil(task.start.getTime() / 1000) * 1000, tz)) : task.start;
  const rrule = typeof task.rrule === "string" ? parseRuleString(task.rrule) : (task.rrule ?? null);
  return {
    name: task.name,
    func: task.func,
    args: task.args ?? [],
    kwargs: task.kwargs ?? {},
    start,
    tz,
    rrule,
    catchup: task.catchup ?? DEFAULT_CATCHUP,
    remaining: rrule?.count ?? null,
    nextDue: null,
    order: RUNTIME_ORDER,
  };
}
