// `bun run bench [-- --quick] [-- --only queue,precision]`: every section,
// printed as a table, then a summary against the targets; the whole result is
// written to bench/results/latest.json and a timestamped copy.
// Sections: recurrence, queue, sync, chat, precision, footprint; and soak (the
// 10-minute memory run of issue 16), only when named: `--only soak`.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchCount } from "./count-bench.ts";
import { benchRecurrence } from "./recurrence-bench.ts";
import { benchSync } from "./sync-bench.ts";
import { benchChat, TASKS_MINE_GOAL_MS } from "./chat-bench.ts";
import { benchQueue, RUNNER_10K_GOAL_MB } from "./queue-bench.ts";
import { SOAK_GOAL_MB, type PrecisionResult } from "./precision-bench.ts";
import { FOOTPRINT_GOALS, type FootprintResult } from "./footprint-bench.ts";
import { benchChild } from "./bench-child.ts";
import { type BenchFigure, type BenchSection, figure } from "./bench-figure.ts";
import { type TargetCheck, sectionTable, summaryTable } from "./bench-report.ts";
import { ROOT } from "../test/support/seshet-process.ts";

const SECTIONS = ["recurrence", "queue", "sync", "chat", "precision", "footprint", "soak"] as const;
type SectionId = (typeof SECTIONS)[number];

