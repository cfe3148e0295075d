// Footprint of the compiled binary: time from spawn to the server's welcome
// (001, the bot's "registered" log line) and to its JOIN as seen by a
// separate client; memory (VmRSS, RssAnon, RssFile, Pss) of one bot after
// joining, of the supervisor of `seshet run`, and of the whole `seshet run`
// tree with 1 and 10 bots; binary size. Goals (issue 16) beside each figure.
// Baselines in the same run: a bare Bun process (`bun -e`) that only registers
// and joins with node:net, and the floor programs (bench/floor/), compiled
// like the binary: the chosen dependencies doing a bot's or a supervisor's
// least, with no Seshet code. A goal below a floor is out of reach.
// Run: bun bench/footprint-bench.ts [--quick]
import { spawn, type ChildProcess } from "node:child_process";
import { realpathSync, statSync } from "node:fs";
import { startNgircd, type Ngircd } from "../test/support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../test/support/irc-observer.ts";
import { ROOT, startSeshet, type SeshetProcess } from "../test/support/seshet-process.ts";
import { type BenchFigure, figure } from "./bench-figure.ts";
import { BENCH_BOT, BENCH_CHANNEL, benchProject, parseLog } from "./bench-project.ts";
import { percentile } from "./bench-stats.ts";
import { freshBinary } from "./fresh-binary.ts";
import { type ProcMemory, procMemory } from "./proc-status.ts";
import { type FleetSample, fleetFootprint } from "./footprint-tree.ts";
import { floorBinaries } from "./floor-binaries.ts";

/** The goals of issue 16, printed beside the figures (MB). */
export const FOOTPRINT_GOALS = { botRssMB: 40, supervisorRssMB: 30, tenBotsPssMB: 150, welcomeMs: 150 } as const;

const SETTLE_MS = 1000;

interface StartSample {
  firstLogMs: number;
  welcomeMs: number;
  joinSeenMs: number;
  memory: ProcMemory;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isJoinOf = (nick: string) => (l: string) => l.startsWith(`:${nick}!`) && l.includes(" JOIN ");

/** Index of the first observer line at or after `from` that matches. */
async function joinSeenAt(observer: IrcObserver, nick: string, from: number): Promise<number> {
  const match = (l: { line: string; at: number }) => l.at >= from && isJoinOf(nick)(l.line);
  await observer.waitForLine((line) => observer.lines.some((l) => l.line === line && match(l)), 15_000);
  return observer.lines.find(match)!.at;
}

async function botStart(binary: string, irc: Ngircd, observer: IrcObserver, dir: string): Promise<StartSample> {
  let seshet: SeshetProcess | undefined;
  try {
    const t0 = Date.now();
    seshet = startSeshet(["run", "--bot", BENCH_BOT, "--db", "seshet.db", "--log-level", "debug"], { cwd: dir, command: [binary] });
    const joinAt = await joinSeenAt(observer, BENCH_BOT, t0);
    await sleep(SETTLE_MS);
    const memory = procMemory(seshet.pid);
    const log = parseLog(seshet.output());
    const registered = log.find((l) => /\] registered\b/.test(l.text));
    if (!registered || log.length === 0) throw new Error(`no "registered" line in the bot's log:\n${seshet.output()}`);
    return { firstLogMs: log[0]!.at - t0, welcomeMs: registered.at - t0, joinSeenMs: joinAt - t0, memory };
  } finally {
    await seshet?.stop();
    // The server must have seen the QUIT before the same nick registers again.
    await observer.waitForLine((l) => l.startsWith(`:${BENCH_BOT}!`) && / (QUIT|PART) /.test(l), 5000).catch(() => {});
    observer.lines.splice(0);
  }
}

