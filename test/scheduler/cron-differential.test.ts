// Differential test of cron expressions: against python croniter in UTC, and
// against the equivalent RRULE set (python-dateutil) across DST changes.
// Cases by dateutil/gen-cron-cases.py.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import { runPythonJson } from "../support/reference-python.ts";

interface Case {
  name: string;
  kind: "croniter" | "rruleset";
  cron: string;
  tz: string;
  after: string;
  n: number;
  expected: string[];
  before?: string;
}

describe("cron vs croniter and the equivalent RRULE set", () => {
  let cases: Case[] = [];
  beforeAll(() => {
    cases = runPythonJson<Case[]>(["croniter", "dateutil"], join(import.meta.dir, "dateutil", "gen-cron-cases.py"), ["1970", "400"]);
  }, 120_000);

  test("the corpus has both kinds, macros, names and the day OR rule", () => {
    expect(cases.filter((c) => c.kind === "croniter").length).toBe(200);
    expect(cases.filter((c) => c.kind === "rruleset").length).toBe(200);
    expect(cases.some((c) => c.cron.startsWith("@"))).toBe(true);
    expect(cases.some((c) => /[A-Z]{3}/.test(c.cron) && !c.cron.startsWith("@"))).toBe(true);
    expect(cases.some((c) => { const f = c.cron.split(" "); return f.length === 5 && !f[2]!.startsWith("*") && !f[4]!.startsWith("*"); })).toBe(true);
  });

  test("every run matches", () => {
    const failures: string[] = [];
    for (const c of cases) {
      const rec = compileSchedule({ start: "1970-01-01T00:00:00", tz: c.tz, rule: null, extras: { cron: c.cron } });
      let got = rec.take(Date.parse(c.after), c.n);
      if (c.before !== undefined) got = got.filter((t) => t <= Date.parse(c.before!));
      const text = got.slice(0, c.expected.length).map((t) => formatInstant(t, c.tz));
      if (JSON.stringify(text) !== JSON.stringify(c.expected) || (c.kind === "croniter" && got.length !== c.n)) {
        failures.push(`${c.name}: "${c.cron}" ${c.tz} after=${c.after}\n  expected ${JSON.stringify(c.expected.slice(0, 6))}\n  got      ${JSON.stringify(text.slice(0, 6))}`);
      }
    }
    expect(failures.slice(0, 5).join("\n")).toBe("");
  });
});
