// IANA zone check phrased for config messages.
import { isValidTimeZone } from "../scheduler/zoned-time.ts";

export function zoneProblem(tz: string): string | undefined {
  if (isValidTimeZone(tz)) return undefined;
  return `"${tz}" is not a known IANA time zone (e.g. "Europe/Berlin", "America/New_York", "UTC")`;
}
