import { describe, expect, test } from "bun:test";
import { parse } from "smol-toml";
import { RuleError, formatRuleString, parseRuleString, parseRuleTable } from "../../src/scheduler/rule-parse.ts";

function err(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error("expected a RuleError");
}

describe("parseRuleTable", () => {
  test("the DESIGN.md example", () => {
    const doc = parse(`[rrule]\nfreq = "weekly"\nbyweekday = ["MO", "TU", "WE", "TH", "FR"]\ncount = 200\n`) as { rrule: Record<string, unknown> };
    expect(parseRuleTable(doc.rrule)).toEqual({
      freq: "weekly", interval: 1, count: 200,
      byweekday: [{ day: 0 }, { day: 1 }, { day: 2 }, { day: 3 }, { day: 4 }],
    });
  });
  test("scalars, ordinals, case and wkst", () => {
    expect(parseRuleTable({ freq: "MONTHLY", byweekday: ["+1MO", "-1fr"], bymonthday: -1, interval: 2, wkst: "SU" })).toEqual({
      freq: "monthly", interval: 2, byweekday: [{ day: 0, n: 1 }, { day: 4, n: -1 }], bymonthday: [-1], wkst: 6,
    });
    expect(parseRuleTable({ freq: "daily", byhour: 9 }).byhour).toEqual([9]);
  });
  test("byday is an alias of byweekday", () => {
    expect(parseRuleTable({ freq: "weekly", byday: ["MO"] }).byweekday).toEqual([{ day: 0 }]);
    expect(err(() => parseRuleTable({ freq: "weekly", byday: ["MO"], byweekday: ["TU"] })).key).toBe("byweekday");
  });
  test("until from TOML dates and strings", () => {
    const doc = parse(`a = 2027-06-30T00:00:00\nb = 2027-06-30T00:00:00Z\nc = 2027-06-30\nd = 2027-06-30T01:00:00+02:00`) as Record<string, unknown>;
    expect(parseRuleTable({ freq: "daily", until: doc.a }).until).toEqual({ local: "2027-06-30T00:00:00" });
    expect(parseRuleTable({ freq: "daily", until: doc.b }).until).toEqual({ instant: Date.parse("2027-06-30T00:00:00Z") });
    expect(parseRuleTable({ freq: "daily", until: doc.c }).until).toEqual({ local: "2027-06-30T00:00:00" });
    expect(parseRuleTable({ freq: "daily", until: doc.d }).until).toEqual({ instant: Date.parse("2027-06-29T23:00:00Z") });
    expect(parseRuleTable({ freq: "daily", until: "2027-06-30T12:00:00" }).until).toEqual({ local: "2027-06-30T12:00:00" });
    expect(parseRuleTable({ freq: "daily", until: "2027-06-30T12:00:00+02:00" }).until).toEqual({ instant: Date.parse("2027-06-30T10:00:00Z") });
  });
  test("unknown keys name themselves and suggest", () => {
    const e = err(() => parseRuleTable({ freq: "daily", byhours: [9] }));
    expect(e.key).toBe("byhours");
    expect(e.message).toContain("did you mean 'byhour'?");
    expect(err(() => parseRuleTable({ freq: "daily", bymonthdya: [1] })).message).toContain("'bymonthday'");
  });
  test("out-of-range values name the key and what is allowed", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ freq: "yearly", bymonth: [13] }, "bymonth", "1..12"],
      [{ freq: "daily", byhour: [24] }, "byhour", "0..23"],
      [{ freq: "weekly", byweekday: ["XX"] }, "byweekday", "MO"],
      [{ freq: "daily", interval: 0 }, "interval", "at least 1"],
      [{ freq: "daily", count: 0 }, "count", "at least 1"],
      [{ freq: "daily", count: 3, until: "2027-01-01" }, "until", "count"],
      [{ freq: "fortnightly" }, "freq", "weekly"],
      [{ byhour: [1] }, "freq", "freq"],
      [{ freq: "monthly", bymonthday: [0] }, "bymonthday", "-31..-1 or 1..31"],
      [{ freq: "daily", byminute: [1.5] }, "byminute", "integer"],
      [{ freq: "daily", until: "soon" }, "until", "date-time"],
    ];
    for (const [table, key, hint] of cases) {
      const e = err(() => parseRuleTable(table));
      expect(e.key).toBe(key);
      expect(e.message).toContain(hint);
    }
  });
});

describe("parseRuleString / formatRuleString", () => {
  test("parses the RFC form", () => {
    expect(parseRuleString("RRULE:FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20270630T000000Z")).toEqual({
      freq: "weekly", interval: 1, byweekday: [{ day: 0 }, { day: 4 }], until: { instant: Date.parse("2027-06-30T00:00:00Z") },
    });
    expect(parseRuleString("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270630T120000").until).toEqual({ local: "2027-06-30T12:00:00" });
    expect(parseRuleString("freq=daily;byhour=9,17;interval=2")).toEqual({ freq: "daily", interval: 2, byhour: [9, 17] });
  });
  test("errors carry the lower-case part name", () => {
    expect(err(() => parseRuleString("FREQ=DAILY;BYHOUR=25")).key).toBe("byhour");
    expect(err(() => parseRuleString("FREQ=WEEKLY;BYDAY=XX")).key).toBe("byday");
    expect(err(() => parseRuleString("FREQ=DAILY;BYHOURS=2")).key).toBe("byhours");
  });
  test("round trip", () => {
    for (const s of [
      "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0",
      "FREQ=MONTHLY;INTERVAL=2;WKST=SU;COUNT=10;BYSETPOS=-1;BYDAY=MO,FR",
      "FREQ=YEARLY;UNTIL=20270630T000000Z;BYMONTH=2;BYMONTHDAY=-1",
      "FREQ=MONTHLY;BYDAY=+1MO,-2FR",
    ]) {
      expect(formatRuleString(parseRuleString(s))).toBe(s);
    }
  });
});
