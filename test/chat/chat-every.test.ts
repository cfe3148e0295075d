// The !every parser (also `seshet next --every`): English and RRULE to a rule,
// occurrences on whole minutes, 09:00 local on both sides of a DST change.
import { describe, expect, test } from "bun:test";
import { parseEvery, type EverySchedule } from "../../src/chat/chat-every.ts";
import { parseWhen } from "../../src/chat/chat-when.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { scheduleWords } from "../../src/scheduler/schedule-words.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import { parseDuration } from "../../src/scheduler/duration.ts";

/** Tue 1 Dec 2026, 10:30:12 in Berlin. */
const NOW = Date.UTC(2026, 11, 1, 9, 30, 12);

function ok(text: string, tz = "Europe/Berlin", now = NOW): EverySchedule {
  const r = parseEvery(text, tz, now);
  if ("error" in r) throw new Error(`${text}: ${r.error}`);
  return r;
}
const words = (s: EverySchedule) => scheduleWords({ start: s.start, tz: s.tz, rule: s.rule });
const next = (s: EverySchedule, n: number, now = NOW) => compileSchedule({ start: s.start, tz: s.tz, rule: s.rule }).take(now, n).map((t) => formatInstant(t, s.tz));

describe("English schedules", () => {
  test.each([
    ["day at 9:00", "every day at 09:00 (Europe/Berlin)", "2026-12-02T09:00:00+01:00"],
    ["weekday at 09:00", "every weekday at 09:00 (Europe/Berlin)", "2026-12-02T09:00:00+01:00"],
    ["monday and thursday at 18:30", "every Monday and Thursday at 18:30 (Europe/Berlin)", "2026-12-03T18:30:00+01:00"],
    ["last friday of the month at 16:00", "every month on the last Friday at 16:00 (Europe/Berlin)", "2026-12-25T16:00:00+01:00"],
    ["tue, thu at 7pm", "every Tuesday and Thursday at 19:00 (Europe/Berlin)", "2026-12-01T19:00:00+01:00"],
    ["15th of the month at 10:00", "every month on the 15th at 10:00 (Europe/Berlin)", "2026-12-15T10:00:00+01:00"],
    ["2 weeks on tuesday at 10:00", "every 2 weeks on Tuesday at 10:00 (Europe/Berlin)", "2026-12-15T10:00:00+01:00"],
    ["weekends at noon", "every Saturday and Sunday at 12:00 (Europe/Berlin)", "2026-12-05T12:00:00+01:00"],
    ["day at 9:00 America/New_York", "every day at 09:00 (America/New_York)", "2026-12-01T09:00:00-05:00"],
  ])("%s", (text, expectedWords, first) => {
    const s = ok(text);
    expect(words(s)).toBe(expectedWords);
    expect(next(s, 1)[0]).toBe(first);
  });

  test("intervals start one interval after the next whole minute, never on the second typed", () => {
    expect(next(ok("30m"), 2)).toEqual(["2026-12-01T11:01:00+01:00", "2026-12-01T11:31:00+01:00"]);
    expect(next(ok("2 hours"), 2)).toEqual(["2026-12-01T12:31:00+01:00", "2026-12-01T14:31:00+01:00"]);
    for (const text of ["day at 9:00", "30m", "FREQ=WEEKLY;BYDAY=MO"]) {
      for (const t of compileSchedule({ ...ok(text), rule: ok(text).rule }).take(NOW, 20)) expect(t % 60_000).toBe(0);
    }
  });

  test("an RRULE is taken as written, from midnight today", () => {
    const s = ok("FREQ=WEEKLY;BYDAY=MO");
    expect(words(s)).toBe("every Monday at 00:00 (Europe/Berlin)");
    expect(next(s, 1)).toEqual(["2026-12-07T00:00:00+01:00"]);
  });

  test("what is not understood says what", () => {
    const err = (t: string) => (parseEvery(t, "UTC", NOW) as { error: string }).error;
    expect(err("day at 25:00")).toBe("'25:00' is not a time of day (09:00, 5pm, noon)");
    expect(err("day at 9 Europe/Berln")).toBe('"Europe/Berln" is not a known IANA time zone; did you mean "Europe/Berlin"?');
    expect(err("fortnightly")).toBe("'fortnightly' was not understood as days");
    expect(err("weekday at 9:00 and 17:30")).toContain("need one task each");
    expect(err("FREQ=SOMETIMES")).toContain("freq");
    expect(err("90s")).toBe("an interval is a whole number of minutes");
  });

  test("a rule that can never fire has no occurrences (the command refuses it)", () => {
    expect(next(ok("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"), 1)).toEqual([]);
  });
});

describe("DST: 09:00 local on both sides of a change", () => {
  test("Europe/Berlin, spring forward (29 Mar 2026) and fall back (25 Oct 2026)", () => {
    const march = Date.UTC(2026, 2, 27, 12);
    expect(next(ok("day at 09:00", "Europe/Berlin", march), 3, march)).toEqual([
      "2026-03-28T09:00:00+01:00",
      "2026-03-29T09:00:00+02:00",
      "2026-03-30T09:00:00+02:00",
    ]);
    const october = Date.UTC(2026, 9, 24, 12);
    expect(next(ok("day at 09:00", "Europe/Berlin", october), 2, october)).toEqual(["2026-10-25T09:00:00+01:00", "2026-10-26T09:00:00+01:00"]);
  });

  test("!at reads a wall time across the change in the speaker's zone", async () => {
    const r = await parseWhen("2026-03-29 09:00 after the change", "Europe/Berlin", Date.UTC(2026, 2, 27, 12));
    expect("at" in r && formatInstant(r.at, "Europe/Berlin")).toBe("2026-03-29T09:00:00+02:00");
  });
});

describe("durations", () => {
  test.each([
    ["10s", 10_000], ["5m", 300_000], ["1h30m", 5_400_000], ["2d", 172_800_000], ["2 hours", 7_200_000], ["1 day 2 hours", 93_600_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));
  test.each(["", "0m", "soon", "5x", "m5", "99999999999m"])("'%s' is not one", (text) => expect(parseDuration(text)).toBeNull());
});
