// Firing precision end to end: the compiled binary runs one bot on a local
// ngircd with a task due every second; a separate IRC client (the observer)
// records when each message arrives. Lag = arrival - due time. Due times come
// from the rule, so lag must not drift over the run.
//
// The bot's debug line for each run (`lagMs`: due → task function called)
// splits each lag into the bot's part (timer, store claim, send) and the
// wire's (send queue, socket, ngircd, the observer's own event loop).
// With `--seconds 600` it is also the soak run of issue 16: the bot's memory
// when the first run is due and after the last one, which must stay within
// SOAK_GOAL_MB of each other, beside the floor program firing the same way
// (bench/floor-firing.ts) as its baseline.
// Run: bun bench/precision-bench.ts [--quick] [--seconds N]
import { startNgircd, type Ngircd } from "../test/support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../test/support/irc-observer.ts";
import { startSeshet, utcLocal, type SeshetProcess } from "../test/support/seshet-process.ts";
import { freshBinary } from "./fresh-binary.ts";
import { type BenchFigure, figure } from "./bench-figure.ts";
import { BENCH_BOT, BENCH_CHANNEL, benchProject, parseLog } from "./bench-project.ts";
import { mean, percentile, robustSlope, slope } from "./bench-stats.ts";
import { type ProcMemory, procMemory } from "./proc-status.ts";
import { type FiringFloor, startFiringFloor } from "./floor-firing.ts";

export interface PrecisionResult {
  figures: BenchFigure[];
  /** Memory of the bot process at the end of the run (for the footprint section). */
  memoryAfterRun: ProcMemory | null;
  /** Memory of the bot process just before the first run was due. */
  memoryAtStart: ProcMemory | null;
  detail: {
    /** The bot's memory every 10 s from the first due time. */
    memorySamples: { s: number; rssMB: number; anonMB: number }[];
    seconds: number;
    expected: number;
    received: number;
    lagsMs: number[];
    botMs: number[];
    wireMs: number[];
    driftMsPerMin: number;
    joinAfterSpawnMs: number;
  };
}

const TEXT = "tick";

/** Issue 16: a bot firing every second for 10 minutes ends within this of where it started. */
export const SOAK_GOAL_MB = 5;

