// One task file (`tasks/*.toml`, a list of [[task]] tables) → TaskDefinitions.
import { TomlDate } from "smol-toml";
import type { RuleParts } from "../scheduler/rule-parts.ts";
import { parseRuleString, parseRuleTable, RuleError } from "../scheduler/rule-parse.ts";
import type { ConfigIssue, Reminder, TaskDefinition } from "./config-types.ts";
import { parseFuncRef } from "./func-ref.ts";
import { DEFAULT_CATCHUP, type Catchup } from "../scheduler/catchup.ts";
import { closestMatch } from "./closest-match.ts";
import { FileChecker, isTable, tomlTypeName, type TomlPath, type TomlTable } from "./file-checker.ts";
import { TaskNameRegistry } from "./task-name-registry.ts";
import { readToml } from "./toml-read.ts";
import { zoneProblem } from "./zone-problem.ts";
import { reminderName, readTaskSchedule } from "./parse-task-schedule.ts";
import { choiceProblem, keysOf } from "./config-keys.ts";
import { RRULE_PART_KEYS, TASK_FILE_KEYS, TASK_KEYS } from "./task-file-keys.ts";

export interface TaskFileResult {
  /** Empty when the file has any issue: a broken file declares nothing. */
  tasks: TaskDefinition[];
  issues: ConfigIssue[];
}

// Which keys exist and their choices: task-file-keys.ts (also the JSON Schema's source).
const RRULE_PARTS = keysOf(RRULE_PART_KEYS);
const LOCAL_DATE_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?$/;

/**
 * `botNames`: the bots a task may name (`null`: do not check).
 * `names`: shared across the files of one load, so duplicates across files are found.
 */
export function parseTaskFile(
  file: string,
  text: string,
  botNames: readonly string[] | null,
  names: TaskNameRegistry = new TaskNameRegistry(),
): TaskFileResult {
  const read = readToml(file, text);
  if (!read.ok) return { tasks: [], issues: [read.issue] };
  const ck = new FileChecker(file, read.locs);
  const t = read.table;
  ck.unknownKeys(t, [], keysOf(TASK_FILE_KEYS), " (a task file holds only [[task]] tables)");
  const list = t.task;
  const tasks: TaskDefinition[] = [];
  if (list !== undefined && (!Array.isArray(list) || !list.every(isTable))) {
    ck.error(ck.keyAt(["task"]), "'task' must be a list of tables: write each task under its own [[task]] header (two brackets)");
  } else if (list !== undefined) {
    ck.root = 2;
    list.forEach((entry, index) => {
      const task = checkTask(ck, entry, index, botNames, names);
      if (task) tasks.push(task);
    });
  }
  return ck.issues.length > 0 ? { tasks: [], issues: ck.sortedIssues() } : { tasks, issues: [] };
}

function checkTask(
  ck: FileChecker,
  t: TomlTable,
  index: number,
  botNames: readonly string[] | null,
  names: TaskNameRegistry,
): TaskDefinition | undefined {
  const p: TomlPath = ["task", index];
  const where = ` in [[task]] #${index + 1}`;
  const before = ck.issues.length;
  ck.unknownKeys(t, p, keysOf(TASK_KEYS), where);

  const name = ck.string(t, p, "name", {
    required: where,
    check: (n) => (/^\S{1,100}$/.test(n) ? undefined : "must be 1 to 100 characters without spaces"),
  });
  const bot = ck.string(t, p, "bot", { check: (b) => botProblem(b, botNames) }) ?? null;
  const func = ck.string(t, p, "func", {
    required: where,
    check: (f) => {
      const ref = parseFuncRef(f);
      return typeof ref === "string" ? ref : undefined;
    },
  });
  const args = readArgs(ck, t, p);
  const kwargs = readKwargs(ck, t, p);
  // A cron task needs no start: its expression says when.
  const start = t.start === undefined && t.cron !== undefined ? CRON_EPOCH : readStart(ck, t, p, where);
  const tz = ck.string(t, p, "tz", { check: zoneProblem }) ?? null;
  const catchup = ck.string(t, p, "catchup", { check: choiceProblem(TASK_KEYS.catchup) }) as Catchup | undefined;
  const rrule = readRule(ck, t, p);
  const schedule = readTaskSchedule(ck, t, p);

  const loc = ck.keyAt(p);
  if (name !== undefined && (bot !== null || t.bot === undefined)) {
    const clash = names.claim(name, bot, loc);
    if (clash) ck.error(ck.valueAt([...p, "name"]), clash);
    for (const r of schedule.reminders) {
      const taken = names.claim(reminderName(name, r), bot, loc);
      if (taken) ck.error(ck.valueAt([...p, "before"]), `reminder ${r.label}: ${taken}`);
    }
  }
  if (ck.issues.length > before || name === undefined || func === undefined || start === undefined) return undefined;
  return {
    name,
    bot,
    func,
    args,
    kwargs,
    start,
    tz,
    catchup: catchup ?? DEFAULT_CATCHUP,
    rrule: rrule ?? null,
    ...(schedule.extras !== undefined ? { extras: schedule.extras } : {}),
    ...(schedule.reminders.length > 0 ? { reminders: schedule.reminders.map(plainReminder) } : {}),
    loc,
    index,
  };
}

