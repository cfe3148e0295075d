// dist/seshet as the benchmarks need it: built from the current source. A
// binary older than any file under src/ would measure code that is gone.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { BINARY, ROOT } from "../test/support/seshet-process.ts";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/seshet with `bun build.ts` when it is missing or older than src/; returns its path.
 * SESHET_BENCH_BINARY=/path measures another build instead (e.g. one made with other build options).
 */
export function freshBinary(log: (line: string) => void = () => {}): string {
  const other = process.env.SESHET_BENCH_BINARY;
  if (other) {
    log(`measuring ${other} (SESHET_BENCH_BINARY), not dist/seshet`);
    return other;
  }
  const stale = !existsSync(BINARY) || statSync(BINARY).mtimeMs < newestMtime(join(ROOT, "src"));
  if (stale) {
    log(existsSync(BINARY) ? "dist/seshet is older than src/: rebuilding" : "dist/seshet is missing: building");
    const r = spawnSync(process.execPath, ["build.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`bun build.ts failed:\n${r.stdout}${r.stderr}`);
  }
  return BINARY;
}
