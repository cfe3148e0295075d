// Issue 12 item 2: a rule with a huge `count` used to hang `sync` inside the
// write transaction (walking occurrence by occurrence while every other
// process got "database is locked"). Now the count is counted, not walked,
// and schedules are computed before the transaction begins.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runSync } from "../../src/cli/sync-command.ts";
import { runTasks } from "../../src/cli/tasks-command.ts";
import { Expander } from "../../src/scheduler/recurrence/expander.ts";
import { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { StoreDialect } from "../../src/store/store-dialect.ts";
import { counted, daily, NOW, tempDir } from "./store-fixtures.ts";

const HUGE = 9_007_199_254_740_991;
const BOT = 'nick = "alpha"\nchannels = ["#t"]\n[server]\nhost = "127.0.0.1"\nport = 6667\ntls = false\n';
const TICKER = `[[task]]
name = "ticker"
func = "core:say"
args = ["#t", "tick"]
start = 2016-01-01T00:00:00
tz = "UTC"
rrule = { freq = "secondly", count = ${HUGE} }
`;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir("seshet-huge-");
});
afterEach(() => tmp.remove());

describe("a huge count", () => {
  test("seshet sync answers, and seshet tasks shows what the count leaves", async () => {
    mkdirSync(path.join(tmp.dir, "bots"));
    mkdirSync(path.join(tmp.dir, "tasks"));
    writeFileSync(path.join(tmp.dir, "bots/alpha.toml"), BOT);
    writeFileSync(path.join(tmp.dir, "tasks/ticker.toml"), TICKER);
    const opts = { bots: path.join(tmp.dir, "bots"), tasks: path.join(tmp.dir, "tasks"), db: path.join(tmp.dir, "seshet.db") };
    const lines: string[] = [];
    const before = Date.now();
    expect(await runSync(opts, (l) => lines.push(l), {})).toBe(0);
    expect(lines).toEqual(["added 1, changed 0, retired 0, unchanged 0, errors 0"]);
    lines.length = 0;
    expect(await runTasks({ db: opts.db, json: true }, (l) => lines.push(l))).toBe(0);
    const [task] = JSON.parse(lines[0]!) as { remaining: number; nextDue: string }[];
    // Every second since 2016 has used one of the count.
    const elapsed = Math.floor((before - Date.UTC(2016, 0, 1)) / 1000);
    expect(task!.remaining).toBeLessThanOrEqual(HUGE - elapsed);
    expect(task!.remaining).toBeGreaterThan(HUGE - elapsed - 600);
  }, 5_000);

  test("sync expands no rule inside its write transaction", async () => {
    const store = await openKyselyStore(path.join(tmp.dir, "seshet.db"));
    let inside = false;
    const dialect: StoreDialect = {
      ...store.dialect,
      write: async (db, work, opts) => {
        inside = true;
        try {
          return await store.dialect.write(db, work, opts);
        } finally {
          inside = false;
        }
      },
    };
    const watched = new KyselyTaskStore(store.db, dialect, { historyLimit: 1000, pruneEvery: 100 });
    const proto = Expander.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const originals = new Map<string, (...a: unknown[]) => unknown>();
    const expanded: string[] = [];
    for (const name of ["firstAtOrAfter", "nthCandidate", "countUpTo"]) {
      const original = proto[name]!;
      originals.set(name, original);
      proto[name] = function (this: unknown, ...args: unknown[]) {
        if (inside) expanded.push(name);
        return original.apply(this, args);
      };
    }
    try {
      const ticker = counted("ticker", { rrule: { freq: "secondly", interval: 1, count: HUGE }, start: "2016-01-01T00:00:00", order: 0 });
      expect(await watched.sync([ticker, daily("d", { order: 1 })], [], NOW)).toMatchObject({ added: 2 });
      // Changed tasks are rescheduled, still outside.
      const changed = { ...ticker, rrule: { freq: "secondly" as const, interval: 2, count: HUGE } };
      expect(await watched.sync([changed, daily("d", { order: 1, args: ["#chan", "changed"] })], [], NOW + 1000)).toMatchObject({ changed: 2 });
      expect(expanded).toEqual([]);
      const stored = await watched.getTask("alpha", "ticker");
      expect(stored!.remaining).toBe(HUGE - Math.floor((stored!.nextDue! - Date.UTC(2016, 0, 1)) / 2000));
    } finally {
      for (const [name, fn] of originals) proto[name] = fn;
      await store.close();
    }
  }, 5_000);
});
