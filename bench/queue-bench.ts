// The task queue at scale: 100,000 queued tasks. Insertion, popping what is
// due, the cost of one tick when few are due (1k vs 100k queued: it must not
// grow with the queue), the same tick through the bot's TaskRunner with a real
// SQLite store, and resident memory. Baselines in the same run: a sorted array
// re-sorted per insertion, and an array sorted once per tick.
// Run: bun bench/queue-bench.ts   (memory probes run in fresh child processes)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { TaskQueue } from "../src/scheduler/task-queue.ts";
import { TaskRunner } from "../src/bot/task-runner.ts";
import { openStore } from "../src/store/open-store.ts";
import { createLogger } from "../src/log/logger.ts";
import type { BoundTask } from "../src/config/config-types.ts";
import type { TaskStore } from "../src/store/store-types.ts";
import { type BenchFigure, figure } from "./bench-figure.ts";
import { fastest, seededRandom } from "./bench-stats.ts";

export const QUEUE_SIZE = 100_000;
const SMALL_SIZE = 1_000;
const T0 = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

interface Item {
  key: string;
  due: number;
  order: number;
  value: { name: string };
}

function compare(a: Item, b: Item): number {
  return a.due - b.due || a.order - b.order;
}

/** `n` items due within 30 days after T0 + 1 day, in a fixed pseudo-random order. */
function makeItems(n: number, seed = 42): Item[] {
  const rnd = seededRandom(seed);
  const items: Item[] = [];
  // A week away at the earliest: beyond the horizon of the tick runs below
  // (100k one-second ticks are 1.2 days), so "few due" stays true throughout.
  for (let i = 0; i < n; i++) items.push({ key: `stored:t${i}`, due: T0 + 7 * DAY + Math.floor(rnd() * 30 * DAY), order: i, value: { name: `t${i}` } });
  return items;
}

function fillQueue(items: readonly Item[]): TaskQueue<Item["value"]> {
  const q = new TaskQueue<Item["value"]>();
  for (const it of items) q.push(it.key, it.due, it.order, it.value);
  return q;
}

/** The naive design: keep an array sorted by sorting it again after every insertion. */
function resortPerInsertUs(items: readonly Item[], size: number, inserts: number): number {
  const arr = items.slice(0, size).sort(compare);
  const extra = items.slice(size, size + inserts);
  const t0 = performance.now();
  for (const it of extra) {
    arr.push(it);
    arr.sort(compare);
  }
  return ((performance.now() - t0) * 1000) / extra.length;
}

function insertFigures(items: Item[]): BenchFigure[] {
  const heapMs = fastest(3, () => void fillQueue(items));
  // The baseline costs O(n log n) per insertion: sample it at a few sizes and
  // integrate (trapezoids) over 0..100k instead of waiting minutes for it.
  const sizes = [10_000, 25_000, 50_000, 75_000, QUEUE_SIZE - 50];
  const perOp = sizes.map((s) => resortPerInsertUs(items, s, s >= 50_000 ? 10 : 30));
  let estUs = 0;
  let prevS = 0;
  let prevC = 0;
  sizes.forEach((s, i) => {
    estUs += ((perOp[i]! + prevC) / 2) * (s - prevS);
    prevS = s;
    prevC = perOp[i]!;
  });
  const heapAt100k = (() => {
    const q = fillQueue(items.slice(0, QUEUE_SIZE - 1000));
    const rest = items.slice(QUEUE_SIZE - 1000);
    const t0 = performance.now();
    for (const it of rest) q.push(it.key, it.due, it.order, it.value);
    return ((performance.now() - t0) * 1000) / rest.length;
  })();
  return [
    figure(`insert ${QUEUE_SIZE.toLocaleString("en")} tasks (total)`, heapMs, "ms", { name: "sorted array, re-sorted per insert (est.)", value: estUs / 1000 }, `baseline sampled at ${sizes.map((s) => `${s / 1000}k`).join("/")} and integrated`),
    figure("one insert at 100k queued", heapAt100k, "µs", { name: "sorted array, re-sorted per insert", value: perOp[perOp.length - 1]! }),
  ];
}

