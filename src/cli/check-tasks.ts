// `seshet check`, third part: what each task will do when due, found now
// instead of in a log next Tuesday. Every `func` must resolve on every bot the
// task runs on; the arguments must fit the function's declared parameters
// (and, for the core module, be usable IRC targets and channels); and the
// schedule must have at least one occurrence.
import { closestMatch } from "../config/closest-match.ts";
import type { BotConfig, ConfigIssue, SourceLocation, TaskDefinition } from "../config/config-types.ts";
import { parseFuncRef } from "../config/func-ref.ts";
import { joinChannelProblem, sayTextProblem, targetProblem } from "../config/irc-names.ts";
import type { TomlLocator } from "../config/toml-locator.ts";
import { resolveFunc } from "../modules/func-resolve.ts";
import { compileTaskSchedule } from "../scheduler/recurrence/recurrence.ts";
import { floatingFromLocal, floatingToInstant, parseLocal } from "../scheduler/zoned-time.ts";
import type { CheckedModule } from "./check-plugins.ts";

/** Before any start a task can have: 0001-01-01 less two days for any zone's offset. (Date.UTC maps year 0 to 1900.) */
const BEFORE_ALL = Date.parse("0001-01-01T00:00:00Z") - 2 * 86_400_000;

export function checkTasks(
  tasks: readonly TaskDefinition[],
  bots: readonly BotConfig[],
  modules: Map<string, Map<string, CheckedModule>>,
  at: TomlLocator,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const task of tasks) {
    const p = ["task", task.index];
    const where: Where = (...rest) => at.value(task.loc.file, [...p, ...rest]);
    where.key = (...rest) => at.key(task.loc.file, [...p, ...rest]);
    const report = (loc: SourceLocation, message: string) => {
      if (!issues.some((i) => i.file === loc.file && i.line === loc.line && i.col === loc.col && i.message === message)) {
        issues.push({ ...loc, message });
      }
    };
    for (const bot of bots) {
      if (task.bot !== null && task.bot !== bot.name) continue;
      const problem = funcProblem(task, bot, modules.get(bot.name) ?? new Map());
      if (problem !== undefined) {
        report(where("func"), problem);
        continue;
      }
      const mod = modules.get(bot.name)!.get(parseModule(task.func))!;
      const params = mod.tasks.get(task.func.slice(task.func.indexOf(":") + 1))?.params;
      if (params === undefined) continue;
      for (const [loc, message] of argumentProblems(task, params, mod.name === "core", where)) report(loc, message);
      // A reminder calls the same function, with its own arguments if it gives any.
      (task.reminders ?? []).forEach((r, j) => {
        if (r.args === undefined && r.kwargs === undefined) return;
        const inItem: Where = (...rest) => at.value(task.loc.file, [...p, "before", j, ...rest]);
        inItem.key = (...rest) => at.key(task.loc.file, [...p, "before", j, ...rest]);
        const call = { func: task.func, args: r.args ?? task.args, kwargs: r.kwargs ?? task.kwargs };
        for (const [loc, message] of argumentProblems(call, params, mod.name === "core", inItem)) report(loc, `reminder ${r.label}: ${message}`);
      });
    }
    const never = neverFires(task, bots);
    if (never !== undefined) report(where(task.rrule !== null ? "rrule" : task.extras?.cron !== undefined ? "cron" : "start"), never);
  }
  return issues;
}

function parseModule(func: string): string {
  return func.slice(0, func.indexOf(":"));
}

/** Why `func` does not resolve on this bot, with a suggestion; undefined when it does. */
function funcProblem(task: TaskDefinition, bot: BotConfig, mods: Map<string, CheckedModule>): string | undefined {
  const ref = parseFuncRef(task.func);
  if (typeof ref === "string") return `'func' ${ref}`;
  const mod = mods.get(ref.module);
  const fn = ref.path.join(".");
  if (mod === undefined) {
    const guess = closestMatch(ref.module, [...mods.keys()]);
    const hint = guess !== undefined ? `; did you mean "${guess}:${fn}"?` : "";
    return `func "${task.func}": bot '${bot.name}' has no module '${ref.module}' (its modules: ${[...mods.keys()].join(", ")})${hint}`;
  }
  const found = resolveFunc(task.func, () => ({
    registered: (name) => mod.tasks.get(name)?.fn,
    ...(mod.exports ? { exports: mod.exports } : {}),
  }));
  if (found !== undefined) return undefined;
  const names = [...mod.tasks.keys(), ...exportedFunctions(mod.exports)];
  const guess = closestMatch(fn, names);
  const hint = guess !== undefined ? `; did you mean "${ref.module}:${guess}"?` : names.length > 0 ? ` (it has: ${names.join(", ")})` : "";
  return `func "${task.func}": module '${ref.module}' has no task function '${fn}'${hint}`;
}

