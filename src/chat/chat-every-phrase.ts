// The `!every` day phrases beyond the fixed forms of chat-every.ts:
// "2 weeks on tuesday", "other week", "month on the 1st and 15th", "month on
// the last friday", "year in march on the 1st", "jan, jul on the 1st",
// "monday and wednesday for 4 times". It covers what rrule.js's fromText
// read for daily to yearly rules, so rrule.js stays out of the binary, but
// reads every word or refuses the phrase: fromText stopped at the first word
// it did not know and kept what it had ("week on mon wed" was every Monday,
// "month on the fourth thursday" every month on today's date).
import type { Freq, RuleParts, WeekdayNumber, WeekdaySpec } from "../scheduler/rule-parts.ts";
import { weekdayNumber } from "./chat-time.ts";

/** Bounds on what a phrase may ask for, each named in its refusal. */
export const MAX_PHRASE_WORDS = 40;
export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 10_000;

/** Ordinal words, also read by chat-every's "last friday of the month". */
export const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1,
  "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "second-to-last": -2, "second to last": -2,
};

const UNITS: Record<string, Freq> = {
  day: "daily", days: "daily", daily: "daily", week: "weekly", weeks: "weekly", weekly: "weekly",
  month: "monthly", months: "monthly", monthly: "monthly", year: "yearly", years: "yearly", yearly: "yearly",
};
/** Words that only join the others: "on the 1st and the 15th of march". */
const JOINERS = new Set(["on", "in", "of", "the", "and", "or", ",", "&", "+"]);
/** Words that add one more of a kind: "monday and friday", "jan, jul". */
const AND_WORDS = new Set(["and", "or", ",", "&", "+"]);
/** What may stand between the ordinals of one run: "the 1st and the 15th", "first, third". */
const RUN_JOINERS = new Set(["and", "or", ",", "&", "+", "the"]);
const TWO_LETTER_DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS: WeekdayNumber[] = [0, 1, 2, 3, 4];
const HINT = "(on monday, on the 15th, on the last friday, in march, for 10 times)";

type Failure = { error: string };

/** What the words after the head name, in the order given (sorted and deduplicated in the rule). */
interface Parts {
  weekdays: WeekdaySpec[];
  monthdays: number[];
  months: number[];
  weeknos: number[];
  /** "the last weekday": positions in the set of weekdays (BYSETPOS). */
  setpos: number[];
  count?: number;
}

/** The rule a day phrase names (without times of day), or what was not understood. */
export function parseDayPhrase(phrase: string): RuleParts | Failure {
  const words = phrase.toLowerCase().replace(/([,&+])/g, " $1 ").replace(/-/g, " ").split(/\s+/).filter((w) => w !== "");
  if (words.length > MAX_PHRASE_WORDS) return { error: `a schedule has at most ${MAX_PHRASE_WORDS} words` };
  const head = readHead(words, phrase);
  if ("error" in head) return head;
  const last = words[words.length - 1] ?? "";
  if (JOINERS.has(last)) return { error: `'${phrase}' ends in '${last}': say what comes after it (month on the 15th)` };
  const parts: Parts = { weekdays: head.weekdays ?? [], monthdays: [], months: [], weeknos: [], setpos: [] };
  const read = readItems(words, head.next, parts, phrase);
  if (read !== null) return read;
  return ruleOf(head.freq, head.interval, parts);
}

interface Head {
  freq: Freq;
  interval: number;
  /** Index of the first word after the head. */
  next: number;
  /** "weekdays": the days the head itself names. */
  weekdays?: WeekdaySpec[];
}

/** "2 weeks", "other month", "monthly", "weekdays", "monday…" (weekly), "march…" (yearly), "the 15th…" (monthly). */
function readHead(words: string[], phrase: string): Head | Failure {
  let i = 0;
  let interval = 1;
  if (/^\d+$/.test(words[0]!) || words[0] === "other") {
    interval = words[0] === "other" ? 2 : Number(words[0]);
    if (interval < 1 || interval > MAX_INTERVAL) return { error: `an interval is 1 to ${MAX_INTERVAL} ('2 weeks on tuesday')` };
    i = 1;
  }
  const w = words[i];
  const unknown = { error: `'${phrase}' was not understood as days` };
  if (w === undefined) return unknown;
  const freq = own(UNITS, w);
  if (freq !== undefined) return { freq, interval, next: i + 1 };
  if (/^week ?days?$/.test(w)) {
    if (i > 0) return { error: `'${phrase}' is unclear: say '${interval} weeks on weekdays' or 'weekday'` };
    return { freq: "weekly", interval, next: i + 1, weekdays: WEEKDAYS.map((day) => ({ day })) };
  }
  if (dayOf(w) !== undefined || /^week ?ends?$/.test(w)) return { freq: "weekly", interval, next: i };
  if (monthOf(w) !== undefined) return { freq: "yearly", interval, next: i };
  // "the 1st and 15th", "the last friday": of the month.
  const first = words.findIndex((x) => !JOINERS.has(x));
  if (i === 0 && first >= 0 && ordinalOf(words[first]!) !== undefined) return { freq: "monthly", interval, next: 0 };
  return unknown;
}