function popFigures(items: Item[]): BenchFigure[] {
  const k = 1000;
  const sortedDues = items.map((i) => i.due).sort((a, b) => a - b);
  const now = sortedDues[k - 1]!; // exactly k are due
  let heapPopMs = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const q = fillQueue(items);
    const t0 = performance.now();
    let popped = 0;
    while (q.popDue(now)) popped++;
    heapPopMs = Math.min(heapPopMs, performance.now() - t0);
    if (popped !== k) throw new Error(`popped ${popped}, expected ${k}`);
  }
  // Baseline: the kept-sorted array pops from the front.
  const arrMs = (() => {
    const arr = items.slice().sort(compare);
    const t0 = performance.now();
    let n = 0;
    while (arr.length > 0 && arr[0]!.due <= now) {
      arr.shift();
      n++;
    }
    if (n !== k) throw new Error(`baseline popped ${n}`);
    return performance.now() - t0;
  })();
  // Draining the whole queue: 100k pops.
  const q = fillQueue(items);
  const t0 = performance.now();
  let all = 0;
  while (q.popDue(Infinity)) all++;
  const drainMs = performance.now() - t0;
  if (all !== QUEUE_SIZE) throw new Error(`drained ${all}`);
  return [
    figure(`pop ${k} due of ${QUEUE_SIZE / 1000}k (per pop)`, (heapPopMs * 1000) / k, "µs", { name: "sorted array, shift()", value: (arrMs * 1000) / k }),
    figure(`pop all ${QUEUE_SIZE.toLocaleString("en")} (total)`, drainMs, "ms", null),
  ];
}

/**
 * One tick's queue work as the bot does it (TaskRunner.fireDue then
 * DueTimer.arm): pop what is due, requeue it at its next occurrence, peek for
 * the timer. A "ticker" task is due every tick; the `n` others are days away.
 * Timed in ten batches, so a cost that grows with the ticks already run shows.
 */
function heapTickUs(n: number, ticks: number, withDue: boolean): { mean: number; first: number; last: number } {
  const q = fillQueue(makeItems(n));
  q.push("stored:ticker", T0 + 1000, n, { name: "ticker" });
  let now = withDue ? T0 : T0 - 10 * DAY;
  let sink = 0;
  const batch = Math.floor(ticks / 10);
  const batches: number[] = [];
  for (let b = 0; b < 10; b++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      if (withDue) now += 1000;
      for (;;) {
        const e = q.popDue(now);
        if (!e) break;
        q.push(e.key, e.due + 1000, e.order, e.value);
      }
      sink += q.peek()!.due;
    }
    batches.push(((performance.now() - t0) * 1000) / batch);
  }
  if (sink === 0) throw new Error("unreachable");
  return { mean: batches.reduce((x, y) => x + y, 0) / batches.length, first: batches[0]!, last: batches[batches.length - 1]! };
}

/** Baseline: an unsorted array sorted at every tick, due entries taken from the front. */
function sortPerTickUs(n: number, ticks: number): number {
  const arr: Item[] = makeItems(n);
  arr.push({ key: "stored:ticker", due: T0 + 1000, order: n, value: { name: "ticker" } });
  let now = T0;
  const t0 = performance.now();
  for (let i = 0; i < ticks; i++) {
    now += 1000;
    arr.sort(compare);
    while (arr[0]!.due <= now) {
      const e = arr.shift()!;
      arr.push({ ...e, due: e.due + 1000 });
    }
  }
  return ((performance.now() - t0) * 1000) / ticks;
}

function tickFigures(quick: boolean): BenchFigure[] {
  const ticks = quick ? 50_000 : 100_000;
  const smallIdle = heapTickUs(SMALL_SIZE, ticks, false);
  const largeIdle = heapTickUs(QUEUE_SIZE, ticks, false);
  const smallDue = heapTickUs(SMALL_SIZE, ticks, true);
  const largeDue = heapTickUs(QUEUE_SIZE, ticks, true);
  const smallBase = sortPerTickUs(SMALL_SIZE, 2000);
  const largeBase = sortPerTickUs(QUEUE_SIZE, quick ? 20 : 60);
  const trend = (r: { first: number; last: number }) => `first ${ticks / 10} ticks ${r.first.toFixed(2)} µs, last ${r.last.toFixed(2)} µs`;
  return [
    figure("tick, nothing due, 1k queued", smallIdle.mean, "µs", null),
    figure("tick, nothing due, 100k queued", largeIdle.mean, "µs", null, `growth 1k→100k ×${(largeIdle.mean / smallIdle.mean).toFixed(2)}`),
    figure("tick, 1 due + requeue, 1k queued", smallDue.mean, "µs", { name: "array sorted per tick", value: smallBase }, trend(smallDue)),
    figure(`tick, 1 due + requeue, 100k queued (mean of ${ticks / 1000}k ticks)`, largeDue.mean, "µs", { name: "array sorted per tick", value: largeBase }, `growth 1k→100k ×${(largeDue.mean / smallDue.mean).toFixed(2)}; ${trend(largeDue)}`),
    figure(`tick, 1 due + requeue, 100k queued (last ${ticks / 10000}k ticks)`, largeDue.last, "µs", { name: "array sorted per tick", value: largeBase }),
  ];
}

