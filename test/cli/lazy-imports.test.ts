// Each process loads only what its part uses (issue 16): what a fresh Bun
// process has evaluated after importing the modules of one part, from source.
// The binary bundles these same imports as lazily evaluated modules (Bun's
// bundler keeps a literal import() lazy), so the same holds there.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../support/seshet-process.ts";
import { tempDir } from "../store/store-fixtures.ts";

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

test("the supervisor's part (run, supervise, a SQLite store) loads no IRC client, no bot and no pg", () => {
  const tmp = tempDir("seshet-lazy-");
  try {
    const loaded = loadedAfter(`
      await import(${src("cli/run-command.ts")});
      await import(${src("supervisor/supervise.ts")});
      const { openStore } = await import(${src("store/open-store.ts")});
      const store = await openStore(${JSON.stringify(join(tmp.dir, "s.db"))});
      await store.close();`);
    expect(matching(loaded, /[\\/]src[\\/]supervisor[\\/]supervise\.ts$/).length).toBe(1);
    expect(matching(loaded, IRC_CLIENT)).toEqual([]);
    expect(matching(loaded, PG)).toEqual([]);
    expect(matching(loaded, /node_modules[\\/](rrule|chrono-node)[\\/]/)).toEqual([]);
  } finally {
    tmp.remove();
  }
});

test("a bot on SQLite loads the IRC client but neither pg nor the supervisor", () => {
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
    // !at reads English dates: chrono-node's other locales (~215 modules) stay unloaded.
    expect(matching(loaded, /chrono-node[\\/]dist[\\/]\w+[\\/]locales[\\/](?!en[\\/])/)).toEqual([]);
  } finally {
    tmp.remove();
  }
});

test("seshet next loads neither the store nor the IRC client", () => {
  const loaded = loadedAfter(`await import(${src("cli/next-command.ts")});`);
  expect(matching(loaded, IRC_CLIENT)).toEqual([]);
  expect(matching(loaded, /node_modules[\\/](kysely|pg)[\\/]/)).toEqual([]);
});
