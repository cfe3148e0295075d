// iCalendar (RFC 5545) text: content lines folded at 75 octets, escaped
// TEXT values, local date-times, and VTIMEZONE components built from the
// zone's real offset changes (found through Intl, like everything zoned).
import { MS_DAY, MS_MINUTE, MS_SECOND } from "./recurrence/calendar.ts";
import { formatLocal, localFromFloating, offsetAt } from "./zoned-time.ts";

const FOLD_OCTETS = 75;
const encoder = new TextEncoder();

/** One content line, folded (CRLF + space) so no physical line exceeds 75 octets; never splits a character. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= FOLD_OCTETS) return line;
  const parts: string[] = [];
  let cur = "";
  let octets = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    const limit = parts.length === 0 ? FOLD_OCTETS : FOLD_OCTETS - 1;
    if (octets + n > limit) {
      parts.push(cur);
      cur = "";
      octets = 0;
    }
    cur += ch;
    octets += n;
  }
  parts.push(cur);
  return parts.join("\r\n ");
}

/** A TEXT value: backslash, semicolon, comma and newlines escaped; other control characters dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u001f\u007f]/g, "");
}

/** Floating ms → `20261224T090000`. */
export function icsLocal(floating: number): string {
  return formatLocal(localFromFloating(floating)).replace(/[-:]/g, "");
}

/** An instant → `20261224T080000Z`. */
export function icsUtc(ms: number): string {
  return icsLocal(Math.floor(ms / MS_SECOND) * MS_SECOND);
}

interface Transition {
  at: number;
  from: number;
  to: number;
}

/** Offset changes of `tz` in [fromMs, toMs), found by weekly probing and bisection to the second. */
export function zoneTransitions(tz: string, fromMs: number, toMs: number): Transition[] {
  const out: Transition[] = [];
  const step = 7 * MS_DAY;
  let t = fromMs;
  let off = offsetAt(t, tz);
  while (t < toMs) {
    const n = t + step;
    const o = offsetAt(n, tz);
    if (o !== off) {
      let lo = t / MS_SECOND;
      let hi = n / MS_SECOND;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid * MS_SECOND, tz) === off) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi * MS_SECOND, from: off, to: offsetAt(hi * MS_SECOND, tz) });
      off = offsetAt(hi * MS_SECOND, tz);
      t = hi * MS_SECOND;
      continue;
    }
    t = n;
  }
  return out;
}

function utcOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  const abs = Math.abs(ms) / MS_MINUTE;
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

/**
 * A VTIMEZONE listing the zone's offset in force at `fromMs` and every change
 * up to `toMs` (each as its own STANDARD or DAYLIGHT component, no RRULE):
 * exact for that window whatever the zone's rules did over the years.
 */
export function vtimezone(tz: string, fromMs: number, toMs: number): string[] {
  const lines = ["BEGIN:VTIMEZONE", `TZID:${tz}`];
  const first = offsetAt(fromMs, tz);
  const changes = zoneTransitions(tz, fromMs, toMs);
  const component = (kind: string, wallStart: number, from: number, to: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${icsLocal(wallStart)}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    `END:${kind}`,
  ];
  // The offset before the first change, from the window's start.
  lines.push(...component("STANDARD", fromMs + first, first, first));
  for (const c of changes) lines.push(...component(c.to > c.from ? "DAYLIGHT" : "STANDARD", c.at + c.from, c.from, c.to));
  lines.push("END:VTIMEZONE");
  return lines;
}
