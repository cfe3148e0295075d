import { describe, expect, test } from "bun:test";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { RuleError, parseRuleString } from "../../src/scheduler/rule-parse.ts";
import { formatInstant, localToInstant } from "../../src/scheduler/zoned-time.ts";

const BERLIN = "Europe/Berlin";
const fmt = (tz: string) => (t: number) => formatInstant(t, tz);
const at = (s: string) => Date.parse(s);

describe("every weekday at 09:00 Europe/Berlin", () => {
  const rec = compileSchedule({ start: "2026-01-05T09:00:00", tz: BERLIN, rule: parseRuleString("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") });
  test("across the March change", () => {
    expect(rec.take(at("2026-03-26T12:00:00Z"), 4).map(fmt(BERLIN))).toEqual([
      "2026-03-27T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-03-31T09:00:00+02:00", "2026-04-01T09:00:00+02:00",
    ]);
  });
  test("across the October change", () => {
    expect(rec.take(at("2026-10-22T12:00:00Z"), 3).map(fmt(BERLIN))).toEqual([
      "2026-10-23T09:00:00+02:00", "2026-10-26T09:00:00+01:00", "2026-10-27T09:00:00+01:00",
    ]);
  });
  test("strictly after", () => {
    const t = localToInstant("2026-03-30T09:00:00", BERLIN);
    expect(fmt(BERLIN)(rec.next(t)!)).toBe("2026-03-31T09:00:00+02:00");
    expect(fmt(BERLIN)(rec.next(t - 1)!)).toBe("2026-03-30T09:00:00+02:00");
  });
});

