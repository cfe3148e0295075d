// Task definitions × bots → what each bot's store holds.
import type { BotConfig, BoundTask, TaskDefinition } from "./config-types.ts";
import { reminderName } from "./parse-task-schedule.ts";

/**
 * One BoundTask per (bot, task); a task without `bot` goes to every bot.
 * `tasks` must be in declaration order (as loadConfig returns them): `order`
 * is the task's place in it, the same for every bot the task is bound to.
 * A task naming a bot that is not in `bots` is bound to none.
 */
export function bindTasks(bots: readonly BotConfig[], tasks: readonly TaskDefinition[]): BoundTask[] {
  const out: BoundTask[] = [];
  tasks.forEach((task, order) => {
    for (const bot of bots) {
      if (task.bot !== null && task.bot !== bot.name) continue;
      const bound: BoundTask = {
        bot: bot.name,
        name: task.name,
        func: task.func,
        args: task.args,
        kwargs: task.kwargs,
        start: task.start,
        tz: task.tz ?? (bot.tz || "UTC"),
        catchup: task.catchup,
        rrule: task.rrule,
        ...(task.extras !== undefined ? { extras: task.extras } : {}),
        origin: task.loc.file,
        order,
      };
      out.push(bound);
      // A reminder is a task of its own on the same schedule, shifted earlier.
      for (const r of task.reminders ?? []) {
        out.push({
          ...bound,
          name: reminderName(task.name, r),
          args: r.args ?? task.args,
          kwargs: r.kwargs ?? task.kwargs,
          extras: { ...task.extras, before: r.offset },
        });
      }
    }
  });
  return out;
}
