// The schedule keys of a [[task]] beyond `start` and `rrule`: `cron`,
// `exdate`, `rdate`, `before` (reminders) and `late_after`, each checked with
// an error at the offending key, value or list item.
import { TomlDate } from "smol-toml";
import { CronError, parseCron } from "../scheduler/cron-parse.ts";
import type { ScheduleExtras } from "../scheduler/recurrence/types.ts";
import { parseLocal } from "../scheduler/zoned-time.ts";
import type { Reminder } from "./config-types.ts";
import { type FileChecker, isTable, tomlTypeName, type TomlPath, type TomlTable } from "./file-checker.ts";

import { keysOf } from "./config-keys.ts";
import { MAX_DATES, MAX_REMINDERS, REMINDER_KEYS } from "./task-file-keys.ts";

export { MAX_DATES, MAX_REMINDERS };
const MAX_OFFSET_MS = 366 * 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(?:\d{1,6}[smhdw])+$/;

export interface TaskSchedule {
  extras: ScheduleExtras | undefined;
  reminders: Reminder[];
}

export function readTaskSchedule(ck: FileChecker, t: TomlTable, p: TomlPath): TaskSchedule {
  const extras: ScheduleExtras = {};
  if (t.cron !== undefined) {
    const cron = readCron(ck, t, p);
    if (cron !== undefined) extras.cron = cron;
    if (t.rrule !== undefined) ck.error(ck.keyAt([...p, "cron"]), "give either 'cron' or 'rrule', not both");
  }
  const exdate = readDates(ck, t, p, "exdate", true);
  if (exdate !== undefined && exdate.length > 0) extras.exdate = exdate;
  const rdate = readDates(ck, t, p, "rdate", false);
  if (rdate !== undefined && rdate.length > 0) extras.rdate = rdate;
  if (t.late_after !== undefined) {
    const ms = readDuration(ck, [...p, "late_after"], t.late_after, "'late_after'");
    if (ms !== undefined) extras.lateAfter = ms;
  }
  const reminders = readReminders(ck, t, p);
  return { extras: Object.keys(extras).length > 0 ? extras : undefined, reminders };
}

function readCron(ck: FileChecker, t: TomlTable, p: TomlPath): string | undefined {
  const v = t.cron;
  if (typeof v !== "string") {
    ck.wrongType(p, "cron", 'a string such as "0 9 * * 1-5"', v);
    return undefined;
  }
  try {
    return parseCron(v).text;
  } catch (err) {
    if (!(err instanceof CronError)) throw err;
    ck.error(ck.valueAt([...p, "cron"]), err.message);
    return undefined;
  }
}

/** Local date-times (and, for `exdate`, local dates meaning the whole day), sorted and without repeats. */
function readDates(ck: FileChecker, t: TomlTable, p: TomlPath, key: "exdate" | "rdate", datesToo: boolean): string[] | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  const what = datesToo ? "local date-times (2026-12-24T09:00:00) or local dates (2026-12-24)" : "local date-times such as 2026-12-24T09:00:00";
  if (!Array.isArray(v)) {
    ck.wrongType(p, key, `an array of ${what}`, v);
    return undefined;
  }
  if (v.length > MAX_DATES) {
    ck.error(ck.valueAt([...p, key]), `'${key}' lists ${v.length} dates; at most ${MAX_DATES} are allowed`);
    return undefined;
  }
  const out = new Set<string>();
  let ok = true;
  v.forEach((item, i) => {
    const text = localDateText(item, datesToo);
    if (text === undefined) {
      const hint = item instanceof TomlDate && item.isDateTime() && !item.isLocal() ? " (no 'Z' or offset: it is read in the task's tz)" : "";
      ck.error(ck.valueAt([...p, key, i]), `'${key}' item ${i + 1} must be one of ${what}, got ${tomlTypeName(item)}${hint}`);
      ok = false;
    } else out.add(text);
  });
  return ok ? [...out].sort() : undefined;
}

function localDateText(v: unknown, datesToo: boolean): string | undefined {
  if (!(v instanceof TomlDate) || !v.isLocal()) return undefined;
  const iso = v.toISOString();
  if (v.isDate()) return datesToo ? iso : undefined;
  if (!v.isDateTime()) return undefined;
  const text = iso.slice(0, 19);
  if (!/^0*$/.test(iso.slice(20)) || parseLocal(text) === null) return undefined;
  return text;
}

/** `"15m"`, `"1h30m"`, `"2d"`: a positive duration of at most a year. */
export function durationMs(text: string): number | undefined {
  const s = text.trim();
  if (!DURATION.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+)([smhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && ms <= MAX_OFFSET_MS ? ms : undefined;
}

function readDuration(ck: FileChecker, at: TomlPath, v: unknown, name: string): number | undefined {
  const ms = typeof v === "string" ? durationMs(v) : undefined;
  if (ms === undefined) {
    const got = typeof v === "string" ? `"${v}"` : tomlTypeName(v);
    ck.error(ck.valueAt(at), `${name} must be a duration from 1s to 366d such as "15m", "1h30m" or "1d", got ${got}`);
  }
  return ms;
}

/** `before = ["15m", { offset = "1d", args = [...] }]`. */
function readReminders(ck: FileChecker, t: TomlTable, p: TomlPath): Reminder[] {
  const v = t.before;
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    ck.wrongType(p, "before", 'an array of durations such as ["15m", "1d"] or tables { offset = "15m", args = [...] }', v);
    return [];
  }
  if (v.length > MAX_REMINDERS) {
    ck.error(ck.valueAt([...p, "before"]), `'before' lists ${v.length} reminders; at most ${MAX_REMINDERS} are allowed`);
    return [];
  }
  const out: Reminder[] = [];
  v.forEach((item, i) => {
    const at: TomlPath = [...p, "before", i];
    if (!isTable(item)) {
      const ms = readDuration(ck, at, item, `'before' item ${i + 1}`);
      if (ms !== undefined) out.push({ offset: ms, label: String(item).trim() });
      return;
    }
    ck.unknownKeys(item, at, keysOf(REMINDER_KEYS), ` in 'before' item ${i + 1}`);
    if (item.offset === undefined) {
      ck.missing(at, "offset", ` in 'before' item ${i + 1} (a duration such as "15m")`);
      return;
    }
    const ms = readDuration(ck, [...at, "offset"], item.offset, `'before' item ${i + 1} 'offset'`);
    if (item.args !== undefined && !Array.isArray(item.args)) ck.wrongType(at, "args", "an array", item.args);
    if (item.kwargs !== undefined && !isTable(item.kwargs)) ck.wrongType(at, "kwargs", "a table", item.kwargs);
    if (ms === undefined) return;
    const r: Reminder = { offset: ms, label: String(item.offset).trim() };
    if (Array.isArray(item.args)) r.args = item.args;
    if (isTable(item.kwargs)) r.kwargs = item.kwargs;
    out.push(r);
  });
  const seen = new Set<number>();
  return out.filter((r, i) => {
    if (seen.has(r.offset)) {
      ck.error(ck.valueAt([...p, "before", i]), `'before' item ${i + 1} repeats the offset ${r.label}`);
      return false;
    }
    seen.add(r.offset);
    return true;
  });
}

/** The name a reminder runs under: `standup@-15m`. */
export function reminderName(task: string, r: Pick<Reminder, "label">): string {
  return `${task}@-${r.label}`;
}
