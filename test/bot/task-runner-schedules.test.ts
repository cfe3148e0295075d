// The task runner with richer schedules, over a real SQLite store and a clock
// the test moves: EXDATE, a reminder before each occurrence, late_after.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { bindTasks } from "../../src/config/bind-tasks.ts";
import type { BotConfig } from "../../src/config/config-types.ts";
import { parseTaskFile } from "../../src/config/parse-task-file.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { TaskRunner } from "../../src/bot/task-runner.ts";
import type { TaskCall } from "../../src/modules/module-types.ts";
import { createLogger } from "../../src/log/logger.ts";
import { DAY, NOW, daily, tempDir } from "../store/store-fixtures.ts";

const NINE = Date.UTC(2026, 5, 2, 9);
const MIN = 60_000;

let tmp: { dir: string; remove(): void };
let store: TaskStore;
let now: number;
let calls: { name: string; due: number; args: unknown[] }[];

function runner(): TaskRunner {
  return new TaskRunner({
    bot: "alpha",
    store,
    resolve: (ref) => (ref === "core:say" ? (c: TaskCall) => void calls.push({ name: c.task.name, due: c.task.due, args: c.args }) : undefined),
    log: createLogger({ level: "error", write: () => {} }),
    now: () => now,
  });
}

async function advance(r: TaskRunner, to: number): Promise<void> {
  now = to;
  await r.fireDue();
  await r.drain();
}

beforeEach(async () => {
  tmp = tempDir("seshet-sched-runner-");
  store = await openStore(join(tmp.dir, "s.db"));
  now = NOW;
  calls = [];
});

afterEach(async () => {
  await store.close();
  tmp.remove();
});

describe("TaskRunner with EXDATE, reminders and late_after", () => {
  test("an excluded day is not fired; the next day is", async () => {
    await store.sync([daily("a", { extras: { exdate: ["2026-06-02"] } })], [], now);
    const r = runner();
    await r.rebuild();
    expect(r.nextDue()).toBe(NINE + DAY);
    await advance(r, NINE);
    expect(calls).toEqual([]);
    await advance(r, NINE + DAY);
    expect(calls.map((c) => c.due)).toEqual([NINE + DAY]);
  });

  test("a reminder from a task file fires before each occurrence with its own text, and shares the exceptions", async () => {
    const text = `[[task]]\nname = "meet"\nfunc = "core:say"\nargs = ["#c", "meeting now"]\nstart = 2026-06-01T09:00:00\n` +
      `rrule = "FREQ=DAILY"\nexdate = [2026-06-02]\nbefore = [{ offset = "15m", args = ["#c", "meeting in 15 minutes"] }]\n`;
    const parsed = parseTaskFile("tasks/m.toml", text, null);
    expect(parsed.issues).toEqual([]);
    await store.sync(bindTasks([{ name: "alpha", tz: "UTC" } as BotConfig], parsed.tasks), [], now);
    const r = runner();
    await r.rebuild();
    await advance(r, NINE - 15 * MIN);
    await advance(r, NINE);
    expect(calls).toEqual([]);
    await advance(r, NINE + DAY - 15 * MIN);
    await advance(r, NINE + DAY);
    expect(calls.map((c) => [c.name, c.args[1], c.due])).toEqual([
      ["meet@-15m", "meeting in 15 minutes", NINE + DAY - 15 * MIN],
      ["meet", "meeting now", NINE + DAY],
    ]);
  });

  test("a run found later than late_after is skipped and recorded, not fired, whatever the catchup", async () => {
    await store.sync([daily("a", { catchup: "all", extras: { lateAfter: 10 * MIN } })], [], now);
    const r = runner();
    await r.rebuild();
    await advance(r, NINE + 30 * MIN); // the bot was down over 09:00
    expect(calls).toEqual([]);
    const runs = await store.history("alpha", "a", 10);
    expect(runs.map((x) => [x.due, x.outcome])).toEqual([[NINE, "skipped"]]);
    expect(r.nextDue()).toBe(NINE + DAY);
    await advance(r, NINE + DAY + 5 * MIN); // late, but within the deadline: fires
    expect(calls.map((c) => c.due)).toEqual([NINE + DAY]);
  });
});

describe("catch-up over a recurrence set", () => {
  test("catchup 'all' after three days down fires the missed runs the EXDATE left, no more", async () => {
    await store.sync([daily("a", { catchup: "all", extras: { exdate: ["2026-06-03"], rdate: ["2026-06-03T15:00:00"] } })], [], now);
    const r = runner();
    await r.rebuild();
    await advance(r, NINE + 3 * DAY + 60 * MIN); // down from before June 2 09:00 to June 5 10:00
    expect(calls.map((c) => new Date(c.due).toISOString())).toEqual([
      "2026-06-02T09:00:00.000Z",
      "2026-06-04T09:00:00.000Z",
      "2026-06-05T09:00:00.000Z",
    ]);
    expect(r.nextDue()).toBe(NINE + 4 * DAY);
  });
});
