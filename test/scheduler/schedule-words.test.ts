// Pins the wording of common schedules: what users read in `seshet tasks`,
// `seshet next`, `!tasks`, `!next` and `check --verbose`.
import { describe, expect, test } from "bun:test";
import { parseRuleString } from "../../src/scheduler/rule-parse.ts";
import { scheduleWords } from "../../src/scheduler/schedule-words.ts";

const BERLIN = "Europe/Berlin";
const words = (rule: string | null, start = "2026-12-01T09:00:00", tz = BERLIN, extra: { exdate?: string[]; rdate?: string[] } = {}) =>
  scheduleWords({ start, tz, rule: rule === null ? null : parseRuleString(rule), ...extra });

describe("schedule words", () => {
  test.each([
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday at 09:00 (Europe/Berlin)"],
    ["FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0", "every weekday at 09:00 (Europe/Berlin)"],
    ["FREQ=DAILY", "every day at 09:00 (Europe/Berlin)"],
    ["FREQ=DAILY;INTERVAL=2;BYHOUR=9,17;BYMINUTE=30", "every 2 days at 09:30 and 17:30 (Europe/Berlin)"],
    ["FREQ=WEEKLY", "every Tuesday at 09:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=18", "every Monday and Friday at 18:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "every 2 weeks on Monday at 09:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=10", "every Saturday and Sunday at 10:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;BYDAY=FR;BYMONTHDAY=13", "every Friday on the 13th of the month at 09:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYMONTHDAY=1,2", "every 2 weeks on Monday on the 1st and 2nd of the month at 09:00 (Europe/Berlin)"],
    ["FREQ=WEEKLY;BYMONTHDAY=15", "every week on the 15th of the month at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY", "every month on the 1st at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYMONTHDAY=1,15", "every month on the 1st and 15th at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18", "every month on the last Friday at 18:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYDAY=+1MO", "every month on the first Monday at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=22", "every 3 months on the 22nd at 09:00 (Europe/Berlin)"],
    ["FREQ=YEARLY", "every year on 1 Dec at 09:00 (Europe/Berlin)"],
    ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24;COUNT=3", "every year on 24 Dec at 09:00 (Europe/Berlin), 3 times"],
    ["FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYHOUR=2", "every year on the last Sunday of March at 02:00 (Europe/Berlin)"],
    ["FREQ=HOURLY", "every hour at :00 (Europe/Berlin)"],
    ["FREQ=HOURLY;INTERVAL=2;BYMINUTE=15", "every 2 hours at :15 (Europe/Berlin)"],
    ["FREQ=HOURLY;BYMINUTE=0,30;BYHOUR=9,10,11,12,13,14,15,16,17", "every hour at :00 and :30, during hours 9–17 (Europe/Berlin)"],
    ["FREQ=MINUTELY;INTERVAL=5", "every 5 minutes (Europe/Berlin)"],
    ["FREQ=SECONDLY;INTERVAL=10", "every 10 seconds (Europe/Berlin)"],
    ["FREQ=DAILY;UNTIL=20270630T000000", "every day at 09:00 (Europe/Berlin), until 30 Jun 2027"],
    ["FREQ=DAILY;BYHOUR=8,9,10,11,12,13,14;BYMINUTE=0,30", "every day at minute 0 and 30 of hours 8–14 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "every month on the last weekday at 09:00 (Europe/Berlin)"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,2", "by the rule FREQ=MONTHLY;BYSETPOS=1,2;BYDAY=MO,TU,WE,TH,FR (Europe/Berlin)"],
    ["FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "by the rule FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO (Europe/Berlin)"],
  ])("%s", (rule, expected) => {
    expect(words(rule)).toBe(expected);
  });

  test("a one-shot names its day", () => {
    expect(words(null, "2026-12-01T09:00:00", "UTC")).toBe("once, at Tue 1 Dec 2026 09:00 (UTC)");
  });

  test("exceptions at the rule's time read as dates; others keep their time", () => {
    const text = words("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", undefined, undefined, { exdate: ["2026-12-31", "2026-12-24T09:00:00"] });
    expect(text).toBe("every weekday at 09:00 (Europe/Berlin), except 24 Dec 2026 and 31 Dec 2026");
    const odd = words("FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0", undefined, undefined, { exdate: ["2026-12-24T17:00:00"] });
    expect(odd).toBe("every day at 09:00 and 17:00 (Europe/Berlin), except 24 Dec 2026 17:00");
  });

  test("extra dates come before the exceptions, long lists are counted", () => {
    const ex = Array.from({ length: 8 }, (_, i) => `2027-01-0${i + 1}`);
    const text = words("FREQ=DAILY", undefined, "UTC", { rdate: ["2026-12-26T12:00:00"], exdate: ex });
    expect(text).toBe("every day at 09:00 (UTC), and also 26 Dec 2026 12:00, except 1 Jan 2027, 2 Jan 2027, 3 Jan 2027, 4 Jan 2027, 5 Jan 2027 and 3 more");
  });

  test("cron is shown as written, then in words", () => {
    const rules = [parseRuleString("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0")];
    expect(scheduleWords({ start: "1970-01-01T00:00:00", tz: BERLIN, rule: null, cron: { text: "0 9 * * 1-5", rules } })).toBe(
      'cron "0 9 * * 1-5": every weekday at 09:00 (Europe/Berlin)',
    );
  });
});

describe("a task's schedule in words", () => {
  const { taskScheduleWords } = require("../../src/scheduler/schedule-words.ts") as typeof import("../../src/scheduler/schedule-words.ts");
  test("cron, exceptions, a reminder and late_after", () => {
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: BERLIN, rrule: null, extras: { cron: "0 9 * * 1-5", exdate: ["2026-12-24"] } })).toBe(
      'cron "0 9 * * 1-5": every weekday at 09:00 (Europe/Berlin), except 24 Dec 2026',
    );
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: "UTC", rrule: null, extras: { cron: "0 9 1 * MON" } })).toBe(
      'cron "0 9 1 * MON": every month on the 1st at 09:00, or every Monday at 09:00 (UTC)',
    );
    expect(taskScheduleWords({ start: "2026-12-01T18:00:00", tz: BERLIN, rrule: parseRuleString("FREQ=WEEKLY"), extras: { before: 900_000, lateAfter: 5_400_000 } })).toBe(
      "15 minutes before each of: every Tuesday at 18:00 (Europe/Berlin); skipped when more than 1 hour 30 minutes late",
    );
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: "UTC", rrule: null, extras: { cron: "*/15 9-17 * * 1-5" } })).toBe(
      'cron "*/15 9-17 * * 1-5": every weekday at minute 0, 15, 30 and 45 of hours 9–17 (UTC)',
    );
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: "UTC", rrule: null, extras: { cron: "@hourly" } })).toBe(
      'cron "@hourly": every hour at :00 (UTC)',
    );
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: "UTC", rrule: null, extras: { cron: "* * * * 1-5" } })).toBe(
      'cron "* * * * 1-5": every minute, on weekdays (UTC)',
    );
    expect(taskScheduleWords({ start: "1970-01-01T00:00:00", tz: "UTC", rrule: null, extras: { cron: "30 * 1 * *" } })).toBe(
      'cron "30 * 1 * *": every hour at :30, on the 1st of the month (UTC)',
    );
  });
});
