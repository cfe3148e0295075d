// A command-line date-time: an instant with an offset or `Z`, or a local wall time read in `tz`.
import { localToInstant, parseLocal } from "../scheduler/zoned-time.ts";

export function parseInstantOrLocal(text: string, tz: string): number | null {
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  const local = parseLocal(text);
  return local ? localToInstant(local, tz) : null;
}
