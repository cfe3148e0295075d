// What the runner holds per queued task: the row, not a compiled rule. Rules
// are compiled when a task fires or is previewed, kept in a bounded cache and
// shared by tasks with the same schedule (issue 16: a 10,000-task store must
// not grow a bot by more than 10 MB; bench/queue-bench.ts measures that).
import { afterEach, beforeEach, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { RULE_CACHE_SIZE, TaskRunner } from "../../src/bot/task-runner.ts";
import { createLogger } from "../../src/log/logger.ts";
import { NOW, daily, tempDir } from "../store/store-fixtures.ts";

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
