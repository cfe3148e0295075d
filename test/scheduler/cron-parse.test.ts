// Cron expressions → RRULE sets: the forms, the day OR rule, errors naming
// the field, and `start` as a lower bound.
import { describe, expect, test } from "bun:test";
import { parseCron } from "../../src/scheduler/cron-parse.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { formatRuleString } from "../../src/scheduler/rule-parse.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";

const rules = (expr: string) => parseCron(expr).rules.map(formatRuleString);

describe("parseCron", () => {
  test("fields, lists, ranges, steps and names", () => {
    expect(rules("0 9 * * 1-5")).toEqual(["FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0"]);
    expect(rules("*/20 9-11 * JAN,jul mon-FRI")).toEqual(["FREQ=DAILY;BYMONTH=1,7;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,10,11;BYMINUTE=0,20,40;BYSECOND=0"]);
    expect(rules("5/20 0-6/3 * * 7")).toEqual(["FREQ=DAILY;BYDAY=SU;BYHOUR=0,3,6;BYMINUTE=5,25,45;BYSECOND=0"]);
    expect(rules("0 0 1,15 * *")).toEqual(["FREQ=DAILY;BYMONTHDAY=1,15;BYHOUR=0;BYMINUTE=0;BYSECOND=0"]);
  });

  test("macros", () => {
    expect(rules("@daily")).toEqual(rules("0 0 * * *"));
    expect(rules("@midnight")).toEqual(rules("0 0 * * *"));
    expect(rules("@hourly")).toEqual(rules("0 * * * *"));
    expect(rules("@weekly")).toEqual(rules("0 0 * * 0"));
    expect(rules("@monthly")).toEqual(rules("0 0 1 * *"));
    expect(rules("@yearly")).toEqual(rules("0 0 1 1 *"));
    expect(rules("@annually")).toEqual(rules("0 0 1 1 *"));
  });

  test("Vixie's rule: both day fields restricted match when either does; a starred one restricts with AND", () => {
    expect(rules("0 9 1 * MON")).toEqual(["FREQ=DAILY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0;BYSECOND=0", "FREQ=DAILY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"]);
    expect(rules("0 9 */10 * MON")).toEqual(["FREQ=DAILY;BYMONTHDAY=1,11,21,31;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"]);
  });

  test("errors name the field and the bound", () => {
    const err = (expr: string) => {
      try {
        parseCron(expr);
        return "no error";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err("0 25 * * *")).toBe("cron field 'hour' (2nd): 25 is out of range 0-23");
    expect(err("60 * * * *")).toBe("cron field 'minute' (1st): 60 is out of range 0-59");
    expect(err("0 0 0 * *")).toBe("cron field 'day-of-month' (3rd): 0 is out of range 1-31");
    expect(err("0 0 * 13 *")).toBe("cron field 'month' (4th): 13 is out of range 1-12");
    expect(err("0 0 * * 8")).toBe("cron field 'day-of-week' (5th): 8 is out of range 0-7");
    expect(err("0 0 * * FUN")).toBe("cron field 'day-of-week' (5th): 'FUN' is not a number or a name (SUN-SAT)");
    expect(err("0 10-5 * * *")).toBe("cron field 'hour' (2nd): range '10-5' goes backwards (10 > 5)");
    expect(err("0 1,,2 * * *")).toBe("cron field 'hour' (2nd): empty list item in '1,,2'");
    expect(err("0 9 * *")).toContain("must have 5 fields");
    expect(err("@reboot")).toContain("@reboot is not a schedule");
    expect(err("0 ".repeat(150))).toContain("at most 200");
  });

  test("nothing fires before a given start", () => {
    const rec = compileSchedule({ start: "2026-12-24T10:00:00", tz: "Europe/Berlin", rule: null, extras: { cron: "0 9 * * *" } });
    expect(rec.take(Date.parse("2026-01-01T00:00:00Z"), 2).map((t) => formatInstant(t, "Europe/Berlin"))).toEqual([
      "2026-12-25T09:00:00+01:00",
      "2026-12-26T09:00:00+01:00",
    ]);
  });
});