describe("gaps and overlaps (RFC 5545, not dateutil)", () => {
  test("daily at 02:30 fires at 03:30 CEST on the spring-forward day", () => {
    // dateutil with a dateutil.tz zone says 02:30+02:00 (00:30Z), an hour earlier.
    const rec = compileSchedule({ start: "2026-03-27T02:30:00", tz: BERLIN, rule: { freq: "daily", interval: 1 } });
    expect(rec.take(at("2026-03-27T12:00:00Z"), 3).map(fmt(BERLIN))).toEqual([
      "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00",
    ]);
  });
  test("daily at 02:30 fires once, at the first 02:30, on the fall-back day", () => {
    const rec = compileSchedule({ start: "2026-10-20T02:30:00", tz: BERLIN, rule: { freq: "daily", interval: 1 } });
    expect(rec.take(at("2026-10-24T12:00:00Z"), 2).map(fmt(BERLIN))).toEqual(["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]);
  });
  test("half-hourly across the gap: wall times on one instant are one, in instant order", () => {
    const rec = compileSchedule({ start: "2026-03-29T00:00:00", tz: BERLIN, rule: { freq: "hourly", interval: 1, byminute: [0, 30] } });
    expect(rec.take(at("2026-03-28T23:45:00Z"), 5).map(fmt(BERLIN))).toEqual([
      "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00", "2026-03-29T04:00:00+02:00",
    ]);
    // 00:00 00:30 01:00 01:30 [02:00=03:00] [02:30=03:30] 04:00: seven distinct instants before
    // 04:30, from nine wall times; `count` counts wall times (RFC 5545, dateutil), and so does
    // countBefore, so the remaining count runs out exactly when the last wall time has passed.
    expect(rec.countBefore(localToInstant("2026-03-29T04:30:00", BERLIN))).toBe(9);
  });
  test("a gap time after the gap was crossed is still found", () => {
    // 02:45 in the gap is 03:45 CEST; asking just after 03:00 CEST must return it.
    const rec = compileSchedule({ start: "2026-03-01T02:45:00", tz: BERLIN, rule: { freq: "daily", interval: 1 } });
    expect(fmt(BERLIN)(rec.next(at("2026-03-29T01:05:00Z"))!)).toBe("2026-03-29T03:45:00+02:00");
  });
  test("minutely over the overlap visits both passes", () => {
    const rec = compileSchedule({ start: "2026-10-25T00:00:00", tz: BERLIN, rule: { freq: "minutely", interval: 30 } });
    expect(rec.take(at("2026-10-25T00:15:00Z"), 4).map(fmt(BERLIN))).toEqual([
      "2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00", "2026-10-25T04:00:00+01:00",
    ]);
  });
  test("Lord Howe's 30-minute gap", () => {
    const tz = "Australia/Lord_Howe";
    const rec = compileSchedule({ start: "2026-10-01T02:15:00", tz, rule: { freq: "daily", interval: 1 } });
    expect(rec.take(localToInstant("2026-10-03T12:00:00", tz), 2).map(fmt(tz))).toEqual(["2026-10-04T02:45:00+11:00", "2026-10-05T02:15:00+11:00"]);
  });
});

describe("limits", () => {
  test("count counts from start and then stops", () => {
    const rec = compileSchedule({ start: "2026-01-01T09:00:00", tz: BERLIN, rule: { freq: "daily", interval: 1, count: 3 } });
    expect(rec.take(0, 10).map(fmt(BERLIN))).toEqual(["2026-01-01T09:00:00+01:00", "2026-01-02T09:00:00+01:00", "2026-01-03T09:00:00+01:00"]);
    expect(rec.next(at("2026-01-03T09:00:00Z"))).toBeNull();
    expect(rec.countBefore(at("2030-01-01T00:00:00Z"))).toBe(3);
    expect(rec.countBefore(localToInstant("2026-01-02T09:00:00", BERLIN))).toBe(1);
  });
  test("local until is inclusive and a wall time", () => {
    const rec = compileSchedule({ start: "2026-01-01T09:00:00", tz: BERLIN, rule: { freq: "daily", interval: 1, until: { local: "2026-01-03T09:00:00" } } });
    expect(rec.take(0, 10).length).toBe(3);
  });
  test("instant until is inclusive and an instant", () => {
    const u = localToInstant("2026-01-03T09:00:00", BERLIN);
    expect(compileSchedule({ start: "2026-01-01T09:00:00", tz: BERLIN, rule: { freq: "daily", interval: 1, until: { instant: u } } }).take(0, 10).length).toBe(3);
    expect(compileSchedule({ start: "2026-01-01T09:00:00", tz: BERLIN, rule: { freq: "daily", interval: 1, until: { instant: u - 1 } } }).take(0, 10).length).toBe(2);
  });
  test("start is an occurrence only if it matches", () => {
    const rec = compileSchedule({ start: "2026-01-01T09:00:00", tz: BERLIN, rule: parseRuleString("FREQ=WEEKLY;BYDAY=MO") });
    expect(fmt(BERLIN)(rec.next(0)!)).toBe("2026-01-05T09:00:00+01:00");
  });
  test("one-shot", () => {
    const rec = compileSchedule({ start: "2026-03-29T02:30:00", tz: BERLIN, rule: null });
    expect(rec.take(0, 3).map(fmt(BERLIN))).toEqual(["2026-03-29T03:30:00+02:00"]);
    expect(rec.next(at("2026-03-29T01:30:00Z"))).toBeNull();
    expect(rec.countBefore(at("2026-03-29T01:30:01Z"))).toBe(1);
  });
  test("a rule that can never match answers null", () => {
    for (const rule of ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31", "FREQ=HOURLY;INTERVAL=48;BYHOUR=3"]) {
      const rec = compileSchedule({ start: "2026-01-01T02:00:00", tz: BERLIN, rule: parseRuleString(rule) });
      expect(rec.next(at("2026-06-01T00:00:00Z"))).toBeNull();
      expect(rec.take(0, 5)).toEqual([]);
      expect(rec.countBefore(at("2099-01-01T00:00:00Z"))).toBe(0);
    }
  });
  test("invalid specs throw RuleError with the key", () => {
    const e1 = (() => { try { compileSchedule({ start: "2026-01-01", tz: "Nowhere/Land", rule: null }); } catch (e) { return e; } })();
    expect(e1).toBeInstanceOf(RuleError);
    expect((e1 as RuleError).key).toBe("tz");
    const e2 = (() => { try { compileSchedule({ start: "yesterday", tz: "UTC", rule: null }); } catch (e) { return e; } })();
    expect((e2 as RuleError).key).toBe("start");
  });
});

describe("old starts", () => {
  test("minutely from ten years ago in a zone", () => {
    const rec = compileSchedule({ start: "2016-02-29T00:00:07", tz: "America/New_York", rule: { freq: "minutely", interval: 7 } });
    // 2016-02-29T00:00:07 plus a multiple of 7 minutes.
    const got = rec.take(at("2026-03-08T06:58:00Z"), 3);
    const startMs = localToInstant("2016-02-29T00:00:07", "America/New_York");
    // Checked against dateutil (naive expansion + zoneinfo fold=0): the gap
    // wall times 02:00:07 and 02:04:07 become 03:00:07 and 03:04:07 EDT.
    expect(got.map(fmt("America/New_York"))).toEqual(["2026-03-08T03:00:07-04:00", "2026-03-08T03:04:07-04:00", "2026-03-08T03:07:07-04:00"]);
    expect(startMs).toBeLessThan(got[0]!);
  });
  test("secondly with byhour from ten years ago", () => {
    const rec = compileSchedule({ start: "2016-01-01T00:00:00", tz: BERLIN, rule: { freq: "secondly", interval: 1, byhour: [9], byminute: [30], bysecond: [0, 30] } });
    expect(rec.take(at("2026-07-01T12:00:00Z"), 3).map(fmt(BERLIN))).toEqual([
      "2026-07-02T09:30:00+02:00", "2026-07-02T09:30:30+02:00", "2026-07-03T09:30:00+02:00",
    ]);
  });
  test("monthly last weekday (bysetpos) from years ago", () => {
    const rec = compileSchedule({ start: "2010-01-29T17:00:00", tz: BERLIN, rule: parseRuleString("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1") });
    expect(rec.take(at("2026-05-01T00:00:00Z"), 3).map(fmt(BERLIN))).toEqual([
      "2026-05-29T17:00:00+02:00", "2026-06-30T17:00:00+02:00", "2026-07-31T17:00:00+02:00",
    ]);
  });
});