/** Reads the words from `i` on into `parts`; null when every word was understood. */
function readItems(words: string[], i: number, parts: Parts, phrase: string): Failure | null {
  // The last item read: where it began and ended and which list it went to.
  let last = i > 0 && parts.weekdays.length > 0 ? { start: 0, end: i, kind: 0 } : null;
  while (i < words.length) {
    const w = words[i]!;
    const count = countAt(words, i);
    if (count !== null) {
      if ("error" in count) return count;
      if (count.next < words.length) return { error: `nothing may follow '${words.slice(i, count.next).join(" ")}' in '${phrase}'` };
      parts.count = count.count;
      return null;
    }
    if (/^(until|till?)$/.test(w)) return { error: "an end date is not read here: give a count ('for 10 times') or an RRULE with UNTIL=" };
    if (JOINERS.has(w)) {
      i++;
      continue;
    }
    const before = listSizes(parts);
    const next = readItem(words, i, parts);
    if (typeof next !== "number") return next ?? { error: `'${w}' in '${phrase}' was not understood ${HINT}` };
    const kind = listSizes(parts).findIndex((n, k) => n > before[k]!);
    // The parts of a rule all hold at once: "tuesday and the 1st" would be the Tuesdays that are a 1st.
    if (last !== null && last.kind !== kind && words.slice(last.end, i).some((x) => AND_WORDS.has(x))) {
      return { error: `'${words.slice(last.start, next).join(" ")}' is unclear: days named together must all hold at once (friday the 13th); make one task for each` };
    }
    last = { start: i, end: next, kind };
    i = next;
  }
  return null;
}

/** Sizes of the lists an item may add to, in a fixed order (weekdays, month days, months, week numbers, positions). */
function listSizes(p: Parts): number[] {
  return [p.weekdays.length, p.monthdays.length, p.months.length, p.weeknos.length, p.setpos.length];
}

/** One item at `i` (a weekday, an ordinal day, a month, weekdays, "week 1"): the index after it, or null if `words[i]` is none. */
function readItem(words: string[], i: number, parts: Parts): number | Failure | null {
  const w = words[i]!;
  const day = dayOf(w);
  const month = monthOf(w);
  if (day !== undefined) parts.weekdays.push({ day });
  else if (month !== undefined) parts.months.push(month);
  else if (/^week ?days?$/.test(w)) parts.weekdays.push(...WEEKDAYS.map((d) => ({ day: d })));
  else if (/^week ?ends?$/.test(w)) parts.weekdays.push({ day: 5 }, { day: 6 });
  else if (/^weeks?$/.test(w)) return weekNumbers(words, i + 1, parts);
  else return ordinalItem(words, i, parts);
  return i + 1;
}

/**
 * A run of ordinals and what they count: "the 15th", "the 1st and 15th", "the
 * first and third monday", "the second to last friday", "the last weekday".
 */
function ordinalItem(words: string[], start: number, parts: Parts): number | Failure | null {
  const ns: number[] = [];
  let i = start;
  for (let read = oneOrdinal(words, i); read !== null; ) {
    ns.push(read.n);
    i = read.next;
    let j = i;
    while (RUN_JOINERS.has(words[j] ?? "")) j++;
    read = j > i ? oneOrdinal(words, j) : null;
    if (read !== null) i = j;
  }
  if (ns.length === 0) return null;
  const what = words[i] ?? "";
  const day = dayOf(what);
  const bad = ns.find((n) => n === 0 || Math.abs(n) > (day !== undefined ? 53 : /^week ?days?$/.test(what) ? 23 : 31));
  if (day !== undefined) {
    if (bad !== undefined) return { error: `there is no ${what} number ${bad} ('the last friday', 'the 2nd monday')` };
    parts.weekdays.push(...ns.map((n) => ({ day, n })));
    return i + 1;
  }
  if (/^week ?days?$/.test(what)) {
    if (bad !== undefined) return { error: `a month has no weekday number ${bad} ('the last weekday', 'the 1st weekday')` };
    parts.setpos.push(...ns);
    return i + 1;
  }
  if (bad !== undefined) return { error: `there is no day ${bad} of a month` };
  parts.monthdays.push(...ns);
  return /^days?$/.test(what) ? i + 1 : i;
}

