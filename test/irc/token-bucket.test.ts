import { expect, test } from "bun:test";
import { TokenBuckets } from "../../src/irc/token-bucket.ts";

test("burst, refill at the rate, never beyond the burst; whole tokens only", () => {
  let now = 0;
  const b = new TokenBuckets({ burst: 3, perSecond: 0.5, now: () => now });
  expect(b.take("k", 5)).toBe(3);
  expect(b.take("k")).toBe(0);
  expect(b.msUntilToken("k")).toBe(2000);
  now += 1999;
  expect(b.available("k")).toBe(0);
  now += 1;
  expect(b.available("k")).toBe(1);
  now += 3_600_000;
  expect(b.available("k")).toBe(3);
});

test("one refusal report per spell of an empty bucket", () => {
  let now = 0;
  const b = new TokenBuckets({ burst: 1, perSecond: 1, now: () => now });
  b.take("k");
  expect([b.firstRefusal("k"), b.firstRefusal("k")]).toEqual([true, false]);
  now += 1000;
  b.take("k");
  expect(b.firstRefusal("k")).toBe(true);
});

test("memory stays bounded however many senders there are", () => {
  let now = 0;
  const b = new TokenBuckets({ burst: 5, perSecond: 1, now: () => now, maxKeys: 100 });
  let largest = 0;
  for (let i = 0; i < 10_000; i++) {
    b.take(`host${i}`);
    largest = Math.max(largest, b.size);
    now += 1;
  }
  expect(largest).toBeLessThanOrEqual(100);
  expect(b.size).toBeGreaterThan(0);
});