function botProblem(bot: string, botNames: readonly string[] | null): string | undefined {
  if (botNames === null || botNames.includes(bot)) return undefined;
  if (botNames.length === 0) return `names bot "${bot}", but there are no bot files`;
  const guess = closestMatch(bot, botNames);
  const hint = guess ? `; did you mean "${guess}"?` : `; the bots are: ${botNames.join(", ")}`;
  return `names unknown bot "${bot}" (no bots/${bot}.toml)${hint}`;
}

function readArgs(ck: FileChecker, t: TomlTable, p: TomlPath): unknown[] {
  const v = t.args;
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    ck.wrongType(p, "args", "an array", v);
    return [];
  }
  return v.map(plainValue);
}

function readKwargs(ck: FileChecker, t: TomlTable, p: TomlPath): Record<string, unknown> {
  const v = t.kwargs;
  if (v === undefined) return {};
  if (!isTable(v)) {
    ck.wrongType(p, "kwargs", "a table", v);
    return {};
  }
  return plainValue(v) as Record<string, unknown>;
}

/** A cron task without `start` is read from here on (any past date serves: cron has no count). */
export const CRON_EPOCH = "1970-01-01T00:00:00";

function plainReminder(r: Reminder): Reminder {
  const out: Reminder = { offset: r.offset, label: r.label };
  if (r.args !== undefined) out.args = r.args.map(plainValue);
  if (r.kwargs !== undefined) out.kwargs = plainValue(r.kwargs) as Record<string, unknown>;
  return out;
}

/** Dates become their TOML text so args and kwargs are plain JSON data. */
function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (isTable(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v;
}

/**
 * `start` is a wall time read in the task's zone, so it must be a local
 * date-time (or a local date: midnight). An offset date-time is refused rather
 * than converted: it would silently disagree with `tz` for half the year.
 */
function readStart(ck: FileChecker, t: TomlTable, p: TomlPath, where: string): string | undefined {
  const v = t.start;
  if (v === undefined) {
    ck.missing(p, "start", `${where} (a local date-time such as 2026-11-30T09:55:00)`);
    return undefined;
  }
  const at = ck.valueAt([...p, "start"]);
  if (v instanceof TomlDate && v.isDate()) return `${v.toISOString()}T00:00:00`;
  if (v instanceof TomlDate && v.isDateTime() && v.isLocal()) {
    const m = LOCAL_DATE_TIME.exec(v.toISOString());
    if (m && /^0*$/.test(m[2] ?? "")) return m[1];
    ck.error(at, "'start' must be whole seconds, e.g. 2026-11-30T09:55:00");
    return undefined;
  }
  if (v instanceof TomlDate && v.isDateTime()) {
    ck.error(at, "'start' must be a local date-time without 'Z' or UTC offset (e.g. 2026-11-30T09:55:00); it is read in the task's tz, so set tz instead");
    return undefined;
  }
  const hint = typeof v === "string" ? " (write it without quotes)" : "";
  ck.error(at, `'start' must be a local date-time such as 2026-11-30T09:55:00${hint}, got ${tomlTypeName(v)}`);
  return undefined;
}

function readRule(ck: FileChecker, t: TomlTable, p: TomlPath): RuleParts | undefined {
  const v = t.rrule;
  if (v === undefined) return undefined;
  const rp = [...p, "rrule"];
  if (typeof v === "string") {
    try {
      return parseRuleString(v);
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      ck.error(ruleStringAt(ck, rp, v, err.key), ruleMessage(err, undefined));
      return undefined;
    }
  }
  if (!isTable(v)) {
    ck.wrongType(p, "rrule", 'a table such as { freq = "daily" } or a string such as "FREQ=DAILY"', v);
    return undefined;
  }
  try {
    return parseRuleTable(v);
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    const key = writtenKey(v, err.key);
    let at = ck.keyAt(rp);
    if (key !== undefined) {
      at = RRULE_PARTS.includes(key.toLowerCase()) ? ck.valueAt([...rp, key]) : ck.keyAt([...rp, key]);
    }
    ck.error(at, ruleMessage(err, key));
    return undefined;
  }
}

/** The key as written in the table for the part an error names (parts are case-insensitive; `byday` is `byweekday`). */
function writtenKey(table: TomlTable, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const wanted = key.toLowerCase() === "byweekday" ? ["byweekday", "byday"] : [key.toLowerCase()];
  return Object.keys(table).find((k) => wanted.includes(k.toLowerCase()));
}

/** An error in a string rule points into the string when the part can be found in it. */
function ruleStringAt(ck: FileChecker, rp: TomlPath, rule: string, key: string | undefined) {
  const at = ck.valueAt(rp);
  if (key === undefined) return at;
  const i = rule.toUpperCase().indexOf(`${key.toUpperCase()}=`);
  // Only a plain single-line string maps one character to one column.
  if (i < 0 || /["'\\\n]/.test(rule)) return at;
  return { ...at, col: at.col + 1 + i };
}

function ruleMessage(err: RuleError, key: string | undefined): string {
  let message = /\brrule\b/i.test(err.message) ? err.message : `rrule: ${err.message}`;
  if (key !== undefined && !RRULE_PARTS.includes(key.toLowerCase()) && !/did you mean/.test(message)) {
    const guess = closestMatch(key, RRULE_PARTS);
    if (guess) message += `; did you mean '${guess}'?`;
  }
  return message;
}
