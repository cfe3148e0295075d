import { describe, expect, test } from "bun:test";
import { DueTimer, MAX_SLEEP_MS } from "../../src/scheduler/due-timer.ts";
import { FakeClock } from "../support/fake-clock.ts";

function setup() {
  const clock = new FakeClock();
  const wakes: number[] = [];
  const timer = new DueTimer(() => wakes.push(clock.now()), clock);
  return { clock, wakes, timer, t0: clock.now() };
}

describe("DueTimer", () => {
  test("wakes at the armed instant, not before", () => {
    const { clock, wakes, timer, t0 } = setup();
    timer.arm(t0 + 500);
    clock.advance(499);
    expect(wakes).toEqual([]);
    clock.advance(1);
    expect(wakes).toEqual([t0 + 500]);
    expect(timer.armedFor).toBeUndefined();
  });

  test("an earlier time re-arms; a later one keeps the earlier wake", () => {
    const { clock, wakes, timer, t0 } = setup();
    timer.arm(t0 + 1000);
    timer.arm(t0 + 300);
    timer.arm(t0 + 2000);
    expect(timer.armedFor).toBe(t0 + 300);
    clock.advance(3000);
    expect(wakes).toEqual([t0 + 300]);
    expect(clock.pending()).toBe(0);
  });

  test(`sleeps at most ${MAX_SLEEP_MS / 1000} s, so a clock jump is noticed`, () => {
    const { clock, wakes, timer, t0 } = setup();
    timer.arm(t0 + 10 * 60_000);
    clock.advance(MAX_SLEEP_MS);
    expect(wakes).toEqual([t0 + MAX_SLEEP_MS]);
  });

  test("a due time already past wakes at once", () => {
    const { clock, wakes, timer, t0 } = setup();
    timer.arm(t0 - 5000);
    clock.advance(0);
    expect(wakes).toEqual([t0]);
  });

  test("cancel, and arm(undefined), stop the wake", () => {
    const { clock, wakes, timer, t0 } = setup();
    timer.arm(t0 + 100);
    timer.cancel();
    timer.arm(t0 + 200);
    timer.arm(undefined);
    clock.advance(1000);
    expect(wakes).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});