function exportedFunctions(exports: Record<string, unknown> | undefined): string[] {
  if (exports === undefined) return [];
  return Object.keys(exports).filter((k) => k !== "default" && k !== "plugin" && typeof exports[k] === "function");
}

type Where = {
  (...rest: (string | number)[]): SourceLocation;
  key?: (...rest: (string | number)[]) => SourceLocation;
};

/** Arguments against declared parameters (`name`, or `name?` when optional), each problem where it was written. */
function argumentProblems(task: Pick<TaskDefinition, "func" | "args" | "kwargs">, params: readonly string[], core: boolean, where: Where): [SourceLocation, string][] {
  const out: [SourceLocation, string][] = [];
  const names = params.map((p) => p.replace(/\?$/, ""));
  const required = params.filter((p) => !p.endsWith("?")).length;
  const signature = `${task.func}(${params.join(", ")})`;
  if (task.args.length > params.length) {
    out.push([where("args", params.length), `${signature} takes at most ${params.length} argument${params.length === 1 ? "" : "s"}, got ${task.args.length}`]);
  }
  for (const key of Object.keys(task.kwargs)) {
    if (!names.includes(key)) {
      const guess = closestMatch(key, names);
      out.push([where.key!("kwargs", key), `${signature} has no parameter '${key}'${guess ? `; did you mean '${guess}'?` : ""}`]);
    }
  }
  const missing: string[] = [];
  names.forEach((name, i) => {
    const inArgs = i < task.args.length;
    const value = inArgs ? task.args[i] : task.kwargs[name];
    if (value === undefined) {
      if (i < required) missing.push(`'${name}' (argument ${i + 1})`);
      return;
    }
    const loc = inArgs ? where("args", i) : where("kwargs", name);
    const problem = core ? coreValueProblem(name, value) : undefined;
    if (problem !== undefined) out.push([loc, `${task.func}: ${problem}`]);
  });
  if (missing.length > 0) {
    const loc = task.args.length > 0 ? where("args") : Object.keys(task.kwargs).length > 0 ? where("kwargs") : where("func");
    const given = `${task.args.length} argument${task.args.length === 1 ? "" : "s"}`;
    out.unshift([loc, `${signature} needs ${missing.join(" and ")}, but the task gives ${given}`]);
  }
  return out;
}

/** The core functions' arguments go to the IRC server: they must be names it accepts. */
function coreValueProblem(param: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return `'${param}' must be a non-empty string, got ${JSON.stringify(value)}`;
  if (param === "target") return targetProblem(value);
  if (param === "channel") return joinChannelProblem(value);
  if (param === "text") return sayTextProblem(value);
  if (param === "reason" && /[\r\n\0]/.test(value)) return "'reason' must not contain line breaks";
  return undefined;
}

/** Why a task can never fire, on any of its bots; undefined when it has an occurrence. */
function neverFires(task: TaskDefinition, bots: readonly BotConfig[]): string | undefined {
  const zones = new Set<string>();
  for (const bot of bots) if (task.bot === null || task.bot === bot.name) zones.add(task.tz ?? (bot.tz || "UTC"));
  if (zones.size === 0) zones.add(task.tz ?? "UTC");
  for (const tz of zones) {
    let first: number | null;
    try {
      first = compileTaskSchedule({ start: task.start, tz, rrule: task.rrule, ...(task.extras ? { extras: task.extras } : {}) }).next(BEFORE_ALL);
    } catch (err) {
      return `the schedule cannot be computed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (first !== null) continue;
    const until = task.rrule?.until;
    if (until !== undefined) {
      const start = floatingToInstant(floatingFromLocal(parseLocal(task.start)!), tz);
      const end = "local" in until ? floatingToInstant(floatingFromLocal(parseLocal(until.local)!), tz) : until.instant;
      if (end < start) return `this task can never fire: its rrule's 'until' is before its 'start' (${task.start})`;
    }
    return "this task can never fire: no date matches its schedule (like the 30th of February), or every one is excluded";
  }
  return undefined;
}