/** The same job with nothing else: registers and joins over node:net, prints when 001 arrives. */
function bareClientScript(port: number, nick: string): string {
  return `
const { connect } = await import("node:net");
const s = connect({ host: "127.0.0.1", port: ${port} });
let buf = "";
s.setEncoding("utf8");
s.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const line = buf.slice(0, i).replace(/\\r$/, "");
    buf = buf.slice(i + 1);
    if (/^\\S+ 001 /.test(line)) { process.stdout.write("WELCOME " + Date.now() + "\\n"); s.write("JOIN ${BENCH_CHANNEL}\\r\\n"); }
    else if (line.startsWith("PING")) s.write("PONG " + line.slice(5) + "\\r\\n");
  }
});
s.on("connect", () => s.write("NICK ${nick}\\r\\nUSER ${nick} 0 * :bare\\r\\n"));
`;
}

async function bareStart(irc: Ngircd, observer: IrcObserver): Promise<StartSample> {
  let child: ChildProcess | undefined;
  const nick = "bareclient";
  try {
    const t0 = Date.now();
    child = spawn(process.execPath, ["-e", bareClientScript(irc.port, nick)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const joinAt = await joinSeenAt(observer, nick, t0);
    await sleep(SETTLE_MS);
    const memory = procMemory(child.pid!);
    const m = /WELCOME (\d+)/.exec(out);
    if (!m) throw new Error(`bare client printed no WELCOME:\n${out}`);
    return { firstLogMs: NaN, welcomeMs: Number(m[1]) - t0, joinSeenMs: joinAt - t0, memory };
  } finally {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once("exit", r));
      process.kill(c.pid!, "SIGTERM");
      await gone;
    }
    await observer.waitForLine((l) => l.startsWith(`:${nick}!`) && / QUIT /.test(l), 5000).catch(() => {});
    observer.lines.splice(0);
  }
}

/** bench/floor/bot-floor.ts: the chosen dependencies registering and joining, no Seshet code. */
async function botFloor(binary: string, irc: Ngircd, observer: IrcObserver, dir: string): Promise<ProcMemory> {
  const nick = "floorbot";
  const child = spawn(binary, ["127.0.0.1", String(irc.port), nick, BENCH_CHANNEL, `${dir}/floor.db`], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await joinSeenAt(observer, nick, 0);
    await sleep(SETTLE_MS);
    return procMemory(child.pid!);
  } finally {
    await stopChild(child);
    await observer.waitForLine((l) => l.startsWith(`:${nick}!`) && / QUIT /.test(l), 5000).catch(() => {});
    observer.lines.splice(0);
  }
}

/** bench/floor/supervisor-floor.ts: cac and one Bun.spawn child with piped output, no Seshet code. */
async function supervisorFloor(binary: string): Promise<ProcMemory> {
  const child = spawn(binary, ["run"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("supervisor floor: no output from its child")), 10_000);
      child.stderr!.on("data", (d: Buffer) => d.toString().includes("child | started") && (clearTimeout(t), resolve()));
    });
    await sleep(SETTLE_MS);
    return procMemory(child.pid!);
  } finally {
    await stopChild(child);
  }
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise((r) => c.once("exit", r));
  process.kill(c.pid!, "SIGTERM");
  await gone;
}

const METRICS = [
  ["rssMB", "VmRSS"],
  ["anonMB", "RssAnon"],
  ["fileMB", "RssFile"],
  ["pssMB", "Pss"],
] as const;
type Metric = (typeof METRICS)[number][0];

/** A heading row (the main metric, with the goal) and one row per other metric. */
function memoryFigures(title: string, m: ProcMemory, main: Metric, note: string, baseline?: (k: Metric) => { name: string; value: number }): BenchFigure[] {
  const ordered = [...METRICS.filter(([k]) => k === main), ...METRICS.filter(([k]) => k !== main)];
  return ordered.map(([k, label]) =>
    figure(k === main ? `${title} ${label}` : `  ${label}`, m[k], "MB", baseline?.(k) ?? null, k === main ? `${note}${k === "rssMB" ? `; peak (VmHWM) ${m.hwmMB.toFixed(1)} MB` : ""}` : undefined),
  );
}

