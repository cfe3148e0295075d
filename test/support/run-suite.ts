// `npm test`: the whole suite in a few `bun test` processes at once.
//
// `bun test` runs its files one after another, and most of the suite's time
// is spent waiting (for an IRC server, a lease, a due time), not computing.
// Files are independent (each starts its own ngIRCd, PostgreSQL cluster and
// project on free ports in its own temp dir), so they are spread over lanes,
// the slowest first, each lane one `bun test` process. A lane's output is
// printed whole when it ends (no interleaving), and the run ends with bun's
// usual summary, added up over the lanes, so it reads like one `bun test`.
//
//   bun test/support/run-suite.ts            # SESHET_TEST_LANES lanes (default 4)
//   SESHET_TEST_LANES=1 bun test/support/run-suite.ts   # one process, as plain `bun test`
//   bun test/support/run-suite.ts test/irc   # only files under these paths
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawn } from "node:child_process";

// Seconds the slow files' tests took in a whole run (3 lanes, a loaded 2-core
// machine, 2026-12-01): only their order matters, to start the long ones
// first and balance the lanes. Files not listed count DEFAULT_WEIGHT.
const WEIGHT: Record<string, number> = {
  "test/ops/readme-commands.test.ts": 126,
  "test/store/task-store.test.ts": 90,
  "test/chat/chat-manage.test.ts": 59,
  "test/irc/irc-transport.test.ts": 57,
  "test/chat/chat-create.test.ts": 50,
  "test/integration/flood.test.ts": 30,
  "test/integration/crash-recovery.test.ts": 28,
  "test/integration/reply-limits.test.ts": 25,
  "test/integration/fleet.test.ts": 22,
  "test/integration/lean-irc.test.ts": 21,
  "test/deno/deno-bot.test.ts": 18,
  "test/integration/plugin-reload.test.ts": 17,
  "test/deno/deno-reload.test.ts": 17,
  "test/fleet/fleet-member.test.ts": 16,
  "test/integration/supervisor.test.ts": 16,
  "test/integration/control-channel.test.ts": 16,
  "test/config/config-schema.test.ts": 15,
  "test/integration/core-commands.test.ts": 14,
  "test/bot/bot.test.ts": 12,
  "test/integration/binary-fires-tasks.test.ts": 10,
  "test/scheduler/occurrence-count.test.ts": 10,
  "test/integration/metrics.test.ts": 8,
  "test/integration/stray-errors.test.ts": 7,
  "test/deno/deno-commands.test.ts": 7,
  "test/ops/install-script.test.ts": 6,
  "test/supervisor/restart-policy.test.ts": 6,
  "test/support/run-suite.test.ts": 6,
  "test/integration/one-process.test.ts": 5,
  "test/cli/ics-command.test.ts": 5,
  "test/integration/sync-reaches-bots.test.ts": 4,
  "test/irc/irc-fuzz.test.ts": 4,
};
const DEFAULT_WEIGHT = 2;

function testFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name));
    else if (p.endsWith(".test.ts")) out.push(relative(process.cwd(), p));
  };
  for (const r of roots) walk(r);
  return out;
}

/** Greedy: the heaviest file goes to the lane with the least weight so far. */
export function lanesFor(files: string[], lanes: number): string[][] {
  const weight = (f: string) => WEIGHT[f] ?? DEFAULT_WEIGHT;
  const out = Array.from({ length: Math.max(1, Math.min(lanes, files.length)) }, () => ({ files: [] as string[], load: 0 }));
  for (const f of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lane = out.reduce((min, l) => (l.load < min.load ? l : min));
    lane.files.push(f);
    lane.load += weight(f);
  }
  return out.map((l) => l.files);
}

interface LaneResult {
  code: number;
  output: string;
}

function runLane(files: string[], extra: string[]): Promise<LaneResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["test", ...extra, ...files.map((f) => `./${f}`)], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    proc.stdout.on("data", (c: Buffer) => chunks.push(c));
    proc.stderr.on("data", (c: Buffer) => chunks.push(c));
    proc.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString("utf8") }));
  });
}

const COUNTS = ["pass", "skip", "todo", "fail"] as const;

/** Adds up the summary lines of several `bun test` outputs. */
export function combinedSummary(outputs: string[], seconds: number): string[] {
  const total: Record<string, number> = { pass: 0, skip: 0, todo: 0, fail: 0, expect: 0, tests: 0, files: 0 };
  const failed: string[] = [];
  for (const out of outputs) {
    for (const line of out.split("\n")) {
      const count = /^\s*(\d+) (pass|skip|todo|fail)$/.exec(line);
      if (count) total[count[2]!]! += Number(count[1]);
      const expects = /^\s*(\d+) expect\(\) calls$/.exec(line);
      if (expects) total.expect! += Number(expects[1]);
      const ran = /^Ran (\d+) tests? across (\d+) files?\./.exec(line);
      if (ran) [total.tests, total.files] = [total.tests! + Number(ran[1]), total.files! + Number(ran[2])];
      if (line.startsWith("(fail) ")) failed.push(line);
    }
  }
  const lines: string[] = [];
  // bun prints a failure where it happens and again in its closing list.
  const unique = [...new Set(failed)];
  if (unique.length > 0) lines.push("", `${unique.length} tests failed:`, ...unique);
  lines.push("");
  for (const k of COUNTS) if (k !== "todo" || total.todo! > 0) lines.push(` ${total[k]} ${k}`);
  lines.push(` ${total.expect} expect() calls`);
  lines.push(`Ran ${total.tests} tests across ${total.files} files. [${seconds.toFixed(2)}s]`);
  // The plain closing line any CI reads, whatever the runner.
  lines.push(`suite: ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped`);
  return lines;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const roots = args.filter((a) => !a.startsWith("-"));
  const extra = args.filter((a) => a.startsWith("-"));
  const files = testFiles(roots.length > 0 ? roots : ["test"]);
  const lanes = lanesFor(files, Number(process.env.SESHET_TEST_LANES ?? 4));
  const started = performance.now();
  console.error(`running ${files.length} test files in ${lanes.length} parallel bun test processes`);
  const results = await Promise.all(
    lanes.map(async (lane) => {
      const r = await runLane(lane, extra);
      process.stderr.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`);
      return r;
    }),
  );
  const summary = combinedSummary(results.map((r) => r.output), (performance.now() - started) / 1000);
  process.stderr.write(summary.join("\n") + "\n");
  process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
}
