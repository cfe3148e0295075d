// A huge `count` (issue 12): what scheduling a task costs when its count is
// 2^53 - 1 — where it stands now (next due and what the count leaves) and
// where its last occurrence falls — on fresh rules, so nothing is cached.
// Baseline in the same run: walking the rule occurrence by occurrence (what
// the engine did before), timed for a while and extrapolated to the count.
// Run: bun bench/count-bench.ts
import { compileSchedule } from "../src/scheduler/recurrence/recurrence.ts";
import { Expander } from "../src/scheduler/recurrence/expander.ts";
import { parseRuleString } from "../src/scheduler/rule-parse.ts";
import { scheduleFrom } from "../src/scheduler/task-schedule.ts";
import { floatingFromLocal, parseLocal } from "../src/scheduler/zoned-time.ts";
import { figure, type BenchFigure } from "./bench-figure.ts";

const HUGE = Number.MAX_SAFE_INTEGER;
const START = "2016-06-15T08:00:00";
const NOW = Date.parse("2026-06-15T12:00:00Z");
const WALK_MS = 200;

const RULES: [string, string][] = [
  ["secondly", "FREQ=SECONDLY"],
  ["secondly/13 at 9h and 17h", "FREQ=SECONDLY;INTERVAL=13;BYHOUR=9,17"],
  ["minutely/11 on Mondays", "FREQ=MINUTELY;INTERVAL=11;BYDAY=MO"],
  ["hourly/7919", "FREQ=HOURLY;INTERVAL=7919"],
  ["daily", "FREQ=DAILY"],
  ["monthly last weekday", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"],
  ["impossible seconds (none ever)", "FREQ=SECONDLY;INTERVAL=3;BYSECOND=1,2"],
];

/** Occurrences a plain walk gets through per second. */
function walkRate(rule: string): number {
  const ex = new Expander(parseRuleString(rule), floatingFromLocal(parseLocal(START)!));
  const t0 = performance.now();
  let n = 0;
  for (let w = ex.firstAtOrAfter(ex.w0); w !== null && performance.now() - t0 < WALK_MS; w = ex.firstAtOrAfter(w + 1)) n++;
  return n / ((performance.now() - t0) / 1000);
}

export function benchCount(): BenchFigure[] {
  const out: BenchFigure[] = [];
  for (const [name, text] of RULES) {
    const rrule = { ...parseRuleString(text), count: HUGE };
    const t0 = performance.now();
    const s = scheduleFrom({ start: START, tz: "Europe/Berlin", rrule }, NOW);
    compileSchedule({ start: START, tz: "Europe/Berlin", rule: rrule }).next(Date.parse("9000-01-01T00:00:00Z"));
    const ms = performance.now() - t0;
    const rate = walkRate(text);
    const walkMs = rate > 0 && s.remaining !== null ? ((HUGE - 0) / rate) * 1000 : null;
    const note = `remaining ${s.remaining}; a walk covers ${Math.round(rate)} occurrences/s`;
    out.push(figure(`count = 2^53-1, ${name}: schedule now + an occurrence in year 9000`, ms, "ms", walkMs === null ? null : { name: "walking the count (extrapolated)", value: walkMs }, note));
  }
  return out;
}

if (import.meta.main) {
  for (const f of benchCount()) {
    const base = f.baseline ? ` (walk: ${(f.baseline.value / 3.15576e10).toExponential(1)} years)` : "";
    console.log(`${f.name}: ${f.value.toFixed(1)} ms${base} — ${f.note}`);
  }
}
