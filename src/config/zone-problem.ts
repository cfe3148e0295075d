// IANA zone check phrased for config messages.
import { isValidTimeZone } from "../scheduler/zoned-time.ts";
import { closestMatch } from "./closest-match.ts";

let knownZones: string[] | undefined;

function zoneNames(): string[] {
  if (knownZones === undefined) {
    const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
    knownZones = intl.supportedValuesOf?.("timeZone") ?? [];
  }
  return knownZones;
}

export function zoneProblem(tz: string): string | undefined {
  if (isValidTimeZone(tz)) return undefined;
  const guess = closestMatch(tz, zoneNames());
  if (guess) return `"${tz}" is not a known IANA time zone; did you mean "${guess}"?`;
  return `"${tz}" is not a known IANA time zone (e.g. "Europe/Berlin", "America/New_York", "UTC")`;
}
