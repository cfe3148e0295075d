// Wall time <-> instant conversion for IANA zones, built on Intl only (no tz
// database of our own). Offset lookups are the recurrence engine's hot path, so
// each zone keeps a small cache of constant-offset segments found by probing.
import { MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, civilFromDays, daysFromCivil } from "./recurrence/calendar.ts";

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** An interval [lo, hi) of instants with one UTC offset, and the offsets either side. */
interface Segment {
  lo: number;
  hi: number;
  off: number;
  prevOff: number;
  nextOff: number;
}

interface ZoneCache {
  fmt: Intl.DateTimeFormat;
  segs: Segment[];
  last: Segment | null;
}

// Probing step: assumes no zone changes offset twice within two days (true of
// every tzdb zone in the range we care about).
const PROBE_STEP = 2 * MS_DAY;
const PROBE_STEPS = 30;
const MAX_SEGMENTS = 48;
const MAX_ZONES = 200;

const zones = new Map<string, ZoneCache>();

function zoneCache(tz: string): ZoneCache {
  let z = zones.get(tz);
  if (z === undefined) {
    const fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      // Without the era, 1 BC reads as year 1: offsets before 0001-01-01 came out a year wrong.
      era: "short",
    });
    if (zones.size >= MAX_ZONES) zones.clear();
    z = { fmt, segs: [], last: null };
    zones.set(tz, z);
  }
  return z;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.trim() === "") return false;
  try {
    zoneCache(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset (ms) of the zone at a whole-second instant, straight from Intl. */
function rawOffset(z: ZoneCache, t: number): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of z.fmt.formatToParts(t)) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value); break;
      case "minute": mi = Number(p.value); break;
      case "second": s = Number(p.value); break;
      case "era": if (p.value.startsWith("B")) y = 1 - y; break;
    }
  }
  const wall = daysFromCivil(y, mo, d) * MS_DAY + h * MS_HOUR + mi * MS_MINUTE + s * MS_SECOND;
  return wall - t;
}

function buildSegment(z: ZoneCache, t: number): Segment {
  const t0 = Math.floor(t / MS_SECOND) * MS_SECOND;
  const off = rawOffset(z, t0);
  let hi = t0 + PROBE_STEP * PROBE_STEPS;
  let nextOff = off;
  let a = t0;
  for (let i = 0; i < PROBE_STEPS; i++) {
    const b = a + PROBE_STEP;
    if (rawOffset(z, b) !== off) {
      const edge = changeBetween(z, a, b, off);
      hi = edge.changed * MS_SECOND;
      nextOff = rawOffset(z, hi);
      break;
    }
    a = b;
  }
  let lo = t0 - PROBE_STEP * PROBE_STEPS;
  let prevOff = off;
  a = t0;
  for (let i = 0; i < PROBE_STEPS; i++) {
    const b = a - PROBE_STEP;
    if (rawOffset(z, b) !== off) {
      const edge = changeBetween(z, a, b, off);
      lo = edge.same * MS_SECOND;
      prevOff = rawOffset(z, edge.changed * MS_SECOND);
      break;
    }
    a = b;
  }
  return { lo, hi, off, prevOff, nextOff };
}

/**
 * Narrows [sameMs, changedMs] (either order; the offset is `off` at the first
 * and differs at the second) to the two adjacent seconds where it changes:
 * transitions fall on whole seconds, so bisect in seconds.
 */
function changeBetween(z: ZoneCache, sameMs: number, changedMs: number, off: number): { same: number; changed: number } {
  let same = sameMs / MS_SECOND;
  let changed = changedMs / MS_SECOND;
  while (Math.abs(changed - same) > 1) {
    const mid = Math.floor((same + changed) / 2);
    if (rawOffset(z, mid * MS_SECOND) === off) same = mid;
    else changed = mid;
  }
  return { same, changed };
}

function segmentAt(z: ZoneCache, t: number): Segment {
  const last = z.last;
  if (last !== null && t >= last.lo && t < last.hi) return last;
  const segs = z.segs;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (t >= s.lo && t < s.hi) {
      z.last = s;
      return s;
    }
  }
  const s = buildSegment(z, t);
  if (segs.length >= MAX_SEGMENTS) segs.shift();
  segs.push(s);
  z.last = s;
  return s;
}

