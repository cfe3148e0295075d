// `--after` is read by one function for `seshet next RULE` and `seshet next TASK`.
import { expect, test } from "bun:test";
import { parseAfterOption } from "../../src/cli/instant-arg.ts";
import { runNext } from "../../src/cli/next-command.ts";

test("--after: an instant with an offset or Z, a local time read in the zone, absent means now, anything else is refused", () => {
  const now = Date.UTC(2026, 2, 1);
  expect(parseAfterOption(undefined, "UTC", now)).toBe(now);
  expect(parseAfterOption("2026-03-29T09:00:00Z", "Europe/Berlin", now)).toBe(Date.UTC(2026, 2, 29, 9));
  expect(parseAfterOption("2026-03-29T09:00:00+02:00", "UTC", now)).toBe(Date.UTC(2026, 2, 29, 7));
  expect(parseAfterOption(" 2026-03-29T09:00:00 ", "Europe/Berlin", now)).toBe(Date.UTC(2026, 2, 29, 7));
  expect(parseAfterOption("tomorrow", "UTC", now)).toMatch(/^invalid --after 'tomorrow' \(expected /);
  const out: string[] = [];
  expect(runNext({ rrule: "FREQ=DAILY", after: "soon" }, (l) => out.push(l))).toBe(1);
  expect(out).toEqual([`seshet next: ${parseAfterOption("soon", "UTC", now)}`]);
});

test("the options every `seshet next` form shares are read by one function, with the same refusals", async () => {
  const { parseNextOptions } = await import("../../src/cli/instant-arg.ts");
  const now = Date.UTC(2026, 2, 1);
  expect(parseNextOptions({}, now)).toEqual({ tz: "UTC", n: 5, after: now });
  expect(parseNextOptions({ tz: "Europe/Berlin", n: 2, after: "2026-03-29T09:00:00" }, now)).toEqual({ tz: "Europe/Berlin", n: 2, after: Date.UTC(2026, 2, 29, 7) });
  expect(parseNextOptions({ tz: "Mars/Base" }, now)).toMatch(/^unknown time zone 'Mars\/Base'/);
  expect(parseNextOptions({ n: 0 }, now)).toBe("-n must be a whole number of at least 1, got '0'");
  expect(parseNextOptions({ after: "later" }, now)).toMatch(/^invalid --after 'later'/);
});
