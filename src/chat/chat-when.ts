// `!at WHEN TEXT`: WHEN read in the speaker's zone. The fixed forms are
// matched here (`17:00`, `tomorrow 9:15`, `fri 17:00`, `2026-12-24 18:00`);
// anything else goes to chrono-node ("next friday at 5pm", "dec 24 at 6pm"),
// which is given the speaker's wall time as if it were UTC, so its answer is
// a wall time that we convert with the zone's own rules (DST included).
// chrono-node is imported on first use: a bot that is never asked holds none
// of its ~50 modules and their patterns.
import { MS_DAY, MS_HOUR, MS_MINUTE } from "../scheduler/recurrence/calendar.ts";
import { dayStart, floatingDate, floatingNow, instantOf, weekdayNumber, weekdayOf } from "./chat-time.ts";

export type WhenResult = { at: number; text: string } | { error: string };

const TIME = String.raw`(\d{1,2})(?::(\d{2}))?\s*(am|pm)?`;
const RELATIVE_DAY = new RegExp(String.raw`^(today|tomorrow|[a-z]{3,9}\.?)\s+(?:at\s+)?${TIME}(?=\s|$)`, "i");
const BARE_TIME = new RegExp(String.raw`^(?:at\s+)?(\d{1,2}):(\d{2})\s*(am|pm)?(?=\s|$)`, "i");
const DATE_TIME = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[ T]|\s+at\s+)${TIME}(?=\s|$)`, "i");

/** The instant WHEN names (never in the past) and the text after it. */
export async function parseWhen(input: string, tz: string, now: number): Promise<WhenResult> {
  const s = input.trim();
  const fixed = fixedForm(s, tz, now);
  const result = fixed ?? (await naturalForm(s, tz, now));
  if ("error" in result) return result;
  if (result.at <= now) return { error: "that time has already passed" };
  if (result.text === "") return { error: "there is no text to say after the time" };
  return result;
}

function fixedForm(s: string, tz: string, now: number): WhenResult | null {
  const today = dayStart(floatingNow(now, tz));
  let m = DATE_TIME.exec(s);
  if (m) {
    const t = clock(m[4]!, m[5], m[6]);
    const f = t === null ? null : floatingDate(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0);
    if (t === null || f === null) return { error: `'${m[0]}' is not a date and time that exists` };
    return { at: instantOf(f + t, tz), text: s.slice(m[0].length).trim() };
  }
  m = BARE_TIME.exec(s);
  if (m) {
    const t = clock(m[1]!, m[2], m[3]);
    if (t === null) return { error: `'${m[0]}' is not a time of day` };
    // The next such time: today if it is still ahead, else tomorrow.
    let at = instantOf(today + t, tz);
    if (at <= now) at = instantOf(today + MS_DAY + t, tz);
    return { at, text: s.slice(m[0].length).trim() };
  }
  m = RELATIVE_DAY.exec(s);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const wd = weekdayNumber(word);
  if (word !== "today" && word !== "tomorrow" && wd === undefined) return null;
  const t = clock(m[2]!, m[3], m[4]);
  if (t === null) return { error: `'${m[0]}' is not a time of day` };
  let days = word === "tomorrow" ? 1 : 0;
  if (wd !== undefined) {
    days = (wd - weekdayOf(today) + 7) % 7;
    // "fri 17:00" on a Friday after 17:00 means next week's.
    if (days === 0 && instantOf(today + t, tz) <= now) days = 7;
  }
  return { at: instantOf(today + days * MS_DAY + t, tz), text: s.slice(m[0].length).trim() };
}

/** Milliseconds into the day of `H[:MM][am|pm]`, or null when it is no time of day. */
function clock(h: string, m: string | undefined, ampm: string | undefined): number | null {
  let hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (ampm === undefined && m === undefined) return null; // a bare number is not a time
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm.toLowerCase() === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return hour * MS_HOUR + minute * MS_MINUTE;
}

async function naturalForm(s: string, tz: string, now: number): Promise<WhenResult> {
  const chrono = await import("chrono-node/en");
  const floating = floatingNow(now, tz);
  const found = chrono.parse(s.slice(0, 200), { instant: new Date(floating), timezone: 0 }, { forwardDate: true })[0];
  if (!found || found.index !== 0) return { error: "the time was not understood" };
  const c = found.start;
  const relative = /^\s*in\s/i.test(found.text);
  // A relative time ("in 2 hours") is a span from now; anything else is a wall time in the zone.
  if (relative) return { at: now + (c.date().getTime() - floating), text: s.slice(found.text.length).trim() };
  const hasTime = c.isCertain("hour");
  const hour = hasTime ? c.get("hour")! : 9;
  const minute = hasTime ? (c.get("minute") ?? 0) : 0;
  const f = floatingDate(c.get("year")!, c.get("month")!, c.get("day")!, hour, minute);
  if (f === null) return { error: `'${found.text}' is not a date that exists` };
  return { at: instantOf(f, tz), text: s.slice(found.text.length).trim() };
}
