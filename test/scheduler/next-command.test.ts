import { describe, expect, test } from "bun:test";
import { formatOccurrences, runNext } from "../../src/cli/next-command.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";

function run(opts: Parameters<typeof runNext>[0]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = runNext(opts, (l) => lines.push(l));
  return { code, lines };
}

describe("seshet next", () => {
  test("RRULE string, explicit after and zone", () => {
    const r = run({ rrule: "FREQ=WEEKLY;BYDAY=MO,FR", start: "2026-01-02T09:00:00", tz: "Europe/Berlin", after: "2026-03-26T00:00:00Z", n: 3 });
    expect(r).toEqual({ code: 0, lines: ["# every Monday and Friday at 09:00 (Europe/Berlin)", "2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-04-03T09:00:00+02:00"] });
  });
  test("TOML inline table; default start is midnight of after's day; local after", () => {
    const r = run({ rrule: '{ freq = "daily", byhour = [9] }', tz: "Europe/Berlin", after: "2026-03-28T10:00:00", n: 2 });
    expect(r).toEqual({ code: 0, lines: ["# every day at 09:00 (Europe/Berlin)", "2026-03-29T09:00:00+02:00", "2026-03-30T09:00:00+02:00"] });
  });
  test("json", () => {
    const r = run({ rrule: "RRULE:FREQ=HOURLY;COUNT=2", start: "2026-01-01T00:00:00", after: "2025-12-31T23:00:00Z", json: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.lines.join(""))).toEqual(["2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+00:00"]);
  });
  test("invalid input gives one line and exit 1", () => {
    for (const opts of [
      { rrule: "FREQ=DAILY;BYHOUR=24", after: "2026-01-01T00:00:00Z" },
      { rrule: "{ freq = ", after: "2026-01-01T00:00:00Z" },
      { rrule: "FREQ=DAILY", tz: "Mars/Base", after: "2026-01-01T00:00:00Z" },
      { rrule: "FREQ=DAILY", after: "next tuesday" },
      { rrule: "FREQ=DAILY", start: "soon", after: "2026-01-01T00:00:00Z" },
      { rrule: "FREQ=DAILY", n: 0, after: "2026-01-01T00:00:00Z" },
    ]) {
      const r = run(opts);
      expect(r.code).toBe(1);
      expect(r.lines.length).toBe(1);
      expect(r.lines[0]!.startsWith("seshet next: ")).toBe(true);
    }
  });
  test("cron, exceptions and extra dates", () => {
    const r = run({ cron: "0 9 * * 1-5", exdate: "2026-12-24, 2026-12-31T09:00:00", rdate: "2026-12-27T12:00:00", tz: "Europe/Berlin", after: "2026-12-23T12:00:00Z", n: 4 });
    expect(r).toEqual({
      code: 0,
      lines: [
        '# cron "0 9 * * 1-5": every weekday at 09:00 (Europe/Berlin), and also 27 Dec 2026 12:00, except 24 Dec 2026 and 31 Dec 2026',
        "2026-12-25T09:00:00+01:00",
        "2026-12-27T12:00:00+01:00",
        "2026-12-28T09:00:00+01:00",
        "2026-12-29T09:00:00+01:00",
      ],
    });
    const bad = run({ cron: "0 9 * JANUARY *", after: "2026-01-01T00:00:00Z" });
    expect(bad).toEqual({ code: 1, lines: ["seshet next: cron field 'month' (4th): 'JANUARY' is not a number or a name (JAN-DEC)"] });
  });
  test("formatOccurrences", () => {
    const rec = compileSchedule({ start: "2026-01-01T09:00:00", tz: "Asia/Kolkata", rule: { freq: "daily", interval: 1 } });
    expect(formatOccurrences(rec, "Asia/Kolkata", Date.parse("2026-01-01T00:00:00Z"), 2, false)).toEqual(["2026-01-01T09:00:00+05:30", "2026-01-02T09:00:00+05:30"]);
    expect(formatOccurrences(rec, "Asia/Kolkata", Date.parse("2026-01-01T00:00:00Z"), 1, true)).toEqual(['["2026-01-01T09:00:00+05:30"]']);
  });
});
