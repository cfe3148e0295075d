// A command-line date-time: an instant with an offset or `Z`, or a local wall time read in `tz`.
import { localToInstant, parseLocal } from "../scheduler/zoned-time.ts";

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
