// rrule.js is the benchmark baseline (bench/recurrence-bench.ts), a
// devDependency, and never in the binary (issue 16): !every and `seshet next
// --every` read English themselves (src/chat/chat-every-phrase.ts). Checked
// on the bundle built from src/cli.ts as build.ts builds it, and on what a
// process running those modules from source loads.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { leanModulesPlugin } from "../../src/platform/lean-modules.ts";
import { ROOT } from "../support/seshet-process.ts";
import pkg from "../../package.json" with { type: "json" };

const RRULE = /node_modules[\\/]rrule[\\/]/;

test("the bundle built from src/cli.ts holds no module of rrule.js, and package.json lists it among devDependencies only", async () => {
  const r = await Bun.build({ entrypoints: [join(ROOT, "src/cli.ts")], target: "bun", plugins: [leanModulesPlugin], metafile: true } as Bun.BuildConfig);
  expect(r.success).toBe(true);
  const inputs = Object.keys((r as unknown as { metafile: { inputs: Record<string, unknown> } }).metafile.inputs);
  expect(inputs.some((p) => p.endsWith("chat-every-phrase.ts"))).toBe(true);
  expect(inputs.filter((p) => RRULE.test(p))).toEqual([]);
  expect(Object.keys(pkg.dependencies)).not.toContain("rrule");
  expect(Object.keys(pkg.devDependencies)).toContain("rrule");
});

test("!every and seshet next --every read English without loading rrule.js", () => {
  const src = (p: string) => JSON.stringify(join(ROOT, "src", p));
  const script = `
    const { parseEvery } = await import(${src("chat/chat-every.ts")});
    await import(${src("chat/chat-create.ts")});
    await import(${src("cli/next-every-command.ts")});
    if ("error" in parseEvery("2 weeks on tuesday at 10:00", "UTC", Date.now())) throw new Error("not read");
    console.log(JSON.stringify(Object.keys(require.cache)));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  expect(r.stderr).toBe("");
  const loaded = JSON.parse(r.stdout.trim().split("\n").pop()!) as string[];
  expect(loaded.filter((p) => p.endsWith("chat-every-phrase.ts")).length).toBe(1);
  expect(loaded.filter((p) => RRULE.test(p))).toEqual([]);
});
