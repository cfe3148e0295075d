// Times next() of richer schedules (EXDATE/RDATE sets, cron, reminders)
// against the plain rule they extend, on the same engine (µs per call).
// Run: bun bench/schedule-set-bench.ts
import { compileTaskSchedule, type TaskScheduleFields } from "../src/scheduler/recurrence/recurrence.ts";
import { parseRuleString } from "../src/scheduler/rule-parse.ts";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const TZ = "Europe/Berlin";
const WEEKDAYS = parseRuleString("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0");
/** 200 holidays over two years, as dates and as date-times. */
const HOLIDAY_DATES = Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2026, 5, 15) + i * 3 * 86_400_000).toISOString().slice(0, 10));

const CASES: [string, TaskScheduleFields][] = [
  ["weekdays 09:00 (plain rrule)", { start: "2016-01-04T09:00:00", tz: TZ, rrule: WEEKDAYS }],
  ["  + 200 date-time EXDATEs, 50 RDATEs", {
    start: "2016-01-04T09:00:00", tz: TZ, rrule: WEEKDAYS,
    extras: { exdate: HOLIDAY_DATES.map((d) => `${d}T09:00:00`), rdate: HOLIDAY_DATES.slice(0, 50).map((d) => `${d}T12:00:00`) },
  }],
  ["  + 200 date EXDATEs", { start: "2016-01-04T09:00:00", tz: TZ, rrule: WEEKDAYS, extras: { exdate: HOLIDAY_DATES } }],
  ["  as a reminder 15 min before", { start: "2016-01-04T09:00:00", tz: TZ, rrule: WEEKDAYS, extras: { before: 900_000 } }],
  ['cron "0 9 * * 1-5"', { start: "1970-01-01T00:00:00", tz: TZ, rrule: null, extras: { cron: "0 9 * * 1-5" } }],
  ['cron "0 9 1 * MON" (two rules)', { start: "1970-01-01T00:00:00", tz: TZ, rrule: null, extras: { cron: "0 9 1 * MON" } }],
  ['cron "*/5 * * * *"', { start: "1970-01-01T00:00:00", tz: TZ, rrule: null, extras: { cron: "*/5 * * * *" } }],
  ["secondly + 200 date EXDATEs", { start: "2016-01-01T00:00:00", tz: TZ, rrule: parseRuleString("FREQ=SECONDLY"), extras: { exdate: HOLIDAY_DATES } }],
];

export function benchScheduleSets(): { name: string; us: number }[] {
  // Warm the JIT on every case first so the first rows are not penalised.
  for (const [, task] of CASES) {
    const rec = compileTaskSchedule(task);
    for (let i = 0; i < 2000; i++) rec.next(NOW + i * 31_536_017);
  }
  return CASES.map(([name, task]) => {
    const rec = compileTaskSchedule(task);
    const afters = Array.from({ length: 2000 }, (_, i) => NOW + i * 31_536_017);
    for (const a of afters) rec.next(a);
    const t0 = performance.now();
    for (let rep = 0; rep < 3; rep++) for (const a of afters) rec.next(a);
    return { name, us: ((performance.now() - t0) * 1000) / (3 * afters.length) };
  });
}

if (import.meta.main) {
  const rows = benchScheduleSets();
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"schedule".padEnd(w)}  next() µs`);
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.us.toFixed(2).padStart(9)}`);
}
