// Counting occurrences without walking them (issue 12: a huge `count` must
// not hang): the counter agrees with a plain walk on a seeded corpus of
// rules, and the limits of a rule are found in bounded time whatever the count.
import { describe, expect, test } from "bun:test";
import type { RuleParts, WeekdaySpec } from "../../src/scheduler/rule-parts.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { Expander } from "../../src/scheduler/recurrence/expander.ts";
import { floatingFromLocal, parseLocal } from "../../src/scheduler/zoned-time.ts";

/** mulberry32: a small seeded generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FREQS = ["yearly", "monthly", "weekly", "daily", "hourly", "minutely", "secondly"] as const;

function randomRule(rand: () => number): { rule: RuleParts; start: string } {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const some = (lo: number, hi: number, n: number) => {
    const out = new Set<number>();
    for (let i = 0; i < n; i++) out.add(lo + Math.floor(rand() * (hi - lo + 1)));
    return [...out].filter((v) => v !== 0);
  };
  const freq = pick(FREQS);
  const rule: RuleParts = { freq, interval: pick([1, 1, 1, 2, 3, 7, 11, 13]) };
  const sub = freq === "hourly" || freq === "minutely" || freq === "secondly";
  if (rand() < 0.3) rule.bymonth = some(1, 12, 3);
  if (rand() < 0.3) rule.bymonthday = some(-31, 31, 3);
  if (rand() < 0.3) {
    const nth = (freq === "monthly" || freq === "yearly") && rand() < 0.5;
    rule.byweekday = some(0, 6, 3).concat(rand() < 0.3 ? [0] : []).map((d) => {
      const w: WeekdaySpec = { day: (d % 7) as WeekdaySpec["day"] };
      if (nth) w.n = pick([1, 2, -1, 3]);
      return w;
    });
  }
  if (freq === "yearly" && rand() < 0.2) rule.byweekno = some(-53, 53, 2);
  if (freq === "yearly" && rand() < 0.2) rule.byyearday = some(-366, 366, 3);
  if (rand() < 0.2) rule.bysetpos = some(-3, 3, 2);
  // Sub-daily rules get masks often, so a walk can cover many years.
  if (rand() < (sub ? 0.8 : 0.3)) rule.byhour = some(0, 23, 2);
  if (rand() < (sub ? 0.8 : 0.3)) rule.byminute = some(0, 59, 2);
  if (rand() < (sub ? 0.8 : 0.2)) rule.bysecond = some(0, 59, 2);
  const y = 1990 + Math.floor(rand() * 40);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const start = `${y}-${p2(1 + Math.floor(rand() * 12))}-${p2(1 + Math.floor(rand() * 28))}T${p2(Math.floor(rand() * 24))}:${p2(Math.floor(rand() * 60))}:${p2(Math.floor(rand() * 60))}`;
  return { rule, start };
}

describe("occurrence counter", () => {
  test("agrees with walking, on 200 seeded rules", () => {
    const rand = rng(1212);
    const failures: string[] = [];
    for (let c = 0; c < 200; c++) {
      const { rule, start } = randomRule(rand);
      const w0 = floatingFromLocal(parseLocal(start)!);
      const ex = new Expander(rule, w0);
      // Walk up to 20,000 candidates, checking the count at each and between.
      let n = 0;
      let w = ex.firstAtOrAfter(w0);
      let steps = 0;
      while (w !== null && steps < 3_000) {
        n++;
        steps++;
        if (steps % 97 === 1) {
          const got = [ex.countUpTo(w - 1), ex.countUpTo(w), ex.countUpTo(w + 500)];
          if (got[0] !== n - 1 || got[1] !== n || got[2] !== n) {
            failures.push(`#${c} ${start} ${JSON.stringify(rule)} at candidate ${n} (${new Date(w).toISOString()}): got ${got}`);
            break;
          }
        }
        const nw = ex.firstAtOrAfter(w + 1);
        if (nw !== null && steps === 2_999 && ex.countUpTo(nw - 1) !== n) failures.push(`#${c} before ${nw}`);
        w = nw;
      }
      if (w === null && n > 0 && ex.countUpTo(Date.UTC(9999, 11, 31)) !== n) {
        failures.push(`#${c} ${start} ${JSON.stringify(rule)}: total ${ex.countUpTo(Date.UTC(9999, 11, 31))}, walked ${n}`);
      }
      // The n-th candidate by counting equals the n-th by walking.
      for (const k of [1, 2, Math.max(1, Math.floor(n / 2)), n]) {
        if (n === 0) break;
        const walked = ex.nthCandidate(k, Infinity);
        const counted = ex.nthCandidate(k, Infinity, 0);
        if (walked !== counted) failures.push(`#${c} ${start} ${JSON.stringify(rule)}: nth(${k}) walked ${walked}, counted ${counted}`);
      }
    }
    expect(failures.slice(0, 5).join("\n")).toBe("");
  }, 60_000);

  test("rules with huge intervals (few periods before year 10000) agree with walking", () => {
    const rules: RuleParts[] = [
      { freq: "minutely", interval: 999_983 },
      { freq: "hourly", interval: 99_991, byhour: [3, 4, 5, 6, 7, 8] },
      { freq: "secondly", interval: 9_007_199_254_740_991 },
      { freq: "secondly", interval: 86_400 * 400, bymonth: [1, 2, 3] },
    ];
    for (const rule of rules) {
      const ex = new Expander(rule, Date.UTC(2000, 0, 1, 0, 0, 7));
      let n = 0;
      for (let w = ex.firstAtOrAfter(0); w !== null && n < 3000; w = ex.firstAtOrAfter(w + 1)) {
        n++;
        expect([ex.countUpTo(w - 1), ex.countUpTo(w)]).toEqual([n - 1, n]);
      }
      if (n > 0) expect(ex.nthCandidate(n, Infinity, 0)).toBe(ex.nthCandidate(n, Infinity));
    }
  });

  test("a rule that never matches counts nothing", () => {
    const ex = new Expander({ freq: "yearly", interval: 1, bymonth: [2], bymonthday: [30] }, Date.UTC(2026, 0, 1));
    expect(ex.countUpTo(Date.UTC(9000, 0, 1))).toBe(0);
    expect(ex.nthCandidate(1e15, Infinity)).toBeNull();
  });
});

describe("counting around UTC offset changes", () => {
  test("the counted path agrees with the walked one across gaps and overlaps", () => {
    const cases = [
      { tz: "Europe/Berlin", start: "2026-03-28T22:00:00", rule: { freq: "minutely", interval: 10 } as RuleParts },
      { tz: "Europe/Berlin", start: "2026-10-24T22:00:00", rule: { freq: "minutely", interval: 10 } as RuleParts },
      { tz: "Australia/Lord_Howe", start: "2026-10-03T22:00:00", rule: { freq: "minutely", interval: 15 } as RuleParts },
      { tz: "America/Sao_Paulo", start: "2018-11-03T20:00:00", rule: { freq: "hourly", interval: 1, byminute: [0, 30] } as RuleParts },
    ];
    for (const { tz, start, rule } of cases) {
      const walked = compileSchedule({ start, tz, rule: { ...rule, count: 1000 } });
      const counted = compileSchedule({ start, tz, rule: { ...rule, count: 1_000_000_000 } });
      const t0 = walked.next(0)!;
      for (let t = t0 - 60_000; t < t0 + 30 * 3_600_000; t += 7 * 60_000) {
        expect(`${tz} ${new Date(t).toISOString()} ${counted.countBefore(t)}`).toBe(`${tz} ${new Date(t).toISOString()} ${walked.countBefore(t)}`);
      }
    }
  });
});

describe("a huge count answers at once (it used to walk occurrence by occurrence)", () => {
  const HUGE = 9_007_199_254_740_991;
  const rules: { name: string; rule: RuleParts; start: string }[] = [
    { name: "secondly", rule: { freq: "secondly", interval: 1, count: HUGE }, start: "2016-01-01T00:00:00" },
    { name: "secondly every 11 s", rule: { freq: "secondly", interval: 11, count: HUGE }, start: "2026-01-01T00:00:00" },
    { name: "minutely in office hours", rule: { freq: "minutely", interval: 1, byhour: [9, 10, 11], byweekday: [{ day: 0 }, { day: 4 }], count: HUGE }, start: "1970-01-01T00:00:00" },
    { name: "daily", rule: { freq: "daily", interval: 1, count: HUGE }, start: "1900-01-01T09:00:00" },
    { name: "last weekday of the month", rule: { freq: "monthly", interval: 1, byweekday: [0, 1, 2, 3, 4].map((d) => ({ day: d as 0 })), bysetpos: [-1], count: HUGE }, start: "2000-01-01T17:00:00" },
  ];
  for (const { name, rule, start } of rules) {
    test(name, () => {
      const rec = compileSchedule({ start, tz: "Europe/Berlin", rule });
      const now = Date.UTC(2026, 11, 1, 1, 0, 0);
      const next = rec.next(now);
      expect(next).not.toBeNull();
      expect(next!).toBeGreaterThan(now);
      const before = rec.countBefore(next!);
      expect(before).toBeGreaterThan(0);
      // One more occurrence is counted once the next one has passed.
      expect(rec.countBefore(next! + 1)).toBe(before + 1);
    }, 5_000);
  }

  test("secondly: the count before a moment is the seconds elapsed, across DST changes", () => {
    const rec = compileSchedule({ start: "2016-01-01T00:00:00", tz: "UTC", rule: { freq: "secondly", interval: 1, count: HUGE } });
    const t = Date.UTC(2026, 5, 1);
    expect(rec.countBefore(t)).toBe((t - Date.UTC(2016, 0, 1)) / 1000);
    const limited = compileSchedule({ start: "2016-01-01T00:00:00", tz: "UTC", rule: { freq: "secondly", interval: 1, count: 100_000_000 } });
    expect(limited.next(t)).toBeNull();
    expect(limited.countBefore(t)).toBe(100_000_000);
    expect(limited.next(Date.UTC(2016, 0, 1) + 99_999_998_000)).toBe(Date.UTC(2016, 0, 1) + 99_999_999_000);
  }, 5_000);
});