/** One ordinal at `i` ("15th", "15", "last", "second to last", "2nd last"): its number (from the end when negative). */
function oneOrdinal(words: string[], i: number): { n: number; next: number } | null {
  const w = words[i] ?? "";
  // A bare number is a day of the month, unless it counts ("10 times").
  let n = ordinalOf(w) ?? (/^\d{1,3}$/.test(w) && !/^times?$/.test(words[i + 1] ?? "") ? Number(w) : undefined);
  if (n === undefined) return null;
  i++;
  if (words[i] === "to" && words[i + 1] === "last") i++;
  if (words[i] === "last" && n > 0) {
    n = -n;
    i++;
  }
  return { n, next: i };
}

/** "week 1", "weeks 1 and 2": ISO week numbers of the year. */
function weekNumbers(words: string[], i: number, parts: Parts): number | Failure {
  const before = parts.weeknos.length;
  while (/^\d+$/.test(words[i] ?? "")) {
    const n = Number(words[i]);
    if (n < 1 || n > 53) return { error: `there is no week ${n} of a year (1 to 53)` };
    parts.weeknos.push(n);
    i++;
    if (/^(,|and)$/.test(words[i] ?? "") && /^\d+$/.test(words[i + 1] ?? "")) i++;
  }
  return parts.weeknos.length > before ? i : { error: "'week' needs its number: year on monday in week 1" };
}

/** "for 10 times", "for 10", "10 times" at `i`, or null. */
function countAt(words: string[], i: number): { count: number; next: number } | Failure | null {
  const lead = words[i] === "for" ? 1 : 0;
  const digits = words[i + lead];
  if (digits === undefined || !/^\d+$/.test(digits)) return null;
  const times = /^times?$/.test(words[i + lead + 1] ?? "");
  if (lead === 0 && !times) return null;
  const count = Number(digits);
  if (count < 1 || count > MAX_COUNT) return { error: `a count is at least 1 and at most ${MAX_COUNT} ('for 10 times')` };
  return { count, next: i + lead + 1 + (times ? 1 : 0) };
}

/** The rule, once the parts fit the frequency. */
function ruleOf(freq: Freq, interval: number, p: Parts): RuleParts | Failure {
  const yearOrMonth = freq === "monthly" || freq === "yearly";
  const nth = p.weekdays.find((d) => d.n !== undefined);
  if (nth && !yearOrMonth) return { error: "a weekday with a number ('the last friday') needs 'month' or 'year': month on the last friday" };
  if (nth && Math.abs(nth.n!) > 5 && (freq === "monthly" || p.months.length > 0)) return { error: `a month has no weekday number ${nth.n}` };
  if (p.setpos.length > 0 && (!yearOrMonth || p.weekdays.length > 0 || p.monthdays.length > 0)) {
    return { error: "'the last weekday' needs 'month' and stands alone: month on the last weekday" };
  }
  if (p.weeknos.length > 0 && (freq !== "yearly" || p.weekdays.length === 0)) return { error: "a week number needs 'year' and a day: year on monday in week 1" };
  const rule: RuleParts = { freq, interval };
  const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  if (p.setpos.length > 0) {
    rule.byweekday = WEEKDAYS.map((day) => ({ day }));
    rule.bysetpos = sorted(p.setpos);
  }
  if (p.weekdays.length > 0) rule.byweekday = uniqueWeekdays(p.weekdays);
  if (p.monthdays.length > 0) rule.bymonthday = sorted(p.monthdays);
  if (p.months.length > 0) rule.bymonth = sorted(p.months);
  if (p.weeknos.length > 0) rule.byweekno = sorted(p.weeknos);
  if (p.count !== undefined) rule.count = p.count;
  return rule;
}

function uniqueWeekdays(days: WeekdaySpec[]): WeekdaySpec[] {
  const seen = new Map(days.map((d) => [`${d.day}:${d.n ?? 0}`, d]));
  return [...seen.values()].sort((a, b) => a.day - b.day || (a.n ?? 0) - (b.n ?? 0));
}

/** 0 = Monday: "mo", "mon", "monday", "mondays", "tues", "thurs". */
function dayOf(w: string): WeekdayNumber | undefined {
  const two = TWO_LETTER_DAYS.indexOf(w);
  const n = two >= 0 ? two : (weekdayNumber(w) ?? weekdayNumber(w.replace(/s$/, "")));
  return n as WeekdayNumber | undefined;
}

/** 1 = January: "jan", "sept", "march" (three letters or more of the name). */
function monthOf(w: string): number | undefined {
  const word = w.replace(/\.$/, "");
  if (word.length < 3) return undefined;
  const i = word === "sept" ? 8 : MONTHS.findIndex((m) => m.startsWith(word));
  return i < 0 ? undefined : i + 1;
}

/** "first", "last", "2nd", "15th", "31st": its number (last is -1). */
function ordinalOf(w: string): number | undefined {
  const m = /^(\d{1,3})(?:st|nd|rd|th|\.)$/.exec(w);
  return m ? Number(m[1]) : own(ORDINALS, w);
}

/** `table[key]` for the table's own keys only: a user's "constructor" is no unit. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