export interface FootprintResult {
  figures: BenchFigure[];
  detail: Record<string, unknown>;
}

/** `memoryAfterRun`: the bot's memory at the end of the precision run, when that section ran. */
export async function benchFootprint(opts: { quick?: boolean; memoryAfterRun?: ProcMemory | null } = {}): Promise<FootprintResult> {
  const runs = opts.quick ? 3 : 7;
  const binary = freshBinary((l) => console.error(l));
  let irc: Ngircd | undefined;
  let observer: IrcObserver | undefined;
  let project: { dir: string; remove(): void } | undefined;
  try {
    irc = await startNgircd();
    observer = await connectObserver({ port: irc.port, nick: "watcher", channels: [BENCH_CHANNEL], timeoutMs: 15_000 });
    project = benchProject(irc.port, {
      "daily.toml": `[[task]]\nname = "daily"\nfunc = "core:say"\nargs = ["${BENCH_CHANNEL}", "daily"]\nstart = 2030-01-01T09:00:00\ntz = "Europe/Berlin"\nrrule = { freq = "daily" }\n`,
    });
    // The first start creates the store (migrations, first sync): reported apart.
    const cold = await botStart(binary, irc, observer, project.dir);
    const warm: StartSample[] = [];
    const bare: StartSample[] = [];
    for (let i = 0; i < runs; i++) {
      warm.push(await botStart(binary, irc, observer, project.dir));
      bare.push(await bareStart(irc, observer));
    }
    const floors = await floorBinaries();
    const floorBot: ProcMemory[] = [];
    const floorSupervisor: ProcMemory[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      floorBot.push(await botFloor(floors.bot, irc, observer, project.dir));
      floorSupervisor.push(await supervisorFloor(floors.supervisor));
    }
    const medMem = (xs: ProcMemory[]): ProcMemory => ({ rssMB: percentile(xs.map((m) => m.rssMB), 50), hwmMB: percentile(xs.map((m) => m.hwmMB), 50), anonMB: percentile(xs.map((m) => m.anonMB), 50), fileMB: percentile(xs.map((m) => m.fileMB), 50), pssMB: percentile(xs.map((m) => m.pssMB), 50) });
    const fleets: FleetSample[] = [];
    for (const n of [1, 10]) fleets.push(await fleetFootprint(binary, irc.port, observer, n, SETTLE_MS * 2));
    // Many tasks in files: what each bot process holds once the sync is done.
    const heavy = await fleetFootprint(binary, irc.port, observer, 2, SETTLE_MS * 2, false, 2500);
    // null when the binary measured (SESHET_BENCH_BINARY, an older build) has no --one-process.
    const together = await fleetFootprint(binary, irc.port, observer, 10, SETTLE_MS * 2, true).catch((error) => {
      console.error(`--one-process not measured: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
      return null;
    });
    const med = (xs: StartSample[], f: (s: StartSample) => number) => percentile(xs.map(f), 50);
    const binMB = statSync(binary).size / 2 ** 20;
    const bunMB = statSync(realpathSync(process.execPath)).size / 2 ** 20;
    const figures: BenchFigure[] = [
      figure(`start → welcome (001), median of ${runs}`, med(warm, (s) => s.welcomeMs), "ms", { name: "bare bun -e client", value: med(bare, (s) => s.welcomeMs) }, `min ${Math.min(...warm.map((s) => s.welcomeMs))} ms; process start → first log line ${med(warm, (s) => s.firstLogMs)} ms`),
      figure("start → welcome, first start (new store)", cold.welcomeMs, "ms", null),
      figure(`start → JOIN seen by another client, median`, med(warm, (s) => s.joinSeenMs), "ms", { name: "bare bun -e client", value: med(bare, (s) => s.joinSeenMs) }, "includes ngIRCd's 1 s penalty when a client sends its 6th line at once"),
      ...memoryFigures(`one bot (run --bot), joined, idle, 1 task, ${SETTLE_MS / 1000} s after JOIN, median:`, {
        rssMB: med(warm, (s) => s.memory.rssMB),
        hwmMB: med(warm, (s) => s.memory.hwmMB),
        anonMB: med(warm, (s) => s.memory.anonMB),
        fileMB: med(warm, (s) => s.memory.fileMB),
        pssMB: med(warm, (s) => s.memory.pssMB),
      }, "rssMB", `goal ≤ ${FOOTPRINT_GOALS.botRssMB} MB VmRSS`, (k) => ({ name: "bare bun -e client", value: med(bare, (s) => s.memory[k]) })),
      ...memoryFigures("  floor under a bot: its dependencies, no Seshet code:", medMem(floorBot), "rssMB", "bench/floor/bot-floor.ts: irc-framework joins, kysely reads SQLite, smol-toml, Intl zone"),
      ...memoryFigures("supervisor of seshet run (1 bot):", fleets[0]!.supervisor, "rssMB", `goal ≤ ${FOOTPRINT_GOALS.supervisorRssMB} MB VmRSS`),
      ...memoryFigures("  floor under a supervisor, no Seshet code:", medMem(floorSupervisor), "rssMB", "bench/floor/supervisor-floor.ts: cac, Bun.spawn of one child, its output read"),
      ...memoryFigures("seshet run, 1 bot, sum over the tree:", fleets[0]!.tree, "pssMB", `${fleets[0]!.tree.processes} processes`),
      ...memoryFigures("seshet run, 10 bots, sum over the tree:", fleets[1]!.tree, "pssMB", `goal ≤ ${FOOTPRINT_GOALS.tenBotsPssMB} MB Pss; ${fleets[1]!.tree.processes} processes`),
      ...memoryFigures("each bot of seshet run, 2 bots × 2,500 tasks in 50 files (median):", medMem(heavy.children), "rssMB", `the task files read by the sync child; the larger peak ${Math.max(...heavy.children.map((c) => c.hwmMB)).toFixed(1)} MB`),
      ...(together ? memoryFigures("seshet run --one-process, 10 bots:", together.tree, "pssMB", `goal ≤ ${FOOTPRINT_GOALS.tenBotsPssMB} MB Pss; 1 process, one crash domain`) : []),
      ...(opts.memoryAfterRun
        ? [figure("RSS of the bot after the precision run", opts.memoryAfterRun.rssMB, "MB", null, `peak ${opts.memoryAfterRun.hwmMB.toFixed(1)} MB`)]
        : []),
      figure(`binary size, ${binary.startsWith(ROOT) ? binary.slice(ROOT.length + 1) : binary}`, binMB, "MB", { name: "the bun runtime executable", value: bunMB }),
    ];
    return { figures, detail: { runs, cold, warm, bare, floorBot, floorSupervisor, fleets, heavy, together, binaryBytes: statSync(binary).size } };
  } finally {
    await observer?.quit().catch(() => {});
    await irc?.stop().catch(() => {});
    project?.remove();
  }
}

if (import.meta.main) {
  const after = process.argv.indexOf("--memory-after-run");
  const memoryAfterRun = after >= 0 ? (JSON.parse(process.argv[after + 1]!) as ProcMemory | null) : null;
  const r = await benchFootprint({ quick: process.argv.includes("--quick"), memoryAfterRun });
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(r));
    process.exit(0);
  }
  for (const f of r.figures) {
    const base = f.baseline ? `  vs ${f.baseline.name} ${f.baseline.value.toFixed(1)} (×${f.ratio?.toFixed(2)})` : "";
    console.log(`${f.name.padEnd(48)} ${f.value.toFixed(1).padStart(8)} ${f.unit}${base}${f.note ? `  (${f.note})` : ""}`);
  }
}
