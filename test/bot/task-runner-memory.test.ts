// What the runner holds per queued task: the row, not a compiled rule. Rules
// are compiled when a task fires or is previewed, kept in a bounded cache and
// shared by tasks with the same schedule (issue 16: a 10,000-task store must
// not grow a bot by more than 10 MB; bench/queue-bench.ts measures that).
import { afterEach, beforeEach, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { RULE_CACHE_SIZE, TaskRunner, storedKey } from "../../src/bot/task-runner.ts";
import { createLogger } from "../../src/log/logger.ts";
import { DAY, NOW, daily, tempDir } from "../store/store-fixtures.ts";

let tmp: { dir: string; remove(): void };
let store: TaskStore;
let now: number;
let fired: string[];

beforeEach(async () => {
  tmp = tempDir("seshet-runner-mem-");
  store = await openStore(join(tmp.dir, "s.db"));
  now = NOW;
  fired = [];
});

afterEach(async () => {
  await store.close();
  tmp.remove();
});

function runner(): TaskRunner {
  return new TaskRunner({
    bot: "alpha",
    store,
    resolve: () => (c) => void fired.push(c.task.name),
    log: createLogger({ level: "error" }),
    now: () => now,
  });
}

test("queued tasks hold no compiled rule until one fires; the cache stays bounded and is shared by equal schedules", async () => {
  const n = RULE_CACHE_SIZE + 200;
  // t1… each with a schedule of its own, far ahead; t0 and "twin" share the fixture's daily 09:00, due first.
  const tasks = Array.from({ length: n }, (_, i) =>
    daily(`t${i}`, { order: i, ...(i > 0 ? { start: `2030-01-01T${String(i % 24).padStart(2, "0")}:${String(Math.floor(i / 24) % 60).padStart(2, "0")}:00` } : {}) }),
  );
  tasks.push(daily("twin", { order: n }));
  await store.sync(tasks, [], now);
  const r = runner();
  await r.rebuild();
  expect(r.queue.size).toBe(n + 1);
  expect(r.compiledRules).toBe(0);

  // The first due fires: t0 and its twin (same schedule) need one compiled rule between them.
  now = r.nextDue()!;
  await r.fireDue();
  await r.drain();
  expect(fired.sort()).toEqual(["t0", "twin"]);
  expect(r.compiledRules).toBe(1);
  expect(r.queue.size).toBe(n + 1);

  // Previewing every task compiles each schedule, but the cache keeps only the most recent.
  const stored = await store.activeTasks("alpha");
  for (const t of stored) r.recurrenceOf(t);
  expect(r.compiledRules).toBe(RULE_CACHE_SIZE);
  // A task whose rule was evicted still fires at its time: compiled again when due.
  now = r.nextDue()!;
  await r.fireDue();
  await r.drain();
  expect(fired.length).toBeGreaterThan(2);
});

test("a stored task not due within a minute is queued as its head; its row is read from the store when it comes due, and it fires once", async () => {
  await store.sync([daily("d"), daily("often", { order: 1, start: "2026-01-01T00:00:00", rrule: { freq: "secondly", interval: 30 } })], [], now);
  const calls: unknown[][] = [];
  const r = new TaskRunner({ bot: "alpha", store, resolve: () => (c) => void calls.push([c.task.name, ...c.args]), log: createLogger({ level: "error" }), now: () => now });
  await r.rebuild();
  const row = (await store.getTask("alpha", "d"))!;
  expect(r.queue.get(storedKey("d"))!.value.task).toEqual({ id: row.id, name: "d", func: "core:say", nextDue: row.nextDue, order: 0 });

  // Another process moved "d" on (claimed it): the head reads the store, does not fire that occurrence, and waits for the next.
  await store.claim(row.id, row.nextDue!, now, "started", { nextDue: row.nextDue! + DAY, remaining: null });
  now = row.nextDue!;
  await r.fireDue();
  await r.drain();
  expect(calls.filter((c) => c[0] === "d")).toEqual([]);
  expect(r.queue.get(storedKey("d"))!.due).toBe(row.nextDue! + DAY);

  // Its next occurrence fires with the arguments from the store, once; then it is a head again (due a day later).
  now = row.nextDue! + DAY;
  await r.fireDue();
  await r.fireDue();
  await r.drain();
  expect(calls.filter((c) => c[0] === "d")).toEqual([["d", "#chan", "hello from d"]]);
  expect((await store.getTask("alpha", "d"))!.nextDue).toBe(row.nextDue! + 2 * DAY);
  expect(r.queue.get(storedKey("d"))!.value.task).not.toHaveProperty("args");
  // A task due again within the minute keeps its whole row: no store read before each claim.
  expect(r.queue.get(storedKey("often"))!.value.task).toHaveProperty("args", ["#chan", "hello from often"]);
});
