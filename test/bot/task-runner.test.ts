// The task runner over a real SQLite store, with a clock the test moves.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { TaskRunner } from "../../src/bot/task-runner.ts";
import type { TaskCall, TaskFunction } from "../../src/modules/module-types.ts";
import { createLogger } from "../../src/log/logger.ts";
import { TaskError } from "../../src/bot/task-error.ts";
import { DAY, NOW, counted, daily, oneShot, tempDir } from "../store/store-fixtures.ts";

const NINE = Date.UTC(2026, 5, 2, 9); // the daily fixture's next occurrence after NOW

let tmp: { dir: string; remove(): void };
let store: TaskStore;
let now: number;
let calls: { name: string; due: number; args: unknown[] }[];
let logs: string[];
let functions: Record<string, TaskFunction>;

function runner(s: TaskStore = store): TaskRunner {
  return new TaskRunner({
    bot: "alpha",
    store: s,
    resolve: (ref) => functions[ref],
    log: createLogger({ level: "debug", write: (l) => logs.push(l) }),
    now: () => now,
  });
}

beforeEach(async () => {
  tmp = tempDir("seshet-runner-");
  store = await openStore(join(tmp.dir, "s.db"));
  now = NOW;
  calls = [];
  logs = [];
  const record = (c: TaskCall) => void calls.push({ name: c.task.name, due: c.task.due, args: c.args });
  functions = { "core:say": record };
});

afterEach(async () => {
  await store.close();
  tmp.remove();
});

