// A command-line date-time: an instant with an offset or `Z`, or a local wall time read in `tz`.
import { isValidTimeZone, localToInstant, parseLocal } from "../scheduler/zoned-time.ts";

export function parseInstantOrLocal(text: string, tz: string): number | null {
  const s = text.trim();
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? null : ms;
  }
  const local = parseLocal(s);
  return local ? localToInstant(local, tz) : null;
}

/** `--after` of `seshet next`: absent means now; a string says what is wrong. */
export function parseAfterOption(text: string | undefined, tz: string, now: number): number | string {
  if (text === undefined) return now;
  return (
    parseInstantOrLocal(text, tz) ??
    `invalid --after '${text}' (expected 2026-03-29T09:00:00Z, 2026-03-29T09:00:00+02:00 or a local 2026-03-29T09:00:00)`
  );
}

/** `-n` of `seshet next`: how many occurrences; a string says what is wrong. */
export function parseCountOption(n: number | undefined, fallback = 5): number | string {
  const v = n ?? fallback;
  return Number.isInteger(v) && v >= 1 ? v : `-n must be a whole number of at least 1, got '${String(n)}'`;
}

/** The options every `seshet next RULE` form shares (`--tz`, `-n`, `--after`), read once; a string says what is wrong. */
export function parseNextOptions(opts: { tz?: string; n?: number; after?: string }, now: number): { tz: string; n: number; after: number } | string {
  const tz = opts.tz ?? "UTC";
  if (!isValidTimeZone(tz)) return `unknown time zone '${tz}' (expected an IANA name such as Europe/Berlin)`;
  const n = parseCountOption(opts.n);
  if (typeof n === "string") return n;
  const after = parseAfterOption(opts.after, tz, now);
  if (typeof after === "string") return after;
  return { tz, n, after };
}

/** How a `seshet next` form refuses: the message, then exit code 1. */
export function nextFailure(out: (line: string) => void): (message: string) => number {
  return (message) => {
    out(`seshet next: ${message}`);
    return 1;
  };
}
