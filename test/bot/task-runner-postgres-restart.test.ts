// A real PostgreSQL going away while a task falls due: the claim fails, the
// task stays queued and is tried again with backoff, and once the server is
// back the occurrence fires, once, recorded ok.
import { afterEach, describe, expect, test } from "bun:test";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { TaskRunner } from "../../src/bot/task-runner.ts";
import { createLogger } from "../../src/log/logger.ts";
import { usePostgres } from "../support/postgres.ts";
import { NOW, daily } from "../store/store-fixtures.ts";

const NINE = Date.UTC(2026, 5, 2, 9);
const postgres = usePostgres();

describe.skipIf(postgres.skip)("store errors on PostgreSQL", () => {
  let store: TaskStore | undefined;
  afterEach(async () => {
    await store?.close();
  });

  test("the server restarts while a task is due: it stays queued, is retried, and fires once when the server is back", async () => {
    const cluster = postgres.cluster!;
    store = await openStore(await cluster.createDatabase(), { env: cluster.env });
    await store.sync([daily("a")], [], NOW);
    const calls: number[] = [];
    const logs: string[] = [];
    let now = NOW;
    const runner = new TaskRunner({
      bot: "alpha",
      store,
      resolve: () => (c) => void calls.push(c.task.due),
      log: createLogger({ write: (l) => logs.push(l) }),
      now: () => now,
    });
    await runner.rebuild();
    await cluster.pause();
    try {
      now = NINE;
      await runner.fireDue();
      expect(calls).toEqual([]);
      expect(logs.some((l) => /WARN .*task 'a' \(core:say, due 2026-06-02T09:00:00.000Z\) could not be claimed in the store: .*; it stays queued, try 2/.test(l))).toBe(true);
      now = NINE + 250;
      await runner.fireDue(); // still down: the second try fails too
      expect(calls).toEqual([]);
    } finally {
      await cluster.resume();
    }
    // Tries continue with growing pauses until the pool reconnects.
    for (let i = 0; i < 12 && calls.length === 0; i++) {
      now += 30_000;
      await runner.fireDue();
    }
    await runner.drain();
    if (calls.length === 0) console.log(logs.join("\n"));
    expect(calls).toEqual([NINE]);
    expect((await store.history("alpha", "a", 10)).map((r) => [r.due, r.outcome])).toEqual([[NINE, "ok"]]);
  }, 60_000);
});