describe("TaskRunner", () => {
  test("fires a due task once, records the run, and queues the next occurrence", async () => {
    await store.sync([daily("a")], [], now);
    const r = runner();
    await r.rebuild();
    expect(r.nextDue()).toBe(NINE);
    await r.fireDue();
    expect(calls).toEqual([]);
    now = NINE;
    await r.fireDue();
    await r.fireDue();
    await r.drain();
    expect(calls).toEqual([{ name: "a", due: NINE, args: ["#chan", "hello from a"] }]);
    expect(r.nextDue()).toBe(NINE + DAY);
    const runs = await store.history("alpha", "a", 10);
    expect(runs.map((x) => [x.due, x.outcome])).toEqual([[NINE, "ok"]]);
    expect((await store.getTask("alpha", "a"))?.nextDue).toBe(NINE + DAY);
  });

  test("claims a little ahead but never calls the function before the due instant", async () => {
    await store.sync([daily("a")], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE - 10; // inside the claim lead: claimed now, fired when the clock reaches NINE
    const firing = r.fireDue();
    await Bun.sleep(30);
    expect(calls).toEqual([]);
    now = NINE;
    await firing;
    expect(calls.map((c) => c.due)).toEqual([NINE]);
  });

  test("tasks due at the same instant fire in declaration order", async () => {
    await store.sync([daily("third", { order: 2 }), daily("first", { order: 0 }), daily("second", { order: 1 })], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE;
    await r.fireDue();
    expect(calls.map((c) => c.name)).toEqual(["first", "second", "third"]);
  });

  test("an unknown function is recorded as an error; the task leaves the queue but stays in the store", async () => {
    await store.sync([daily("a", { func: "nope:missing" })], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE;
    await r.fireDue();
    expect(calls).toEqual([]);
    expect(r.queue.size).toBe(0);
    const runs = await store.history("alpha", "a", 10);
    expect(runs[0]?.outcome).toBe("error");
    expect(runs[0]?.error).toContain("nope:missing");
    const stored = await store.getTask("alpha", "a");
    expect([stored?.state, stored?.nextDue]).toEqual(["active", NINE]);
    // Once the module is there and the queue rebuilt, the missed run fires per catchup.
    functions["nope:missing"] = (c) => void calls.push({ name: c.task.name, due: c.task.due, args: [] });
    now = NINE + 5 * 60_000;
    await r.rebuild();
    await r.fireDue();
    expect(calls.map((c) => c.due)).toEqual([NINE]);
  });

  test("a failing task function is recorded as an error and the task goes on", async () => {
    functions["core:say"] = () => {
      throw new Error("no such channel");
    };
    await store.sync([daily("a")], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE;
    await r.fireDue();
    await r.drain();
    const runs = await store.history("alpha", "a", 10);
    expect([runs[0]?.outcome, runs[0]?.error]).toEqual(["error", "no such channel"]);
    expect(r.nextDue()).toBe(NINE + DAY);
  });

  // Each gap of missed occurrences the policy drops is one `skipped` run, due
  // at the first of them, saying how many: skip drops all three, once the two
  // after the one it fires, all none.
  test.each([
    ["skip", [], [NINE, "3 missed occurrences skipped"]],
    ["once", [NINE], [NINE + DAY, "2 missed occurrences skipped"]],
    ["all", [NINE, NINE + DAY, NINE + 2 * DAY], null],
  ] as const)("missed runs with catchup = %s: fired, and skipped rows recorded", async (catchup, fired, skippedRow) => {
    await store.sync([daily("a", { catchup })], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE + 2 * DAY + HOURS(3); // down for three occurrences
    await r.fireDue();
    await r.drain();
    expect(calls.map((c) => c.due)).toEqual([...fired]);
    expect(r.nextDue()).toBe(NINE + 3 * DAY);
    const runs = await store.history("alpha", "a", 10);
    expect(runs.filter((x) => x.outcome === "ok").map((x) => x.due).sort()).toEqual([...fired]);
    const skipped = runs.filter((x) => x.outcome === "skipped").map((x) => [x.due, x.error]);
    expect(skipped).toEqual(skippedRow === null ? [] : [[...skippedRow]]);
    expect(runs.length).toBe(fired.length + skipped.length);
  });

  test("a counted task missed while down: fired and skipped occurrences both use up the count", async () => {
    await store.sync([counted("c", { catchup: "once" })], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE + DAY + HOURS(3); // missed both of its two occurrences
    await r.fireDue();
    await r.drain();
    expect(calls.map((c) => c.due)).toEqual([NINE]);
    const t = await store.getTask("alpha", "c");
    expect([t?.remaining, t?.state, t?.nextDue]).toEqual([0, "done", null]);
    const runs = await store.history("alpha", "c", 10);
    expect(runs.map((x) => [x.due, x.outcome])).toEqual([[NINE + DAY, "skipped"], [NINE, "ok"]]);
  });

  test("a count runs out: remaining goes to zero and the task is done", async () => {
    await store.sync([counted("c")], [], now);
    const r = runner();
    await r.rebuild();
    for (let i = 0; i < 2; i++) {
      now = NINE + i * DAY;
      await r.fireDue();
    }
    await r.drain();
    expect(calls.length).toBe(2);
    const t = await store.getTask("alpha", "c");
    expect([t?.remaining, t?.state, t?.nextDue]).toEqual([0, "done", null]);
    expect(r.queue.size).toBe(0);
  });

  // Two processes with the same queue (across processes, see test/store's claim race).
  test("a runner whose queue is stale never fires an occurrence another already claimed", async () => {
    await store.sync([oneShot("o")], [], now);
    const other = await openStore(join(tmp.dir, "s.db"));
    try {
      const a = runner();
      const b = runner(other);
      await a.rebuild();
      await b.rebuild();
      now = Date.UTC(2026, 5, 10, 8);
      await a.fireDue();
      await a.drain(); // one thread: a's "finish" must not hold the write lock while b claims
      await b.fireDue();
      expect(calls.length).toBe(1);
      // b queued only the task's head: reading the row before its claim, it finds the occurrence taken and drops it.
      expect(b.queue.size).toBe(0);
    } finally {
      await other.close();
    }
  });

  test("a whole queued task (due again within the minute) whose occurrence another runner claimed is not fired again", async () => {
    await store.sync([daily("s", { start: "2026-01-01T00:00:00", rrule: { freq: "secondly", interval: 30 } })], [], now);
    const other = await openStore(join(tmp.dir, "s.db"));
    try {
      const a = runner();
      const b = runner(other);
      await a.rebuild();
      await b.rebuild();
      const first = a.nextDue()!;
      now = first;
      await a.fireDue();
      await a.drain();
      await b.fireDue(); // b reads the row (its head) and finds that occurrence taken: queued whole for the next
      expect(b.queue.get("stored:s")!.value.task).toHaveProperty("args");
      now = first + 30_000;
      await a.fireDue();
      await a.drain();
      await b.fireDue(); // b's whole task goes straight to the claim, which the store refuses
      expect(calls.map((c) => c.due)).toEqual([first, first + 30_000]);
      expect(logs.some((l) => l.includes("already claimed"))).toBe(true);
    } finally {
      await other.close();
    }
  });

  test("in-memory tasks run like any other and never touch the store", async () => {
    const r = runner();
    r.addMemoryTask({
      name: "mem", func: "core:say", args: ["#x", "hi"], kwargs: {}, start: "2026-06-01T12:00:30", tz: "UTC",
      rrule: null, catchup: "once", remaining: null, nextDue: null, order: 0,
    });
    await r.rebuild(); // a rebuild from the store keeps memory tasks
    expect(r.nextDue()).toBe(NOW + 30_000);
    now = NOW + 30_000;
    await r.fireDue();
    expect(calls.map((c) => c.name)).toEqual(["mem"]);
    expect(r.queue.size).toBe(0);
    expect(await store.listTasks()).toEqual([]);
  });

  describe("store errors while claiming", () => {
    /** The real store, whose claim throws `failures` times (as a locked or full disk, or a restarting server, would). */
    function flakyStore(failures: number, opts: { commitThenThrow?: boolean } = {}): TaskStore {
      return new Proxy(store, {
        get(target, prop, receiver) {
          if (prop !== "claim") {
            const value = Reflect.get(target, prop, receiver);
            return typeof value === "function" ? value.bind(target) : value;
          }
          return async (...args: Parameters<TaskStore["claim"]>) => {
            if (failures > 0) {
              failures--;
              if (opts.commitThenThrow) await target.claim(...args);
              throw new Error("database is locked");
            }
            return target.claim(...args);
          };
        },
      });
    }

    test("a store that fails twice then recovers: the task stays queued, is retried with backoff, and fires once", async () => {
      await store.sync([daily("a")], [], now);
      const r = runner(flakyStore(2));
      await r.rebuild();
      now = NINE;
      await r.fireDue();
      expect(calls).toEqual([]);
      expect(r.queue.get("stored:a")).toBeDefined();
      expect(logs.some((l) => /WARN .*task 'a' \(core:say, due 2026-06-02T09:00:00.000Z\) could not be claimed in the store: database is locked; it stays queued, try 2 in 0.25 s/.test(l))).toBe(true);
      now = NINE + 250;
      await r.fireDue();
      expect(calls).toEqual([]);
      expect(logs.some((l) => l.includes("try 3 in 0.50 s"))).toBe(true);
      now = NINE + 750;
      await r.fireDue();
      await r.drain();
      expect(calls.map((c) => c.due)).toEqual([NINE]);
      now = NINE + 60_000;
      await r.fireDue();
      await r.drain();
      expect(calls).toHaveLength(1);
      expect((await store.history("alpha", "a", 10)).map((x) => [x.due, x.outcome])).toEqual([[NINE, "ok"]]);
      expect(r.nextDue()).toBe(NINE + DAY);
    });

    test("recording the outcome survives a brief store error: the run ends ok, not interrupted", async () => {
      let failures = 2;
      const flakyFinish = new Proxy(store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== "finish") return typeof value === "function" ? value.bind(target) : value;
          return async (...args: Parameters<TaskStore["finish"]>) => {
            if (failures-- > 0) throw new Error("database is locked");
            return target.finish(...args);
          };
        },
      });
      await store.sync([daily("a")], [], now);
      const r = runner(flakyFinish);
      await r.rebuild();
      now = NINE;
      await r.fireDue();
      await r.drain();
      expect(calls).toHaveLength(1);
      expect((await store.history("alpha", "a", 10)).map((x) => x.outcome)).toEqual(["ok"]);
      expect(logs.some((l) => l.includes("its end was not recorded"))).toBe(false);
    });

    test("a claim that committed but reported an error is not fired twice: the retry reads the store first", async () => {
      await store.sync([daily("a")], [], now);
      const r = runner(flakyStore(1, { commitThenThrow: true }));
      await r.rebuild();
      now = NINE;
      await r.fireDue();
      now = NINE + 250;
      await r.fireDue();
      await r.drain();
      expect(calls).toEqual([]);
      expect(r.nextDue()).toBe(NINE + DAY);
    });
  });

  test("errors while firing reach one hook as a TaskError naming bot, task, function and due time, with the cause", async () => {
    const boom = new Error("no such channel");
    functions["core:say"] = async () => {
      throw boom;
    };
    await store.sync([daily("a")], [], now);
    const reported: TaskError[] = [];
    const r = new TaskRunner({ bot: "alpha", store, resolve: (ref) => functions[ref], log: createLogger({ write: (l) => logs.push(l) }), now: () => now, onError: (e) => reported.push(e) });
    await r.rebuild();
    now = NINE;
    await r.fireDue();
    await r.drain();
    expect(reported).toHaveLength(1);
    const e = reported[0]!;
    expect(e).toBeInstanceOf(TaskError);
    expect([e.bot, e.task, e.func, e.due, e.phase, e.cause]).toEqual(["alpha", "a", "core:say", NINE, "call", boom]);
    expect(e.message).toBe("task 'a' (core:say, due 2026-06-02T09:00:00.000Z) failed: no such channel");
  });

  test("without a hook, a failing task is logged with its due time and the stack of the cause", async () => {
    functions["core:say"] = function sayButBroken() {
      throw new Error("no such channel");
    };
    await store.sync([daily("a")], [], now);
    const r = runner();
    await r.rebuild();
    now = NINE;
    await r.fireDue();
    await r.drain();
    const text = logs.join("\n");
    expect(text).toMatch(/ERROR .*task 'a' \(core:say, due 2026-06-02T09:00:00.000Z\) failed: no such channel/);
    expect(text).toMatch(/caused by: Error: no such channel\n\s+at sayButBroken/);
  });
});

function HOURS(n: number): number {
  return n * 3_600_000;
}
