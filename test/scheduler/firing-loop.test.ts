// The firing loop on a fake clock: when it wakes, what it hands to `run`, and
// how an entry whose run throws stays queued and comes back with backoff.
import { describe, expect, test } from "bun:test";
import { CLAIM_LEAD_MS, FiringLoop, RETRY_MAX_MS, retryDelay, waitUntil, withRetries } from "../../src/scheduler/firing-loop.ts";
import type { QueueEntry } from "../../src/scheduler/task-queue.ts";
import { FakeClock } from "../support/fake-clock.ts";

function setup(opts: { failures?: Record<string, number>; canFire?: () => boolean } = {}) {
  const clock = new FakeClock();
  const runs: { key: string; at: number; attempt: number }[] = [];
  const retries: { key: string; attempt: number; delayMs: number }[] = [];
  const failures = { ...opts.failures };
  const loop = new FiringLoop<string>({
    clock,
    canFire: opts.canFire,
    run: async (entry: QueueEntry<string>, now, attempt) => {
      if ((failures[entry.key] ?? 0) > 0) {
        failures[entry.key]!--;
        throw new Error("database is locked");
      }
      runs.push({ key: entry.key, at: now, attempt });
    },
    onRetry: (entry, _error, attempt, delayMs) => retries.push({ key: entry.key, attempt, delayMs }),
  });
  /** Advances the clock and lets the async runs the timers started settle. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (let i = 0; i < 5; i++) await loop.serial(async () => {});
  };
  return { clock, loop, runs, retries, advance, t0: clock.now() };
}

describe("FiringLoop", () => {
  test("wakes CLAIM_LEAD_MS before the earliest due time and hands over entries in due, then declaration, order", async () => {
    const { loop, runs, advance, t0 } = setup();
    loop.queue.push("late", t0 + 2000, 0, "late");
    loop.queue.push("b", t0 + 1000, 1, "b");
    loop.queue.push("a", t0 + 1000, 0, "a");
    await loop.wake();
    expect(runs).toEqual([]);
    await advance(1000 - CLAIM_LEAD_MS - 1);
    expect(runs).toEqual([]);
    await advance(1);
    expect(runs.map((r) => [r.key, r.at - t0])).toEqual([
      ["a", 1000 - CLAIM_LEAD_MS],
      ["b", 1000 - CLAIM_LEAD_MS],
    ]);
    await advance(1000);
    expect(runs.map((r) => r.key)).toEqual(["a", "b", "late"]);
    expect(loop.queue.size).toBe(0);
  });

  test("a run that throws stays queued and is retried with doubling pauses until it succeeds, once", async () => {
    const { loop, runs, retries, advance, t0 } = setup({ failures: { t: 2 } });
    loop.queue.push("t", t0 + 100, 0, "t");
    await loop.wake();
    await advance(100 - CLAIM_LEAD_MS); // first try, claim-ahead: fails
    expect(runs).toEqual([]);
    expect(retries).toEqual([{ key: "t", attempt: 1, delayMs: 250 }]);
    expect(loop.queue.get("t")).toBeDefined();
    await advance(250 - CLAIM_LEAD_MS); // second try (woken a claim lead early, like any entry): fails
    expect(retries.map((r) => r.delayMs)).toEqual([250, 500]);
    await advance(500 - CLAIM_LEAD_MS - 1);
    expect(runs).toEqual([]);
    await advance(1);
    expect(runs).toEqual([{ key: "t", at: t0 + 100 - 3 * CLAIM_LEAD_MS + 750, attempt: 2 }]);
    await advance(60_000);
    expect(runs).toHaveLength(1);
  });

  test("one failing entry does not hold up the others", async () => {
    const { loop, runs, advance, t0 } = setup({ failures: { bad: 1 } });
    loop.queue.push("bad", t0 + 100, 0, "bad");
    loop.queue.push("good", t0 + 100, 1, "good");
    await loop.wake();
    await advance(100);
    expect(runs.map((r) => r.key)).toEqual(["good"]);
    await advance(250);
    expect(runs.map((r) => r.key)).toEqual(["good", "bad"]);
  });

  test("while it cannot fire nothing leaves the queue and no timer is armed", async () => {
    let ready = false;
    const { clock, loop, runs, advance, t0 } = setup({ canFire: () => ready });
    loop.queue.push("t", t0 + 100, 0, "t");
    await loop.wake();
    await advance(1000);
    expect(runs).toEqual([]);
    expect(clock.pending()).toBe(0);
    ready = true;
    await loop.wake(); // the bot's "ready" event
    expect(runs.map((r) => r.key)).toEqual(["t"]);
  });

  test("stop(): no more wakes", async () => {
    const { loop, runs, advance, t0 } = setup();
    loop.queue.push("t", t0 + 100, 0, "t");
    await loop.wake();
    await loop.stop();
    await advance(1000);
    expect(runs).toEqual([]);
  });

  test("retry pauses double up to a cap", () => {
    expect([0, 1, 2, 3].map(retryDelay)).toEqual([250, 500, 1000, 2000]);
    expect(retryDelay(50)).toBe(RETRY_MAX_MS);
  });

  test("withRetries: tries again after 250 ms, 500 ms, … and gives up with the last error after its tries", async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const t0 = clock.now();
    const failing = withRetries(async () => {
      at.push(clock.now() - t0);
      throw new Error(`try ${at.length}`);
    }, clock, 3);
    const outcome = failing.catch((e: Error) => e.message);
    for (let i = 0; i < 10; i++) {
      await Bun.sleep(0);
      clock.advance(250);
    }
    expect(await outcome).toBe("try 3");
    expect(at).toEqual([0, 250, 750]);
  });

  test("waitUntil never resolves before the instant", async () => {
    let now = 1000;
    const waiting = waitUntil(1001, () => now);
    let done = false;
    void waiting.then(() => (done = true));
    await Bun.sleep(10);
    expect(done).toBe(false);
    now = 1001;
    await waiting;
    expect(done).toBe(true);
  });
});
