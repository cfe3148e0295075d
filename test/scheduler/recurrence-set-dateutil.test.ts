// Differential test: RRULE + RDATE - EXDATE against python-dateutil's
// rruleset, in zones with DST changes (cases by dateutil/gen-set-cases.py).
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { parseRuleTable } from "../../src/scheduler/rule-parse.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import { runPythonJson } from "../support/reference-python.ts";

interface Case {
  name: string;
  tz: string;
  start: string;
  rule: Record<string, unknown>;
  exdate: string[];
  rdate: string[];
  after: string;
  /** Expected occurrences stop here. */
  before: string;
  n: number;
  expected: string[];
  ambiguous: boolean;
}

describe("recurrence sets vs python-dateutil rruleset", () => {
  let cases: Case[] = [];
  beforeAll(() => {
    cases = runPythonJson<Case[]>(["dateutil", "zoneinfo"], join(import.meta.dir, "dateutil", "gen-set-cases.py"), ["2445", "300"]);
  }, 120_000);

  test("the corpus crosses transitions with exceptions and extra dates", () => {
    expect(cases.length).toBe(300);
    expect(cases.filter((c) => c.expected.length > 0).length).toBeGreaterThan(250);
    // EXDATEs in a gap on the instant of another wall time: compared as wall times, as dateutil does.
    expect(cases.filter((c) => c.ambiguous).length).toBeGreaterThan(5);
    expect(cases.filter((c) => c.rdate.length > 0).length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.exdate.some((d) => d.length === 10)).length).toBeGreaterThan(50);
    expect(cases.filter((c) => c.rule.count !== undefined).length).toBeGreaterThan(20);
  });

  test("every occurrence matches", () => {
    const failures: string[] = [];
    for (const c of cases) {
      const rec = compileSchedule({ start: c.start, tz: c.tz, rule: parseRuleTable(c.rule), extras: { exdate: c.exdate, rdate: c.rdate } });
      const got = rec.take(Date.parse(c.after), c.n).filter((t) => t < Date.parse(c.before)).map((t) => formatInstant(t, c.tz));
      if (JSON.stringify(got) !== JSON.stringify(c.expected)) {
        failures.push(`${c.name}: ${c.tz} start=${c.start} rule=${JSON.stringify(c.rule)} ex=${c.exdate} r=${c.rdate} after=${c.after}\n  expected ${JSON.stringify(c.expected)}\n  got      ${JSON.stringify(got)}`);
      }
    }
    expect(failures.slice(0, 5).join("\n")).toBe("");
  });
});