/** UTC offset (ms) of `tz` at instant `ms`. */
export function offsetAt(ms: number, tz: string): number {
  return segmentAt(zoneCache(tz), ms).off;
}

/** Wall time at an instant, as floating ms (the wall time read as if UTC). */
export function instantToFloating(ms: number, tz: string): number {
  return ms + segmentAt(zoneCache(tz), ms).off;
}

/**
 * Instant of a floating wall time. Gap (spring forward): read with the offset
 * from before the gap, i.e. moved forward by the gap's length (RFC 5545
 * §3.3.5). Overlap (fall back): the earlier of the two instants.
 */
export function floatingToInstant(wall: number, tz: string): number {
  const z = zoneCache(tz);
  const o1 = segmentAt(z, wall).off;
  let t = wall - o1;
  let s = segmentAt(z, t);
  if (s.off !== o1) {
    const o2 = s.off;
    const t2 = wall - o2;
    const s2 = segmentAt(z, t2);
    if (s2.off !== o2) {
      // Neither offset maps back to this wall time: it is in a gap. The offset
      // before the gap is the smaller one, which gives the later instant.
      return Math.max(t, t2);
    }
    t = t2;
    s = s2;
  }
  if (s.prevOff > s.off) {
    const tp = wall - s.prevOff;
    if (tp < s.lo && segmentAt(z, tp).off === s.prevOff) return tp;
  }
  return t;
}

export function floatingFromLocal(l: LocalDateTime): number {
  return daysFromCivil(l.year, l.month, l.day) * MS_DAY + l.hour * MS_HOUR + l.minute * MS_MINUTE + l.second * MS_SECOND;
}

export function localFromFloating(f: number): LocalDateTime {
  const days = Math.floor(f / MS_DAY);
  let rest = f - days * MS_DAY;
  const [year, month, day] = civilFromDays(days);
  const hour = Math.floor(rest / MS_HOUR);
  rest -= hour * MS_HOUR;
  const minute = Math.floor(rest / MS_MINUTE);
  rest -= minute * MS_MINUTE;
  return { year, month, day, hour, minute, second: Math.floor(rest / MS_SECOND) };
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export function parseLocal(text: string): LocalDateTime | null {
  const m = LOCAL_RE.exec(text.trim());
  if (m === null) return null;
  const l: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: m[4] === undefined ? 0 : Number(m[4]),
    minute: m[5] === undefined ? 0 : Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
  };
  if (l.month < 1 || l.month > 12 || l.day < 1 || l.hour > 23 || l.minute > 59 || l.second > 59) return null;
  // Rejects 2026-02-30 and the like by round-tripping through the day number.
  const [y, mo, d] = civilFromDays(daysFromCivil(l.year, l.month, l.day));
  if (y !== l.year || mo !== l.month || d !== l.day) return null;
  return l;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

export function formatLocal(l: LocalDateTime): string {
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

export function localToInstant(local: LocalDateTime | string, tz: string): number {
  const l = typeof local === "string" ? parseLocal(local) : local;
  if (l === null) throw new Error(`invalid local date-time '${String(local)}' (expected YYYY-MM-DDTHH:MM:SS)`);
  if (!isValidTimeZone(tz)) throw new Error(`unknown time zone '${tz}'`);
  return floatingToInstant(floatingFromLocal(l), tz);
}

export function instantToLocal(ms: number, tz: string): LocalDateTime {
  return localFromFloating(instantToFloating(Math.floor(ms / MS_SECOND) * MS_SECOND, tz));
}

export function formatInstant(ms: number, tz: string): string {
  const t = Math.floor(ms / MS_SECOND) * MS_SECOND;
  const off = offsetAt(t, tz);
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  const oh = Math.floor(abs / MS_HOUR);
  const om = Math.floor((abs - oh * MS_HOUR) / MS_MINUTE);
  return `${formatLocal(localFromFloating(t + off))}${sign}${pad(oh)}:${pad(om)}`;
}
