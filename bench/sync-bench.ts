// Sync of 10,000 tasks from files: cold (empty store), a reload with one
// task changed, a reload with nothing changed. Each figure includes reading
// and validating the files, as `!reloadtasks` does.
// Run: bun bench/sync-bench.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { openStore } from "../src/store/open-store.ts";
import type { SyncReport } from "../src/store/store-types.ts";
import { syncFiles } from "../src/sync/sync-files.ts";

const FILES = 100;
const TASKS_PER_FILE = 100;

const BOT = `nick = "bench"\nchannels = ["#bench"]\n[server]\nhost = "127.0.0.1"\nport = 6667\ntls = false\n`;

function taskFile(file: number, variant = ""): string {
  const out: string[] = [];
  for (let i = 0; i < TASKS_PER_FILE; i++) {
    const hour = (file + i) % 24;
    out.push(`[[task]]
name = "t${file}-${i}"
func = "core:say"
args = ["#bench", "task ${file}-${i}${i === 0 ? variant : ""}"]
start = 2026-01-${String((i % 28) + 1).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00
tz = "Europe/Berlin"
catchup = "skip"
rrule = { freq = "${["daily", "weekly", "monthly", "hourly"][i % 4]}"${i % 5 === 0 ? ", count = 500" : ""} }
`);
  }
  return out.join("\n");
}

export async function benchSync(opts: { driver?: "bun" | "node" } = {}): Promise<{ name: string; ms: number }[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "seshet-sync-bench-"));
  try {
    const botsDir = path.join(dir, "bots");
    const tasksDir = path.join(dir, "tasks");
    mkdirSync(botsDir);
    mkdirSync(tasksDir);
    writeFileSync(path.join(botsDir, "bench.toml"), BOT);
    const fileName = (f: number) => path.join(tasksDir, `f${String(f).padStart(3, "0")}.toml`);
    for (let f = 0; f < FILES; f++) writeFileSync(fileName(f), taskFile(f));

    const store = await openStore(path.join(dir, "bench.db"), { driver: opts.driver });
    const suffix = opts.driver ? ` (${opts.driver})` : "";
    const results: { name: string; ms: number }[] = [];
    const measure = async (name: string, expect: Partial<SyncReport>) => {
      const t0 = performance.now();
      const report = await syncFiles(store, { botsDir, tasksDir, env: {}, now: Date.now() });
      const ms = performance.now() - t0;
      for (const [key, value] of Object.entries(expect)) {
        if (report[key as keyof SyncReport] !== value) throw new Error(`${name}: expected ${key} ${value}, got ${JSON.stringify(report)}`);
      }
      results.push({ name: name + suffix, ms });
    };
    try {
      await measure(`cold sync, ${FILES * TASKS_PER_FILE} tasks`, { added: FILES * TASKS_PER_FILE });
      writeFileSync(fileName(42), taskFile(42, " (changed)"));
      await measure("reload, one task changed", { changed: 1, unchanged: FILES * TASKS_PER_FILE - 1 });
      await measure("reload, nothing changed", { unchanged: FILES * TASKS_PER_FILE });
    } finally {
      await store.close();
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  for (const driver of ["bun", "node"] as const) {
    for (const { name, ms } of await benchSync({ driver })) console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms`);
  }
}
