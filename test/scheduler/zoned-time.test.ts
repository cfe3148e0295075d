import { describe, expect, test } from "bun:test";
import {
  formatInstant, formatLocal, instantToLocal, isValidTimeZone, localToInstant, offsetAt, parseLocal,
} from "../../src/scheduler/zoned-time.ts";

const iso = (ms: number) => new Date(ms).toISOString();

describe("parseLocal / formatLocal", () => {
  test("accepts the three forms", () => {
    expect(parseLocal("2026-03-29T09:05:07")).toEqual({ year: 2026, month: 3, day: 29, hour: 9, minute: 5, second: 7 });
    expect(parseLocal("2026-03-29T09:05")).toEqual({ year: 2026, month: 3, day: 29, hour: 9, minute: 5, second: 0 });
    expect(parseLocal("2026-03-29")).toEqual({ year: 2026, month: 3, day: 29, hour: 0, minute: 0, second: 0 });
  });
  test("rejects impossible dates and other shapes", () => {
    for (const s of ["2026-02-29", "2026-13-01", "2026-01-01T24:00", "2026-01-01T10:60", "2026-1-1", "tomorrow", "2026-03-29T09:00:00Z"]) {
      expect(parseLocal(s)).toBeNull();
    }
    expect(parseLocal("2024-02-29")).not.toBeNull();
  });
  test("formatLocal pads", () => {
    expect(formatLocal({ year: 2026, month: 3, day: 9, hour: 7, minute: 5, second: 0 })).toBe("2026-03-09T07:05:00");
  });
});

describe("isValidTimeZone", () => {
  test("IANA names", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("localToInstant", () => {
  test("ordinary times", () => {
    expect(iso(localToInstant("2026-07-01T12:00:00", "Europe/Berlin"))).toBe("2026-07-01T10:00:00.000Z");
    expect(iso(localToInstant("2026-01-01T12:00:00", "Europe/Berlin"))).toBe("2026-01-01T11:00:00.000Z");
    expect(iso(localToInstant("2026-07-01T12:00:00", "Asia/Kolkata"))).toBe("2026-07-01T06:30:00.000Z");
    expect(iso(localToInstant("2026-07-01T12:00:00", "UTC"))).toBe("2026-07-01T12:00:00.000Z");
  });
  test("spring-forward gap moves forward by the gap (RFC 5545)", () => {
    // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST; 02:30 is read as 02:30+01:00.
    expect(formatInstant(localToInstant("2026-03-29T02:30:00", "Europe/Berlin"), "Europe/Berlin")).toBe("2026-03-29T03:30:00+02:00");
    // New York 2026-03-08 02:00 EST -> 03:00 EDT.
    expect(formatInstant(localToInstant("2026-03-08T02:15:00", "America/New_York"), "America/New_York")).toBe("2026-03-08T03:15:00-04:00");
    // Lord Howe 2026-10-04 02:00 -> 02:30 (30-minute shift).
    expect(formatInstant(localToInstant("2026-10-04T02:10:00", "Australia/Lord_Howe"), "Australia/Lord_Howe")).toBe("2026-10-04T02:40:00+11:00");
  });
  test("fall-back overlap takes the first instant", () => {
    expect(formatInstant(localToInstant("2026-10-25T02:30:00", "Europe/Berlin"), "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
    expect(formatInstant(localToInstant("2026-10-25T03:00:00", "Europe/Berlin"), "Europe/Berlin")).toBe("2026-10-25T03:00:00+01:00");
    expect(formatInstant(localToInstant("2026-11-01T01:30:00", "America/New_York"), "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    expect(formatInstant(localToInstant("2026-04-05T01:45:00", "Australia/Lord_Howe"), "Australia/Lord_Howe")).toBe("2026-04-05T01:45:00+11:00");
  });
  test("throws on bad input", () => {
    expect(() => localToInstant("nope", "UTC")).toThrow();
    expect(() => localToInstant("2026-01-01", "Nowhere/City")).toThrow();
  });
});

describe("instantToLocal / formatInstant", () => {
  test("both sides of an overlap keep their own offset", () => {
    const first = Date.parse("2026-10-25T00:30:00Z");
    const second = Date.parse("2026-10-25T01:30:00Z");
    expect(formatInstant(first, "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
    expect(formatInstant(second, "Europe/Berlin")).toBe("2026-10-25T02:30:00+01:00");
    expect(instantToLocal(second, "Europe/Berlin")).toEqual({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 });
  });
  test("UTC prints +00:00, odd offsets print minutes", () => {
    expect(formatInstant(Date.parse("2026-01-01T00:00:00Z"), "UTC")).toBe("2026-01-01T00:00:00+00:00");
    expect(formatInstant(Date.parse("2026-01-01T00:00:00Z"), "Pacific/Chatham")).toBe("2026-01-01T13:45:00+13:45");
    expect(formatInstant(Date.parse("2026-01-01T00:00:00Z"), "America/Sao_Paulo")).toBe("2025-12-31T21:00:00-03:00");
  });
  test("round trip over a year of hours in several zones", () => {
    for (const tz of ["Europe/Berlin", "America/Sao_Paulo", "Australia/Lord_Howe", "Pacific/Chatham"]) {
      const t0 = Date.parse("2018-01-01T00:00:00Z");
      for (let t = t0; t < t0 + 366 * 86_400_000; t += 3_600_000 + 60_000) {
        const l = instantToLocal(t, tz);
        const back = localToInstant(l, tz);
        // Equal, except the second pass of an overlap maps to the first.
        if (back !== t) {
          expect(back).toBeLessThan(t);
          expect(formatLocal(instantToLocal(back, tz))).toBe(formatLocal(l));
        }
      }
    }
  });
});

test("offsets before year 1 are not a year off (1 BC is not year 1)", () => {
  const before = Date.parse("0001-01-01T00:00:00Z") - 2 * 86_400_000;
  expect(offsetAt(before, "UTC")).toBe(0);
  expect(offsetAt(before, "Europe/Berlin")).toBe(offsetAt(Date.parse("0001-06-01T00:00:00Z"), "Europe/Berlin"));
});