/**
 * Why TaskQueue marks popped slots instead of deleting their keys: deleting a
 * key and setting it again, as a task that fires every tick would, leaves each
 * deleted entry in the key's hash chain (JSC and V8) until the table is
 * rehashed, so its lookups grow with the ticks run.
 */
function mapChurnFigure(quick: boolean): BenchFigure {
  const churn = quick ? 20_000 : 50_000;
  const churnUs = (deleteFirst: boolean) => {
    const m = new Map<string, object>();
    for (let i = 0; i < QUEUE_SIZE; i++) m.set(`stored:t${i}`, {});
    const step = () => {
      if (deleteFirst) m.delete("stored:ticker");
      m.set("stored:ticker", {});
      return m.get("stored:ticker") !== undefined;
    };
    for (let i = 0; i < churn; i++) step();
    const reps = 2000;
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) if (step()) hits++;
    if (hits !== reps) throw new Error("lookup failed");
    return ((performance.now() - t0) * 1000) / reps;
  };
  return figure(
    `Map delete+set+get of one key, after ${churn / 1000}k such (100k keys)`,
    churnUs(true),
    "µs",
    { name: "set+get, the key overwritten", value: churnUs(false) },
    "what TaskQueue avoids by marking popped slots",
  );
}

// ---- through the bot's TaskRunner, with a real SQLite store ----------------

function boundTasks(n: number): BoundTask[] {
  const tasks: BoundTask[] = [];
  for (let i = 0; i < n; i++) {
    tasks.push({
      bot: "bench", name: `t${i}`, func: "bench:noop", args: [], kwargs: {},
      // Far in the future, so only the ticker is due during the run.
      start: `2031-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:00:00`,
      tz: "Europe/Berlin", catchup: "skip", rrule: { freq: "daily", interval: 1 }, origin: "bench.toml", order: i + 1,
    });
  }
  return tasks;
}

async function seededStore(dir: string, n: number, now: number): Promise<TaskStore> {
  const store = await openStore(path.join(dir, "queue-bench.db"));
  const ticker: BoundTask = {
    bot: "bench", name: "ticker", func: "bench:noop", args: [], kwargs: {},
    start: new Date(now - 3_600_000).toISOString().slice(0, 19), tz: "UTC", catchup: "skip",
    rrule: { freq: "secondly", interval: 1 }, origin: "bench.toml", order: 0,
  };
  await store.sync([ticker, ...boundTasks(n)], [], now);
  return store;
}

