// `!every weekday at 09:00 except 24 Dec, 31 Dec: …`: the dates after
// "except" become whole-day EXDATEs, read in the schedule's zone. A date
// without a year is its next coming day (today included).
import { floatingNow } from "./chat-time.ts";
import { localFromFloating, parseLocal } from "../scheduler/zoned-time.ts";

/** A chat schedule names at most this many exceptions. */
export const MAX_CHAT_EXCEPTIONS = 20;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Splits "weekday at 09:00 except 24 Dec, 31 Dec" into the schedule and its exception text. */
export function splitExcept(text: string): { schedule: string; except: string | null } {
  const m = /^(.*?)\s+except\s+(.+)$/i.exec(text);
  return m ? { schedule: m[1]!, except: m[2]! } : { schedule: text, except: null };
}

/** `24 Dec`, `Dec 24`, `24 December 2026`, `2026-12-24`, separated by commas or "and": sorted local dates. */
export function exceptDates(text: string, tz: string, now: number): { exdate: string[] } | { error: string } {
  const items = text.split(/\s*(?:,|\band\b|&)\s*/i).filter((w) => w !== "");
  if (items.length === 0) return { error: "no date after 'except'" };
  if (items.length > MAX_CHAT_EXCEPTIONS) return { error: `at most ${MAX_CHAT_EXCEPTIONS} dates after 'except'` };
  const today = localFromFloating(floatingNow(now, tz));
  const out = new Set<string>();
  for (const item of items) {
    const d = oneDate(item.trim(), today);
    if (d === null) return { error: `'${item}' is not a date (24 Dec, Dec 24, 2026-12-24)` };
    out.add(d);
  }
  return { exdate: [...out].sort() };
}

function oneDate(s: string, today: { year: number; month: number; day: number }): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dm = /^(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]+)\.?(?:\s+(\d{4}))?$/i.exec(s);
  const md = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$/i.exec(s);
  const [dayText, monthText, yearText] = dm ? [dm[1], dm[2], dm[3]] : md ? [md[2], md[1], md[3]] : [];
  if (dayText === undefined || monthText === undefined) return null;
  const month = MONTHS.indexOf(monthText.slice(0, 3).toLowerCase()) + 1;
  if (month === 0 || (monthText.length > 3 && !MONTH_WORDS.some((w) => w.startsWith(monthText.toLowerCase())))) return null;
  const day = Number(dayText);
  if (yearText !== undefined) return valid(Number(yearText), month, day);
  // No year: the next time that date comes round.
  const passed = month < today.month || (month === today.month && day < today.day);
  return valid(today.year + (passed ? 1 : 0), month, day) ?? valid(today.year + (passed ? 2 : 1), month, day);
}

const MONTH_WORDS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "sept"];

function valid(year: number, month: number, day: number): string | null {
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return parseLocal(`${text}T00:00:00`) === null ? null : text;
}
