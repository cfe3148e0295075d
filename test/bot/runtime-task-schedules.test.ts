// Tasks a module schedules at run time take cron, exdate, rdate and lateAfter
// like task files, checked when scheduled, and fire by them.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { toRuntimeTask } from "../../src/bot/runtime-task.ts";
import { TaskRunner } from "../../src/bot/task-runner.ts";
import { createLogger } from "../../src/log/logger.ts";
import type { TaskCall } from "../../src/modules/module-types.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { tempDir } from "../store/store-fixtures.ts";

describe("toRuntimeTask with richer schedules", () => {
  test("cron without start, exceptions, extra dates and a deadline", () => {
    const t = toRuntimeTask(
      { name: "m", func: "core:say", args: ["#c", "x"], cron: "0 9 * * 1-5", exdate: ["2026-12-24", "2026-12-31T09:00:00"], rdate: ["2026-12-27T12:00:00"], lateAfter: "10m" },
      "Europe/Berlin",
    );
    expect(t.start).toBe("1970-01-01T00:00:00");
    expect(t.extras).toEqual({ cron: "0 9 * * 1-5", exdate: ["2026-12-24", "2026-12-31T09:00:00"], rdate: ["2026-12-27T12:00:00"], lateAfter: 600_000 });
    expect(t.remaining).toBe(null);
  });

  test("bad input is refused when scheduled, naming what is wrong", () => {
    const base = { name: "m", func: "core:say" };
    expect(() => toRuntimeTask({ ...base, cron: "0 25 * * *" }, "UTC")).toThrow("cron field 'hour' (2nd): 25 is out of range 0-23");
    expect(() => toRuntimeTask({ ...base, cron: "0 9 * * *", rrule: "FREQ=DAILY", start: "2026-01-01T00:00:00" }, "UTC")).toThrow("either cron or rrule");
    expect(() => toRuntimeTask({ ...base, start: "2026-01-01T09:00:00", exdate: ["24 Dec"] }, "UTC")).toThrow("exdate '24 Dec'");
    expect(() => toRuntimeTask({ ...base, start: "2026-01-01T09:00:00", rdate: ["2026-12-24"] }, "UTC")).toThrow("rdate '2026-12-24'");
    expect(() => toRuntimeTask({ ...base, start: "2026-01-01T09:00:00", lateAfter: "soon" }, "UTC")).toThrow("lateAfter 'soon'");
    expect(() => toRuntimeTask({ ...base }, "UTC")).toThrow("needs a start");
    expect(() => toRuntimeTask({ ...base, start: "2026-01-01T09:00:00", rdate: Array.from({ length: 1001 }, () => "2027-01-01T00:00:00") }, "UTC")).toThrow("at most 1000");
  });
});

describe("a module's cron task in the runner", () => {
  let tmp: { dir: string; remove(): void };
  let store: TaskStore;
  beforeEach(async () => {
    tmp = tempDir("seshet-runtime-sched-");
    store = await openStore(join(tmp.dir, "s.db"));
  });
  afterEach(async () => {
    await store.close();
    tmp.remove();
  });

  test("fires on the cron's weekdays, skipping the EXDATE", async () => {
    let now = Date.parse("2026-12-23T12:00:00Z");
    const calls: number[] = [];
    const runner = new TaskRunner({
      bot: "alpha",
      store,
      resolve: () => (c: TaskCall) => void calls.push(c.task.due),
      log: createLogger({ level: "error", write: () => {} }),
      now: () => now,
    });
    runner.addMemoryTask(toRuntimeTask({ name: "m", func: "core:say", args: ["#c", "x"], cron: "0 9 * * 1-5", exdate: ["2026-12-24"] }, "UTC"));
    expect(runner.nextDue()).toBe(Date.parse("2026-12-25T09:00:00Z"));
    now = Date.parse("2026-12-25T09:00:00Z");
    await runner.fireDue();
    await runner.drain();
    expect(calls).toEqual([now]);
    expect(runner.nextDue()).toBe(Date.parse("2026-12-28T09:00:00Z"));
  });
});
