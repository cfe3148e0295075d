// The keys of a task file (`tasks/*.toml`: a list of [[task]] tables): what
// parse-task-file.ts and parse-task-schedule.ts accept and what `seshet schema
// tasks` describes. Add a key here first.
import { CATCHUPS, DEFAULT_CATCHUP } from "../scheduler/catchup.ts";
import type { KeySpec, KeyTable } from "./config-keys.ts";

/** Bounds on what one task may list. */
export const MAX_DATES = 1000;
export const MAX_REMINDERS = 10;

const DURATION_DOC = 'a duration from 1s to 366d such as "15m", "1h30m" or "1d"';
const ints = (doc: string): KeySpec => ({ kind: "integers", doc });

/** RFC 5545 RRULE parts (lower case; the validator also takes them in upper case). */
export const RRULE_PART_KEYS: KeyTable = {
  freq: {
    kind: "string",
    required: true,
    choices: ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"],
    caseInsensitive: true,
    doc: "How often the rule repeats.",
  },
  interval: { kind: "integer", min: 1, default: 1, doc: "Every INTERVAL-th period (2 with weekly: every other week)." },
  count: { kind: "integer", min: 1, doc: "How many occurrences, counted from start (not with until)." },
  until: { kind: "local-date-time", doc: "The last possible occurrence: a local date-time read in tz, or an instant with an offset (not with count)." },
  bysetpos: ints("The n-th occurrence(s) within each period; negative counts from the end."),
  bymonth: ints("Months, 1 to 12."),
  bymonthday: ints("Days of the month, 1 to 31; negative counts from the end."),
  byyearday: ints("Days of the year, 1 to 366; negative counts from the end."),
  byweekno: ints("ISO week numbers, 1 to 53; negative counts from the end."),
  byweekday: { kind: "strings", alternatives: [{ kind: "string", doc: "" }], doc: 'Weekdays: "MO" … "SU", "+1MO" (first Monday), "-1FR" (last Friday).' },
  byday: { kind: "strings", alternatives: [{ kind: "string", doc: "" }], doc: "The same as byweekday (the RFC 5545 name)." },
  byhour: ints("Hours, 0 to 23."),
  byminute: ints("Minutes, 0 to 59."),
  bysecond: ints("Seconds, 0 to 59."),
  wkst: { kind: "string", choices: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"], caseInsensitive: true, doc: "The first day of the week (default MO)." },
};

/** A reminder written as a table in `before`. */
export const REMINDER_KEYS: KeyTable = {
  offset: { kind: "duration", required: true, doc: `How long before the occurrence: ${DURATION_DOC}.` },
  args: { kind: "array", doc: "The reminder's own arguments for func." },
  kwargs: { kind: "data", doc: "The reminder's own keyword arguments for func." },
};

export const TASK_KEYS: KeyTable = {
  name: { kind: "string", required: true, pattern: "^\\S{1,100}$", doc: "Unique per bot: the key that ties the task in the store to this declaration." },
  bot: { kind: "string", doc: "The bot (file name in bots/) that runs it; default every bot." },
  func: { kind: "string", required: true, doc: 'The function to call, "module:function", e.g. "core:say".' },
  args: { kind: "array", doc: "Arguments passed to func." },
  kwargs: { kind: "data", doc: "Keyword arguments passed to func." },
  start: { kind: "local-date-time", doc: "DTSTART: a local date-time (or a date: midnight) read in tz. Required unless cron is given." },
  tz: { kind: "string", doc: "The IANA time zone of start and the rule; default the bot's tz, then UTC." },
  catchup: { kind: "string", choices: CATCHUPS, default: DEFAULT_CATCHUP, doc: "Runs missed while down: skip, once (the first missed one) or all (up to 100)." },
  rrule: {
    kind: "table",
    keys: RRULE_PART_KEYS,
    caseInsensitiveKeys: true,
    alternatives: [{ kind: "string", doc: 'An RRULE string such as "FREQ=WEEKLY;BYDAY=MO,FR"' }],
    doc: "The recurrence rule (RFC 5545); absent: a one-shot task at start.",
  },
  cron: { kind: "string", doc: 'A cron expression such as "0 9 * * 1-5" (minute hour day month weekday), read in tz; instead of rrule.' },
  exdate: { kind: "local-date-times", maxItems: MAX_DATES, doc: "Occurrences left out: local date-times, or local dates for the whole day." },
  rdate: { kind: "local-date-times", maxItems: MAX_DATES, doc: "Occurrences added: local date-times." },
  before: {
    kind: "durations",
    itemTable: REMINDER_KEYS,
    maxItems: MAX_REMINDERS,
    doc: `Reminders before each occurrence: ${DURATION_DOC}, or { offset = "15m", args = [...] }.`,
  },
  late_after: { kind: "duration", doc: `Occurrences more than this long past when the bot gets to them are skipped, whatever catchup says: ${DURATION_DOC}.` },
};

/** A task file's top level: only [[task]] tables. */
export const TASK_FILE_KEYS: KeyTable = {
  task: { kind: "table", keys: TASK_KEYS, doc: "One task per [[task]] table." },
};