async function runnerFigures(quick: boolean): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "seshet-queue-bench-"));
  try {
    for (const n of [SMALL_SIZE, QUEUE_SIZE]) {
      const start = Math.ceil(Date.now() / 1000) * 1000;
      const sub = path.join(dir, String(n));
      mkdirSync(sub);
      const store = await seededStore(sub, n, start);
      try {
        let clock = start;
        let fired = 0;
        const runner = new TaskRunner({
          bot: "bench", store, log: createLogger({ level: "error" }), now: () => clock,
          resolve: () => () => void fired++,
        });
        const t0 = performance.now();
        await runner.rebuild();
        const rebuildMs = performance.now() - t0;
        if (runner.queue.size !== n + 1) throw new Error(`queued ${runner.queue.size}, expected ${n + 1}`);
        // Nothing due: half a second before the ticker's next occurrence.
        clock = runner.nextDue()! - 500;
        const idleTicks = quick ? 5_000 : 20_000;
        const t1 = performance.now();
        for (let i = 0; i < idleTicks; i++) {
          await runner.fireDue();
          void runner.nextDue();
        }
        const idleUs = ((performance.now() - t1) * 1000) / idleTicks;
        // The ticker due at every tick: claimed in SQLite, fired, finished, requeued.
        const dueTicks = quick ? 300 : 1000;
        const t2 = performance.now();
        for (let i = 0; i < dueTicks; i++) {
          clock += 1000;
          await runner.fireDue();
          void runner.nextDue();
        }
        const dueUs = ((performance.now() - t2) * 1000) / dueTicks;
        await runner.drain();
        if (fired !== dueTicks) throw new Error(`fired ${fired}, expected ${dueTicks}`);
        const label = n === QUEUE_SIZE ? "100k" : "1k";
        out.push(figure(`TaskRunner rebuild from store, ${label} tasks`, rebuildMs, "ms", null));
        out.push(figure(`TaskRunner tick, nothing due, ${label} queued`, idleUs, "µs", null));
        out.push(figure(`TaskRunner tick, 1 due (SQLite claim), ${label} queued`, dueUs, "µs", null, "claim + requeue; finish() runs after"));
      } finally {
        await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// ---- memory, each in a fresh process ----------------------------------------

type Probe = "heap" | "array" | "runner";
/** Issue 16: a 10,000-task store grows a bot by no more than this. */
export const RUNNER_10K_GOAL_MB = 10;

function gc(): void {
  (globalThis as { Bun?: { gc(full: boolean): void } }).Bun?.gc(true);
}

/**
 * `runner` opens a store seeded beforehand by another process (`seedDir`):
 * seeding here would leave its garbage in this process, and its release
 * during the measurement would hide what the runner keeps.
 */
async function probe(kind: Probe, n = QUEUE_SIZE, seedDir?: string): Promise<{ rssMB: number; heapMB: number }> {
  const dir = kind === "runner" ? seedDir! : null;
  const store = dir ? await openStore(path.join(dir, "queue-bench.db")) : null;
  const runner = store ? new TaskRunner({ bot: "bench", store, log: createLogger({ level: "error" }), resolve: () => () => {} }) : null;
  const items = kind === "runner" ? [] : makeItems(n);
  gc();
  const before = process.memoryUsage();
  let keep: unknown;
  if (kind === "heap") keep = fillQueue(items);
  else if (kind === "array") keep = items.slice().sort(compare);
  else {
    await runner!.rebuild();
    keep = runner;
  }
  gc();
  const after = process.memoryUsage();
  void keep;
  await store?.close();
  return { rssMB: (after.rss - before.rss) / 2 ** 20, heapMB: (after.heapUsed - before.heapUsed) / 2 ** 20 };
}

function probeInChild(kind: Probe, n = QUEUE_SIZE): { rssMB: number; heapMB: number } {
  const self = fileURLToPath(import.meta.url);
  const dir = kind === "runner" ? mkdtempSync(path.join(tmpdir(), "seshet-queue-mem-")) : "";
  try {
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [self, ...args], { encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0) throw new Error(`memory probe '${kind}' failed: ${r.stderr}`);
      return r.stdout;
    };
    if (dir) run(["--seed", String(n), dir]);
    return JSON.parse(run(["--probe", kind, String(n), dir]).trim().split("\n").pop()!);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function memoryFigures(): BenchFigure[] {
  const heap = probeInChild("heap");
  const array = probeInChild("array");
  const runner = probeInChild("runner");
  const runner10k = probeInChild("runner", 10_000);
  return [
    figure(`RSS delta, ${QUEUE_SIZE / 1000}k entries in TaskQueue`, heap.rssMB, "MB", { name: "same entries in a sorted array", value: array.rssMB }, `JS heap +${heap.heapMB.toFixed(1)} MB (array +${array.heapMB.toFixed(1)} MB)`),
    figure(`RSS delta, TaskRunner with ${QUEUE_SIZE / 1000}k stored tasks`, runner.rssMB, "MB", null, `JS heap +${runner.heapMB.toFixed(1)} MB; task heads (rows read, rules compiled when due)`),
    figure("RSS delta, TaskRunner with 10k stored tasks", runner10k.rssMB, "MB", null, `goal ≤ ${RUNNER_10K_GOAL_MB} MB; JS heap +${runner10k.heapMB.toFixed(1)} MB; store seeded by another process`),
  ];
}

export async function benchQueue(opts: { quick?: boolean } = {}): Promise<BenchFigure[]> {
  const quick = opts.quick ?? false;
  const items = makeItems(QUEUE_SIZE);
  return [
    ...insertFigures(items),
    ...popFigures(items),
    ...tickFigures(quick),
    mapChurnFigure(quick),
    ...(await runnerFigures(quick)),
    ...memoryFigures(),
  ];
}

if (import.meta.main) {
  const i = process.argv.indexOf("--probe");
  if (i >= 0) {
    console.log(JSON.stringify(await probe(process.argv[i + 1] as Probe, Number(process.argv[i + 2] ?? QUEUE_SIZE), process.argv[i + 3])));
  } else if (process.argv.includes("--seed")) {
    const j = process.argv.indexOf("--seed");
    await (await seededStore(process.argv[j + 2]!, Number(process.argv[j + 1]), Date.now())).close();
  } else {
    for (const f of await benchQueue({ quick: process.argv.includes("--quick") })) console.log(JSON.stringify(f));
  }
}