const TITLES: Record<SectionId, string> = {
  recurrence: "1. Next occurrence: engine next() vs rrule.js after(), same process (µs per call)",
  queue: "2. Queue at scale: 100,000 tasks",
  sync: "3. Sync of task files into the store",
  chat: "3b. Chat scheduling: !tasks mine over 11,000 runtime tasks (SQLite)",
  precision: "4. Firing precision: compiled bot on ngircd, seen by a separate client",
  footprint: "5. Footprint of the compiled binary",
  soak: "6. Soak: one bot firing every second for 10 minutes",
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const quick = values.quick ?? false;
const wanted = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : SECTIONS.filter((s) => s !== "soak");
for (const w of wanted) {
  if (!(SECTIONS as readonly string[]).includes(w)) {
    console.error(`unknown section '${w}'; choose from ${SECTIONS.join(", ")}`);
    process.exit(2);
  }
}
const selected = SECTIONS.filter((s) => wanted.includes(s));

async function recurrenceFigures(): Promise<BenchFigure[]> {
  const rows = await benchRecurrence();
  const figures = rows.map((r) =>
    r.capped
      ? figure(r.name, r.engineUs, "µs", null, "rrule.js after() gave up at its cap (> 2 s per call)")
      : figure(r.name, r.engineUs, "µs", r.baselineUs === null ? null : { name: "rrule.js after()", value: r.baselineUs }),
  );
  const ratios = rows.filter((r) => r.ratio !== null).map((r) => r.ratio!);
  if (ratios.length > 0) {
    const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
    figures.push(figure(`speed-up, geometric mean of ${ratios.length} rules (min ×${Math.min(...ratios).toFixed(1)})`, geo, "×", null, `${rows.length - ratios.length} more rule(s) where rrule.js hit its cap`));
  }
  return [...figures, ...benchCount()];
}

const sections: BenchSection[] = [];
let precision: PrecisionResult | null = null;
const startedAt = new Date();
console.log(`seshet bench${quick ? " --quick" : ""}: ${selected.join(", ")} — ${cpus()[0]?.model ?? "cpu"} ×${cpus().length}, ${platform()} ${release()}, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

for (const id of selected) {
  const section: BenchSection = { id, title: TITLES[id], figures: [] };
  const t0 = performance.now();
  try {
    if (id === "recurrence") section.figures = await recurrenceFigures();
    else if (id === "queue") section.figures = await benchQueue({ quick });
    else if (id === "sync") section.figures = (await benchSync()).map((r) => figure(r.name, r.ms, "ms", null));
    else if (id === "chat") section.figures = await benchChat();
    else if (id === "precision") {
      precision = await benchChild<PrecisionResult>("./precision-bench.ts", quick ? ["--quick"] : []);
      section.figures = precision.figures;
      section.detail = precision.detail as unknown as Record<string, unknown>;
    } else if (id === "soak") {
      const r = await benchChild<PrecisionResult>("./precision-bench.ts", ["--seconds", quick ? "60" : "600"]);
      section.figures = r.figures;
      section.detail = r.detail as unknown as Record<string, unknown>;
    } else {
      const r = await benchChild<FootprintResult>("./footprint-bench.ts", [
        ...(quick ? ["--quick"] : []),
        "--memory-after-run",
        JSON.stringify(precision?.memoryAfterRun ?? null),
      ]);
      section.figures = r.figures;
      section.detail = r.detail;
    }
  } catch (error) {
    section.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  section.detail = { ...section.detail, seconds: (performance.now() - t0) / 1000 };
  sections.push(section);
  console.log(sectionTable(section));
}

// ---- summary ----------------------------------------------------------------

const find = (id: SectionId, prefix: string) => sections.find((s) => s.id === id)?.figures.find((f) => f.name.startsWith(prefix));
const checks: TargetCheck[] = [];
{
  const p99 = find("precision", "lag p99");
  const drift = find("precision", "drift");
  const arrived = find("precision", "runs arrived");
  const d = precision?.detail;
  const driftOverRun = d ? (d.driftMsPerMin / 60) * (d.seconds - 1) : NaN;
  checks.push({
    target: "firing lag p99 ≤ 5 ms",
    measured: p99 ? `${p99.value} ms (p50 ${find("precision", "lag p50")!.value} ms, max ${find("precision", "lag max")!.value} ms)` : "not run",
    met: p99 ? p99.value <= 5 : null,
    how: d ? `${d.seconds} runs, one per second, observer arrival − due` : "section precision",
  });
  checks.push({
    target: "no drift (|drift over the run| ≤ 1 ms, none lost or doubled)",
    measured: drift && d ? `${drift.value.toFixed(2)} ms/min, ${driftOverRun.toFixed(2)} ms over ${d.seconds} s; ${arrived!.value}/${d.expected} arrived` : "not run",
    met: drift && d ? Math.abs(driftOverRun) <= 1 && d.received === d.expected : null,
    how: "Theil–Sen slope of lag over due time",
  });
  // A goal below the floor (the runtime and the chosen dependencies with no Seshet code) is out of reach.
  const floorNote = (name: string) => {
    const f = find("footprint", `  ${name}`);
    return f ? `; floor ${f.value.toFixed(1)} MB (bench/floor/)` : "";
  };
  const rss = find("footprint", "one bot (run --bot)");
  const rssAfter = find("footprint", "RSS of the bot after the precision run");
  const worst = Math.max(rss?.value ?? -Infinity, rssAfter?.value ?? -Infinity);
  checks.push({
    target: `one bot ≤ ${FOOTPRINT_GOALS.botRssMB} MB resident`,
    measured: rss ? `${rss.value.toFixed(1)} MB after JOIN${rssAfter ? `, ${rssAfter.value.toFixed(1)} MB after the precision run` : ""}${floorNote("floor under a bot")}` : "not run",
    met: rss ? worst <= FOOTPRINT_GOALS.botRssMB : null,
    how: "VmRSS of the `run --bot` process",
  });
  const sup = find("footprint", "supervisor of seshet run");
  checks.push({
    target: `supervisor of seshet run ≤ ${FOOTPRINT_GOALS.supervisorRssMB} MB resident`,
    measured: sup ? `${sup.value.toFixed(1)} MB${floorNote("floor under a supervisor")}` : "not run",
    met: sup ? sup.value <= FOOTPRINT_GOALS.supervisorRssMB : null,
    how: "VmRSS of the supervisor, 1 bot joined",
  });
  const ten = find("footprint", "seshet run, 10 bots");
  checks.push({
    target: `seshet run with 10 bots ≤ ${FOOTPRINT_GOALS.tenBotsPssMB} MB`,
    measured: ten ? `${ten.value.toFixed(1)} MB Pss` : "not run",
    met: ten ? ten.value <= FOOTPRINT_GOALS.tenBotsPssMB : null,
    how: "sum of Pss (smaps_rollup) over the process tree, all joined",
  });
  const soak = find("soak", "bot memory growth");
  checks.push({
    target: `a bot firing every second for 10 min grows ≤ ${SOAK_GOAL_MB} MB`,
    measured: soak ? `${soak.value >= 0 ? "+" : ""}${soak.value.toFixed(1)} MB (${soak.note?.split(";")[0]})` : "not run (--only soak)",
    met: soak ? soak.value <= SOAK_GOAL_MB : null,
    how: "VmRSS of the bot before the first and after the last run",
  });
  const runner10k = find("queue", "RSS delta, TaskRunner with 10k");
  checks.push({
    target: `a 10,000-task store grows a bot by ≤ ${RUNNER_10K_GOAL_MB} MB`,
    measured: runner10k ? `+${runner10k.value.toFixed(1)} MB` : "not run",
    met: runner10k ? runner10k.value <= RUNNER_10K_GOAL_MB : null,
    how: "RSS after TaskRunner.rebuild() minus before, fresh process",
  });
  const together = find("footprint", "seshet run --one-process, 10 bots");
  checks.push({
    target: `seshet run --one-process with 10 bots ≤ ${FOOTPRINT_GOALS.tenBotsPssMB} MB`,
    measured: together ? `${together.value.toFixed(1)} MB Pss` : "not run",
    met: together ? together.value <= FOOTPRINT_GOALS.tenBotsPssMB : null,
    how: "Pss of the one process, all 10 bots joined (opt-in: one crash domain)",
  });
  const welcome = find("footprint", "start → welcome (001)");
  checks.push({
    target: "start to welcome ≤ 150 ms",
    measured: welcome ? `${welcome.value} ms median (bare bun -e client ${welcome.baseline?.value} ms)` : "not run",
    met: welcome ? welcome.value <= 150 : null,
    how: "spawn → the bot's \"registered\" log line (001 received)",
  });
  const tick = find("queue", "tick, 1 due + requeue, 100k queued (last");
  const tickMean = find("queue", "tick, 1 due + requeue, 100k queued (mean");
  const runnerIdle = find("queue", "TaskRunner tick, nothing due, 100k");
  checks.push({
    target: "a tick with 100,000 queued tasks ≤ 50 µs",
    measured: tick ? `${tick.value.toFixed(2)} µs steady state (mean ${tickMean!.value.toFixed(2)} µs)${runnerIdle ? `; TaskRunner idle tick ${runnerIdle.value.toFixed(2)} µs` : ""}` : "not run",
    met: tick ? Math.max(tick.value, tickMean!.value) <= 50 : null,
    how: "pop due + requeue + peek, last tenth of the ticks",
  });
}
{
  const mine = find("chat", "!tasks mine, 11,000 runtime tasks, a user with 10 (median)");
  const p99 = find("chat", "!tasks mine, same, a user with 10 (p99)");
  checks.push({
    target: `!tasks mine with 10,000+ runtime tasks < ${TASKS_MINE_GOAL_MS} ms`,
    measured: mine ? `${mine.value} ms median, ${p99!.value} ms p99` : "not run",
    met: mine ? mine.value < TASKS_MINE_GOAL_MS : null,
    how: "the command handler to its reply lines, over a real SQLite file",
  });
}
console.log(summaryTable(checks));

const failed = sections.filter((s) => s.error);
const result = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  command: `bun run bench${process.argv.length > 2 ? " -- " + process.argv.slice(2).filter((a) => a !== "--").join(" ") : ""}`,
  quick,
  sections,
  summary: checks,
  host: { cpu: cpus()[0]?.model, cpus: cpus().length, platform: platform(), release: release(), memoryMB: Math.round(totalmem() / 2 ** 20), loadavgAtEnd: loadavg(), runtime: process.versions },
};
const dir = join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
const json = JSON.stringify(result, null, 2);
writeFileSync(join(dir, "latest.json"), json);
const stamped = join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
writeFileSync(stamped, json);
console.log(`\nwritten: bench/results/latest.json and ${stamped.slice(ROOT.length + 1)}`);
if (failed.length > 0) {
  console.error(`${failed.length} section(s) failed: ${failed.map((s) => s.id).join(", ")}`);
  process.exitCode = 1;
}
