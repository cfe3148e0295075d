// Differential test: the engine against python-dateutil (the reference), with
// cases generated at test time by test/scheduler/dateutil/gen-cases.py.
import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { parseRuleString, parseRuleTable } from "../../src/scheduler/rule-parse.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";

interface Case {
  name: string;
  tz: string;
  start: string;
  rule: Record<string, unknown>;
  ruleString?: string;
  after: string;
  n: number;
  expected: string[];
}

/** The first Python that has dateutil: SESHET_PYTHON, the one on PATH, or Debian's (python3-dateutil). */
function referencePython(): string {
  const candidates = [process.env.SESHET_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  return candidates.find((py) => spawnSync(py, ["-c", "import dateutil, zoneinfo"]).status === 0) ?? "python3";
}

function generate(seed: number, count: number): Case[] {
  const script = join(import.meta.dir, "dateutil", "gen-cases.py");
  const r = spawnSync(referencePython(), [script, String(seed), String(count)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `cannot run the dateutil case generator (python3 with python-dateutil is required; apt install python3-dateutil): ${r.error?.message ?? r.stderr}`,
    );
  }
  return JSON.parse(r.stdout) as Case[];
}

describe("recurrence vs python-dateutil", () => {
  let cases: Case[] = [];
  beforeAll(() => {
    cases = generate(5545, 300);
  }, 120_000);

  test("the generator produced a varied corpus", () => {
    expect(cases.length).toBe(300);
    expect(cases.filter((c) => c.expected.length > 0).length).toBeGreaterThan(200);
    expect(cases.filter((c) => c.ruleString !== undefined).length).toBeGreaterThan(50);
    for (const f of ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"]) {
      expect(cases.some((c) => c.rule.freq === f)).toBe(true);
    }
  });

  test("every occurrence matches", () => {
    const failures: string[] = [];
    for (const c of cases) {
      const rule = c.ruleString !== undefined ? parseRuleString(c.ruleString) : parseRuleTable(c.rule);
      const rec = compileSchedule({ start: c.start, tz: c.tz, rule });
      const got = rec.take(Date.parse(c.after), c.n).map((t) => formatInstant(t, c.tz));
      if (JSON.stringify(got) !== JSON.stringify(c.expected)) {
        failures.push(`${c.name}: start=${c.start} rule=${c.ruleString ?? JSON.stringify(c.rule)} after=${c.after}\n  expected ${JSON.stringify(c.expected)}\n  got      ${JSON.stringify(got)}`);
      }
    }
    expect(failures.slice(0, 10).join("\n")).toBe("");
  });
});
