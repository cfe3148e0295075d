// Times the recurrence engine's next() against rrule.js after() on the same rules.
// Run: bun bench/recurrence-bench.ts
import * as rruleNs from "rrule";
import { compileSchedule } from "../src/scheduler/recurrence/recurrence.ts";
import type { RuleParts } from "../src/scheduler/rule-parts.ts";
import { parseRuleString } from "../src/scheduler/rule-parse.ts";
import { floatingFromLocal, instantToFloating, parseLocal } from "../src/scheduler/zoned-time.ts";

// rrule's ESM entry differs between runtimes.
const { RRule } = ((rruleNs as any).default ?? rruleNs) as typeof rruleNs;

export interface BenchRow {
  name: string;
  engineUs: number;
  baselineUs: number | null;
  ratio: number | null;
  capped: boolean;
}

const CAP_MS = 2000;
const NOW = Date.parse("2026-06-15T12:00:00Z");

interface BenchCase {
  name: string;
  rule: string;
  start: string;
  tz: string;
}

const OLD = "2016-06-15T08:00:00";
const FRESH = "2026-06-14T08:00:00";

const RULES: [string, string][] = [
  ["secondly", "FREQ=SECONDLY"],
  ["minutely", "FREQ=MINUTELY"],
  ["minutely/7 byhour", "FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,10,11"],
  ["hourly", "FREQ=HOURLY;BYMINUTE=0,30"],
  ["daily 09:00", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0"],
  ["weekly MO-FR", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
  ["monthly last weekday", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"],
  ["yearly", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"],
];

function cases(): BenchCase[] {
  const out: BenchCase[] = [];
  for (const [name, rule] of RULES) {
    for (const [age, start] of [["old", OLD], ["fresh", FRESH]] as const) {
      for (const tz of ["UTC", "Europe/Berlin"]) out.push({ name: `${name} ${age} ${tz}`, rule, start, tz });
    }
  }
  return out;
}

function toRRule(parts: RuleParts, start: string, tz: string): InstanceType<typeof RRule> {
  const l = parseLocal(start)!;
  const freq = { yearly: RRule.YEARLY, monthly: RRule.MONTHLY, weekly: RRule.WEEKLY, daily: RRule.DAILY, hourly: RRule.HOURLY, minutely: RRule.MINUTELY, secondly: RRule.SECONDLY }[parts.freq];
  const days = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
  return new RRule({
    freq,
    interval: parts.interval,
    // rrule.js wants the wall time as a UTC Date, plus tzid for zoned rules.
    dtstart: new Date(floatingFromLocal(l)),
    tzid: tz === "UTC" ? null : tz,
    byweekday: parts.byweekday?.map((w) => (w.n === undefined ? days[w.day]! : days[w.day]!.nth(w.n))) ?? null,
    bysetpos: parts.bysetpos ?? null,
    bymonth: parts.bymonth ?? null,
    byhour: parts.byhour ?? null,
    byminute: parts.byminute ?? null,
  });
}

/** rrule.js after(), walking from dtstart, abandoned after CAP_MS. */
function rruleAfter(rule: InstanceType<typeof RRule>, after: Date): { ms: number; capped: boolean } {
  const t0 = performance.now();
  let capped = false;
  let k = 0;
  rule.all((d) => {
    if (d > after) return false;
    if ((++k & 1023) === 0 && performance.now() - t0 > CAP_MS) {
      capped = true;
      return false;
    }
    return true;
  });
  return { ms: performance.now() - t0, capped };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchRecurrence(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Warm the JIT on every rule first so the first rows are not penalised.
  for (const c of cases()) {
    const rec = compileSchedule({ start: c.start, tz: c.tz, rule: parseRuleString(c.rule) });
    for (let i = 0; i < 2000; i++) rec.next(NOW + i * 31_536_017);
  }
  for (const c of cases()) {
    const parts = parseRuleString(c.rule);
    const rec = compileSchedule({ start: c.start, tz: c.tz, rule: parts });
    // Varied targets over ~2 years so zone caches and period memos are exercised.
    const afters = Array.from({ length: 2000 }, (_, i) => NOW + i * 31_536_017);
    for (const a of afters.slice(0, 200)) rec.next(a);
    const t0 = performance.now();
    for (const a of afters) rec.next(a);
    const engineUs = ((performance.now() - t0) * 1000) / afters.length;

    const rr = toRRule(parts, c.start, c.tz);
    // rrule.js compares in its own floating time: give it the wall time of NOW.
    const afterWall = new Date(instantToFloating(NOW, c.tz));
    let total = 0;
    let reps = 0;
    let capped = false;
    while (reps < 50 && total < 200 && !capped) {
      const r = rruleAfter(rr, afterWall);
      total += r.ms;
      capped = r.capped;
      reps++;
    }
    const baselineUs = capped ? null : (total * 1000) / reps;
    rows.push({ name: c.name, engineUs, baselineUs, ratio: baselineUs === null ? null : baselineUs / engineUs, capped });
  }
  return rows;
}

/** Per-call distribution of next() over the whole corpus (median and worst, µs). */
export function corpusLatency(): { medianUs: number; worstUs: number; calls: number } {
  const times: number[] = [];
  for (const c of cases()) {
    const rec = compileSchedule({ start: c.start, tz: c.tz, rule: parseRuleString(c.rule) });
    for (let i = 0; i < 500; i++) {
      const a = NOW + i * 7_919_993;
      const t0 = performance.now();
      rec.next(a);
      times.push((performance.now() - t0) * 1000);
    }
  }
  return { medianUs: median(times), worstUs: Math.max(...times), calls: times.length };
}

function fmt(n: number | null, digits = 2): string {
  return n === null ? "> cap" : n.toFixed(digits);
}

if (import.meta.main) {
  const rows = await benchRecurrence();
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"rule".padEnd(w)}  ${"engine µs".padStart(10)}  ${"rrule.js µs".padStart(14)}  ${"ratio".padStart(10)}`);
  for (const r of rows) {
    const base = r.capped ? `> cap ${CAP_MS / 1000}s` : fmt(r.baselineUs, 1);
    const ratio = r.capped ? `> ${Math.round((CAP_MS * 1000) / r.engineUs)}×` : `${fmt(r.ratio, 1)}×`;
    console.log(`${r.name.padEnd(w)}  ${fmt(r.engineUs).padStart(10)}  ${base.padStart(14)}  ${ratio.padStart(10)}`);
  }
  const lat = corpusLatency();
  console.log(`\nnext() over ${lat.calls} calls: median ${lat.medianUs.toFixed(2)} µs, worst ${lat.worstUs.toFixed(1)} µs`);
}
