// Each process loads only what its part uses (issue 16): what a fresh Bun
// process has evaluated after importing the modules of one part, from source.
// The binary bundles these same imports as lazily evaluated modules (Bun's
// bundler keeps a literal import() lazy), so the same holds there.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../support/seshet-process.ts";
import { tempDir } from "../store/store-fixtures.ts";
import { compileOptions } from "../../tools/compile-options.ts";

interface MetaOutput {
  entryPoint?: string;
  inputs: Record<string, unknown>;
  imports: { path: string; kind: string; external?: boolean }[];
}

/** The chunks a process evaluates once it imported `entries` (their static imports, transitively): their inputs and the runtime modules they import. */
function staticClosure(outputs: Record<string, MetaOutput>, entries: string[]): { inputs: string[]; external: string[] } {
  const key = (p: string) => Object.keys(outputs).find((o) => o.replace(/^\.\//, "") === p.replace(/^.*[\\/]/, "").replace(/^\.\//, "")) ?? p;
  const chunkOf = (input: string) => Object.keys(outputs).find((o) => Object.keys(outputs[o]!.inputs).some((i) => i.endsWith(input)));
  const seen = new Set<string>();
  const external = new Set<string>();
  const stack = entries.map((e) => chunkOf(e)!).filter(Boolean);
  expect(stack.length).toBe(entries.length);
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    for (const imp of outputs[o]!.imports) {
      if (imp.kind === "dynamic-import") continue;
      if (imp.external) external.add(imp.path);
      else stack.push(key(imp.path));
    }
  }
  return { inputs: [...seen].flatMap((o) => Object.keys(outputs[o]!.inputs)), external: [...external] };
}

/** Module paths a fresh process holds after running `body` (ESM, top-level await). */
function loadedAfter(body: string): string[] {
  const script = `${body}\nconsole.log(JSON.stringify(Object.keys(require.cache)));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as string[];
}

const src = (p: string) => JSON.stringify(join(ROOT, "src", p));
const matching = (loaded: string[], re: RegExp) => loaded.filter((p) => re.test(p));
const IRC_CLIENT = /node_modules[\\/]irc-framework|[\\/]src[\\/]irc[\\/]irc-transport|[\\/]src[\\/]bot[\\/]/;
const PG = /node_modules[\\/]pg[\\/]/;

test("the supervisor's part (run, supervise, its spawner) loads no configuration, store, IRC client or bot", () => {
  const loaded = loadedAfter(`
    await import(${src("cli/run-command.ts")});
    await import(${src("cli/run-supervised.ts")});
    await import(${src("supervisor/supervise.ts")});
    await (await import(${src("platform/spawn-process.ts")})).loadSpawner();`);
  expect(matching(loaded, /[\\/]src[\\/]supervisor[\\/]supervise\.ts$/).length).toBe(1);
  expect(matching(loaded, IRC_CLIENT)).toEqual([]);
  expect(matching(loaded, /node_modules[\\/](kysely|kysely-bun-sqlite|pg|smol-toml|rrule|chrono-node)[\\/]/)).toEqual([]);
  // store-kind.ts only reads a --db value (is it postgres://?).
  expect(matching(loaded, /[\\/]src[\\/](config|store|sync|scheduler[\\/]recurrence)[\\/](?!store-kind\.ts)/)).toEqual([]);
});

test("in the binary's bundle, the chunks the supervisor evaluates import no Node module and hold no store, configuration or IRC code", async () => {
  const outdir = tempDir("seshet-chunks-");
  try {
    const options = compileOptions(join(ROOT, "src/cli.ts"), "unused");
    delete (options as { compile?: unknown }).compile;
    options.bytecode = false;
    const r = await Bun.build({ ...options, target: "bun", outdir: outdir.dir, metafile: true } as Bun.BuildConfig);
    expect(r.success).toBe(true);
    const outputs = (r as unknown as { metafile: { outputs: Record<string, MetaOutput> } }).metafile.outputs;
    const reached = staticClosure(outputs, ["src/cli.ts", "src/cli/run-command.ts", "src/cli/run-supervised.ts", "src/supervisor/supervise.ts", "src/platform/spawn-bun.ts"]);
    expect(reached.inputs.some((i) => i.endsWith("src/supervisor/supervisor.ts"))).toBe(true);
    // Each of these costs a Bun process 2-9 MB once evaluated (bench/footprint-bench.ts).
    expect(reached.external).toEqual([]);
    expect(reached.inputs.filter((i) => /node_modules[\\/](?!cac[\\/])|src[\\/](config|store|sync|irc|bot|chat)[\\/](?!store-kind\.ts)/.test(i))).toEqual([]);
  } finally {
    outdir.remove();
  }
});

test("a bot on SQLite loads the IRC client but neither pg, the supervisor nor chrono-node", () => {
  const tmp = tempDir("seshet-lazy-");
  try {
    const loaded = loadedAfter(`
      await import(${src("cli/run-foreground.ts")});
      const { openStore } = await import(${src("store/open-store.ts")});
      const store = await openStore(${JSON.stringify(join(tmp.dir, "s.db"))});
      await store.close();`);
    expect(matching(loaded, /node_modules[\\/]irc-framework/).length).toBeGreaterThan(0);
    expect(matching(loaded, PG)).toEqual([]);
    expect(matching(loaded, /[\\/]src[\\/]supervisor[\\/]supervise\.ts$/)).toEqual([]);
    // chrono-node (English only, ~50 modules) is loaded by the first !at it has to read.
    expect(matching(loaded, /node_modules[\\/]chrono-node[\\/]/)).toEqual([]);
  } finally {
    tmp.remove();
  }
});

test("seshet next loads neither the store nor the IRC client", () => {
  const loaded = loadedAfter(`await import(${src("cli/next-command.ts")});`);
  expect(matching(loaded, IRC_CLIENT)).toEqual([]);
  expect(matching(loaded, /node_modules[\\/](kysely|pg)[\\/]/)).toEqual([]);
});
