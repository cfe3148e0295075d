// What recording one run costs in each store: claim (advance next due and
// insert the run, one transaction) plus finish (record the outcome, one
// transaction), back to back, as a bot does for every task it fires.
// SQLite (WAL, synchronous=normal) through both drivers; PostgreSQL on a
// private loopback cluster started here, durable (fsync, synchronous_commit
// on: its defaults) and with synchronous_commit=off (what SQLite's
// synchronous=normal risks is comparable: the last commits on power loss).
// Run: bun bench/store-claim-bench.ts [RUNS]
import * as path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { sql } from "kysely";
import { openKyselyStore } from "../src/store/open-store.ts";
import { percentile } from "./bench-stats.ts";
import { postgresUnavailable, startPostgres } from "../test/support/postgres.ts";

const RUNS = Number(process.argv[2] ?? 2000);
const WARMUP = 100;

interface Result {
  store: string;
  meanUs: number;
  p50Us: number;
  p99Us: number;
}

async function measure(label: string, location: string, opts: { driver?: "bun" | "node"; env?: Record<string, string> }, setup?: string): Promise<Result> {
  const store = await openKyselyStore(location, { driver: opts.driver, env: opts.env });
  try {
    if (setup) await sql.raw(setup).execute(store.db);
    const now = Date.now();
    await store.sync(
      [{ bot: "bench", name: "t", func: "core:say", args: ["#b", "x"], kwargs: {}, start: "2026-01-01T00:00:00", tz: "UTC", catchup: "all", rrule: { freq: "secondly", interval: 1 }, origin: "tasks/b.toml", order: 0 }],
      [],
      now,
    );
    const task = (await store.getTask("bench", "t"))!;
    let due = task.nextDue!;
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const runId = await store.claim(task.id, due, due, "started", { nextDue: due + 1000, remaining: null });
      if (runId === null) throw new Error("claim lost: nothing else is running");
      await store.finish(runId, "ok", due + 1);
      const us = (performance.now() - t0) * 1000;
      if (i >= WARMUP) samples.push(us);
      due += 1000;
    }
    return {
      store: label,
      meanUs: samples.reduce((a, b) => a + b, 0) / samples.length,
      p50Us: percentile(samples, 50),
      p99Us: percentile(samples, 99),
    };
  } finally {
    await store.close();
  }
}

const results: Result[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "seshet-claim-bench-"));
try {
  results.push(await measure("SQLite (bun:sqlite)", path.join(dir, "bun.db"), { driver: "bun" }));
  results.push(await measure("SQLite (node:sqlite)", path.join(dir, "node.db"), { driver: "node" }));
  const why = postgresUnavailable();
  if (why !== null) {
    console.error(`PostgreSQL skipped: ${why}`);
  } else {
    const cluster = await startPostgres({ durable: true });
    try {
      results.push(await measure("PostgreSQL, durable (defaults)", await cluster.createDatabase(), { env: cluster.env }));
      const relaxed = await cluster.createDatabase();
      const name = new URL(relaxed).pathname.slice(1);
      results.push(
        await measure("PostgreSQL, synchronous_commit=off", relaxed, { env: cluster.env }, `alter database ${name} set synchronous_commit = off`),
      );
    } finally {
      await cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const base = results[0]!.meanUs;
console.log(`claim + finish per run, ${RUNS} runs after ${WARMUP} warm-up (µs):`);
console.log(["store".padEnd(36), "mean".padStart(8), "p50".padStart(8), "p99".padStart(8), "× bun:sqlite".padStart(13)].join(" "));
for (const r of results) {
  console.log(
    [r.store.padEnd(36), r.meanUs.toFixed(0).padStart(8), r.p50Us.toFixed(0).padStart(8), r.p99Us.toFixed(0).padStart(8), (r.meanUs / base).toFixed(1).padStart(13)].join(" "),
  );
}