export async function benchPrecision(opts: { quick?: boolean; seconds?: number } = {}): Promise<PrecisionResult> {
  const seconds = opts.seconds ?? (opts.quick ? 10 : 60);
  const binary = freshBinary((l) => console.error(l));
  let irc: Ngircd | undefined;
  let observer: IrcObserver | undefined;
  let seshet: SeshetProcess | undefined;
  let project: { remove(): void } | undefined;
  let floor: FiringFloor | undefined;
  try {
    irc = await startNgircd();
    observer = await connectObserver({ port: irc.port, nick: "watcher", channels: [BENCH_CHANNEL], timeoutMs: 15_000 });
    const spawnAt = Date.now();
    // Enough lead for the bot to start, register and join before the first run.
    const start = Math.ceil((spawnAt + 3000) / 1000) * 1000;
    const proj = benchProject(irc.port, {
      "tick.toml": `[[task]]\nname = "tick"\nfunc = "core:say"\nargs = ["${BENCH_CHANNEL}", "${TEXT}"]\nstart = ${utcLocal(start)}\ntz = "UTC"\ncatchup = "skip"\nrrule = { freq = "secondly", count = ${seconds} }\n`,
    });
    project = proj;
    seshet = startSeshet(["run", "--bot", BENCH_BOT, "--db", "seshet.db", "--log-level", "debug"], { cwd: proj.dir, command: [binary] });
    const joinLine = await observer.waitForLine((l) => l.startsWith(`:${BENCH_BOT}!`) && l.includes(" JOIN "), 15_000);
    const joinAt = observer.lines.find((l) => l.line === joinLine)!.at;
    if (joinAt >= start) throw new Error(`the bot joined ${joinAt - start} ms after the first run was due; raise the lead`);
    // The soak run also measures the floor firing beside the bot (~0.2 s of its lead).
    if (seconds >= 120) floor = await startFiringFloor(irc.port, observer, proj.dir);

    // Settled after joining, just before the first run.
    await new Promise((r) => setTimeout(r, Math.max(0, start - 300 - Date.now())));
    const memoryAtStart = procMemory(seshet.pid);
    const floorAtStart = floor ? procMemory(floor.pid) : undefined;
    // Every 10 s: a leak climbs steadily, a warm-up (code paths and JIT code on first use) levels off.
    const pid = seshet.pid;
    const samples: { s: number; rssMB: number; anonMB: number }[] = [];
    const sampler = setInterval(() => {
      const m = procMemory(pid);
      samples.push({ s: Math.round((Date.now() - start) / 1000), rssMB: m.rssMB, anonMB: m.anonMB });
    }, 10_000);
    const lastDue = start + (seconds - 1) * 1000;
    const fromBot = (m: { from: string; text: string }) => m.from === BENCH_BOT && m.text === TEXT;
    await observer.waitFor((m) => fromBot(m) && m.at >= lastDue, lastDue - Date.now() + 15_000);
    // A run too many (a double fire) would arrive within this.
    await new Promise((r) => setTimeout(r, 1500));
    const memoryAfterRun = procMemory(seshet.pid);
    const floorAfterRun = floor ? procMemory(floor.pid) : undefined;
    clearInterval(sampler);
    const warm = samples.find((x) => x.s >= 60);

    const arrivals = observer.messages.filter(fromBot).map((m) => m.at);
    if (arrivals.length !== seconds) throw new Error(`expected ${seconds} messages, got ${arrivals.length}:\n${seshet.output()}`);
    const dues = arrivals.map((_, i) => start + i * 1000);
    const lags = arrivals.map((at, i) => at - dues[i]!);
    if (lags.some((l) => l < 0)) throw new Error(`a message arrived before its due time, pairing is unsure: ${lags.join(", ")}\ndue times: ${dues.map((d) => new Date(d).toISOString()).join(" ")}\nbot log:\n${seshet.output()}`);

    // Split each lag at the bot's own debug line for the run ("fired"/"firing
    // 'tick' due=… lagMs=…": due → the task function was called, bot clock).
    const botLag = new Map<number, number>();
    for (const l of parseLog(seshet.output())) {
      const m = /fir(?:ed|ing) 'tick' due=(\S+) lagMs=(-?\d+)/.exec(l.text);
      if (m) botLag.set(Date.parse(m[1]!), Number(m[2]));
    }
    const botMs: number[] = [];
    const wireMs: number[] = [];
    dues.forEach((due, i) => {
      const b = botLag.get(due);
      if (b === undefined) return;
      botMs.push(b);
      wireMs.push(arrivals[i]! - (due + b));
    });

    const xs = dues.map((d) => (d - start) / 1000);
    const driftMsPerS = robustSlope(xs, lags);
    const driftMsPerMin = driftMsPerS * 60;
    const olsMsPerMin = slope(xs, lags) * 60;
    const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q) : NaN);
    const figures = [
      figure(`lag p50 (${seconds} runs)`, p(lags, 50), "ms", null),
      figure("lag p99", p(lags, 99), "ms", null, seconds < 100 ? `nearest rank of ${seconds}: the max` : undefined),
      figure("lag max", Math.max(...lags), "ms", null),
      figure("lag mean", mean(lags), "ms", null),
      figure("drift (Theil–Sen slope of lag over time)", driftMsPerMin, "ms/min", null, `over the run ${(driftMsPerS * (seconds - 1)).toFixed(2)} ms; least squares ${olsMsPerMin.toFixed(2)} ms/min`),
      figure("runs arrived / expected", arrivals.length, "runs", null, `of ${seconds}; none doubled`),
      figure(
        `bot memory growth over the run (VmRSS end − start)`,
        memoryAfterRun.rssMB - memoryAtStart.rssMB,
        "MB",
        null,
        `${memoryAtStart.rssMB.toFixed(1)} → ${memoryAfterRun.rssMB.toFixed(1)} MB; RssAnon ${memoryAtStart.anonMB.toFixed(1)} → ${memoryAfterRun.anonMB.toFixed(1)} MB; goal ≤ ${SOAK_GOAL_MB} MB over 600 s`,
      ),
      ...(warm
        ? [figure("  of which after the first 60 s", memoryAfterRun.rssMB - warm.rssMB, "MB", null, `${warm.rssMB.toFixed(1)} MB at ${warm.s} s; samples every 10 s in the JSON`)]
        : []),
      ...(floorAtStart && floorAfterRun
        ? [figure("  floor firing every second beside it: growth", floorAfterRun.rssMB - floorAtStart.rssMB, "MB", null, `bench/floor/bot-floor.ts --fire, no Seshet code: ${floorAtStart.rssMB.toFixed(1)} → ${floorAfterRun.rssMB.toFixed(1)} MB; RssAnon ${floorAtStart.anonMB.toFixed(1)} → ${floorAfterRun.anonMB.toFixed(1)} MB`)]
        : []),
      figure("  in the bot: due → task function called (p50)", p(botMs, 50), "ms", null, botMs.length ? `max ${Math.max(...botMs)} ms; timer, claim, send` : "no debug lines found"),
      figure("  on the wire: → observer (p50)", p(wireMs, 50), "ms", null, wireMs.length ? `max ${Math.max(...wireMs)} ms; send queue, socket, ngircd, observer` : "no debug lines found"),
    ];
    return {
      figures,
      memoryAfterRun,
      memoryAtStart,
      detail: { memorySamples: samples, seconds, expected: seconds, received: arrivals.length, lagsMs: lags, botMs, wireMs, driftMsPerMin, joinAfterSpawnMs: joinAt - spawnAt },
    };
  } finally {
    await floor?.stop().catch(() => {});
    await seshet?.stop().catch(() => {});
    await observer?.quit().catch(() => {});
    await irc?.stop().catch(() => {});
    project?.remove();
  }
}

if (import.meta.main) {
  const i = process.argv.indexOf("--seconds");
  const r = await benchPrecision({ quick: process.argv.includes("--quick"), ...(i >= 0 ? { seconds: Number(process.argv[i + 1]) } : {}) });
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(r));
    process.exit(0);
  }
  for (const f of r.figures) console.log(`${f.name.padEnd(50)} ${f.value.toFixed(2).padStart(8)} ${f.unit}${f.note ? `  (${f.note})` : ""}`);
  console.log("lags (ms):", r.detail.lagsMs.join(" "));
  console.log("in bot (ms):", r.detail.botMs.join(" "));
  console.log("wire (ms):", r.detail.wireMs.join(" "));
}
