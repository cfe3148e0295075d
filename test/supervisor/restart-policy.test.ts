import { describe, expect, test } from "bun:test";
import { BACKOFF_MAX_MS, CRASH_LIMIT, CRASH_WINDOW_MS, RestartPolicy, STABLE_AFTER_MS } from "../../src/supervisor/restart-policy.ts";
import { FakeClock } from "../support/fake-clock.ts";

const delays = (p: RestartPolicy, clock: FakeClock, n: number, upFor = 0) =>
  Array.from({ length: n }, () => {
    p.started();
    clock.advance(upFor);
    const d = p.exited();
    clock.advance(CRASH_WINDOW_MS); // spread out: never a crash loop
    return d.restart ? d.delayMs : -1;
  });

describe("RestartPolicy", () => {
  test("backoff doubles from 1 s up to the cap", () => {
    const clock = new FakeClock();
    const p = new RestartPolicy(clock.now, () => 0.5);
    expect(delays(p, clock, 8)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
  });

  test("jitter stays within ±20 %", () => {
    const clock = new FakeClock();
    expect(delays(new RestartPolicy(clock.now, () => 0), clock, 1)).toEqual([800]);
    expect(delays(new RestartPolicy(clock.now, () => 0.999999), clock, 1)).toEqual([1200]);
  });

  test("a child that stayed up long enough starts again from 1 s", () => {
    const clock = new FakeClock();
    const p = new RestartPolicy(clock.now, () => 0.5);
    expect(delays(p, clock, 3)).toEqual([1000, 2000, 4000]);
    expect(delays(p, clock, 1, STABLE_AFTER_MS + 1)).toEqual([1000]);
  });

  test(`${CRASH_LIMIT} crashes within the window give up; spread out they do not`, () => {
    const clock = new FakeClock();
    const p = new RestartPolicy(clock.now, () => 0.5);
    for (let i = 1; i < CRASH_LIMIT; i++) {
      p.started();
      expect(p.exited().restart).toBe(true);
      clock.advance(1000);
    }
    p.started();
    expect(p.exited()).toEqual({ restart: false, crashes: CRASH_LIMIT });
    p.reset();
    p.started();
    expect(p.exited()).toEqual({ restart: true, delayMs: 1000 });
  });
});
