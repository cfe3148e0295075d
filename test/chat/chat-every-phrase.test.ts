// `!every` day phrases beyond the fixed forms ("2 weeks on tuesday", "month
// on the 1st and 15th", "january on the 1st", "… for 10 times"): the rule
// each one gives. READ_BEFORE was recorded from the code that handed these
// phrases to rrule.js's fromText, and is written out here so that our own
// reader (src/chat/chat-every-phrase.ts) gives the same rule parts for every
// phrase fromText read right; MISREAD_BEFORE holds those it got wrong.
import { describe, expect, test } from "bun:test";
import { parseEvery } from "../../src/chat/chat-every.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { scheduleWords } from "../../src/scheduler/schedule-words.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import type { RuleParts } from "../../src/scheduler/rule-parts.ts";

/** Tue 1 Dec 2026, 09:30:12 UTC. */
const NOW = Date.UTC(2026, 11, 1, 9, 30, 12);
const AT9 = { byhour: [9], byminute: [0], bysecond: [0] };
const AT10 = { byhour: [10], byminute: [0], bysecond: [0] };
const MO = { day: 0 } as const;
const TU = { day: 1 } as const;
const WE = { day: 2 } as const;
const TH = { day: 3 } as const;
const FR = { day: 4 } as const;
const SA = { day: 5 } as const;
const SU = { day: 6 } as const;
const WEEKDAYS = [MO, TU, WE, TH, FR];

function rule(text: string): RuleParts {
  const r = parseEvery(text, "UTC", NOW);
  if ("error" in r) throw new Error(`${text}: ${r.error}`);
  return r.rule;
}
const error = (text: string) => (parseEvery(text, "UTC", NOW) as { error?: string }).error;

/** Phrases the rrule.js fallback read right, with the rule parts it gave. */
const READ_BEFORE: [string, RuleParts][] = [
  ["month", { freq: "monthly", interval: 1, ...AT9 }],
  ["year", { freq: "yearly", interval: 1, ...AT9 }],
  ["weekly", { freq: "weekly", interval: 1, ...AT9 }],
  ["monthly", { freq: "monthly", interval: 1, ...AT9 }],
  ["yearly", { freq: "yearly", interval: 1, ...AT9 }],
  ["daily", { freq: "daily", interval: 1, ...AT9 }],
  ["3 days at 10:00", { freq: "daily", interval: 3, ...AT10 }],
  ["2 weeks on tuesday", { freq: "weekly", interval: 2, byweekday: [TU], ...AT9 }],
  ["2 weeks on tuesday at 10:00", { freq: "weekly", interval: 2, byweekday: [TU], ...AT10 }],
  ["2 weeks on tue and thu", { freq: "weekly", interval: 2, byweekday: [TU, TH], ...AT9 }],
  ["2 weeks on tue, thu", { freq: "weekly", interval: 2, byweekday: [TU, TH], ...AT9 }],
  ["week on monday and friday at 9:00", { freq: "weekly", interval: 1, byweekday: [MO, FR], ...AT9 }],
  ["week on weekdays", { freq: "weekly", interval: 1, byweekday: WEEKDAYS, ...AT9 }],
  ["week on the 15th", { freq: "weekly", interval: 1, bymonthday: [15], ...AT9 }],
  ["month on the 15th", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  ["month on the 15th at 10:00", { freq: "monthly", interval: 1, bymonthday: [15], ...AT10 }],
  ["month on the 1st and 15th", { freq: "monthly", interval: 1, bymonthday: [1, 15], ...AT9 }],
  ["month on the 1st, 15th", { freq: "monthly", interval: 1, bymonthday: [1, 15], ...AT9 }],
  ["month on the 15th day", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  ["month on the 31st", { freq: "monthly", interval: 1, bymonthday: [31], ...AT9 }],
  ["month on the last day", { freq: "monthly", interval: 1, bymonthday: [-1], ...AT9 }],
  ["month on the last friday", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -1 }], ...AT9 }],
  ["month on the first monday", { freq: "monthly", interval: 1, byweekday: [{ day: 0, n: 1 }], ...AT9 }],
  ["month on the second tuesday", { freq: "monthly", interval: 1, byweekday: [{ day: 1, n: 2 }], ...AT9 }],
  ["month on the third wednesday", { freq: "monthly", interval: 1, byweekday: [{ day: 2, n: 3 }], ...AT9 }],
  ["month on the 2nd monday", { freq: "monthly", interval: 1, byweekday: [{ day: 0, n: 2 }], ...AT9 }],
  ["month on the 2nd last friday", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -2 }], ...AT9 }],
  ["month on the second last friday", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -2 }], ...AT9 }],
  ["month in march", { freq: "monthly", interval: 1, bymonth: [3], ...AT9 }],
  ["3 months on the 1st", { freq: "monthly", interval: 3, bymonthday: [1], ...AT9 }],
  ["2 months", { freq: "monthly", interval: 2, ...AT9 }],
  ["2 months on the last friday", { freq: "monthly", interval: 2, byweekday: [{ day: 4, n: -1 }], ...AT9 }],
  ["month for 3 times", { freq: "monthly", interval: 1, count: 3, ...AT9 }],
  ["month on the 15th for 3 times", { freq: "monthly", interval: 1, bymonthday: [15], count: 3, ...AT9 }],
  ["month on the 15th for 3", { freq: "monthly", interval: 1, bymonthday: [15], count: 3, ...AT9 }],
  ["year in march", { freq: "yearly", interval: 1, bymonth: [3], ...AT9 }],
  ["year on the 1st in march", { freq: "yearly", interval: 1, bymonthday: [1], bymonth: [3], ...AT9 }],
  ["year on the last friday", { freq: "yearly", interval: 1, byweekday: [{ day: 4, n: -1 }], ...AT9 }],
  ["2 years in march", { freq: "yearly", interval: 2, bymonth: [3], ...AT9 }],
  ["january", { freq: "yearly", interval: 1, bymonth: [1], ...AT9 }],
  ["january on the 1st", { freq: "yearly", interval: 1, bymonthday: [1], bymonth: [1], ...AT9 }],
  ["jan, jul on the 1st", { freq: "yearly", interval: 1, bymonthday: [1], bymonth: [1, 7], ...AT9 }],
  ["jan and jul", { freq: "yearly", interval: 1, bymonth: [1, 7], ...AT9 }],
  ["march for 2 times", { freq: "yearly", interval: 1, bymonth: [3], count: 2, ...AT9 }],
  ["monday for 5 times", { freq: "weekly", interval: 1, byweekday: [MO], count: 5, ...AT9 }],
  ["monday and wednesday for 4 times", { freq: "weekly", interval: 1, byweekday: [MO, WE], count: 4, ...AT9 }],
  ["monday or friday", { freq: "weekly", interval: 1, byweekday: [MO, FR], ...AT9 }],
  ["friday the 13th", { freq: "weekly", interval: 1, bymonthday: [13], byweekday: [FR], ...AT9 }],
  ["monday on the 1st", { freq: "weekly", interval: 1, bymonthday: [1], byweekday: [MO], ...AT9 }],
  ["weekdays for 10 times", { freq: "weekly", interval: 1, byweekday: WEEKDAYS, count: 10, ...AT9 }],
  ["weekday for 10 times", { freq: "weekly", interval: 1, byweekday: WEEKDAYS, count: 10, ...AT9 }],
  ["week for 3 times", { freq: "weekly", interval: 1, count: 3, ...AT9 }],
  ["day for 3 times", { freq: "daily", interval: 1, count: 3, ...AT9 }],
  ["2 weeks for 10 times", { freq: "weekly", interval: 2, count: 10, ...AT9 }],
  ["2 weeks on monday for 10 times", { freq: "weekly", interval: 2, byweekday: [MO], count: 10, ...AT9 }],
  ["mo", { freq: "weekly", interval: 1, byweekday: [MO], ...AT9 }],
  ["th", { freq: "weekly", interval: 1, byweekday: [TH], ...AT9 }],
  ["su", { freq: "weekly", interval: 1, byweekday: [SU], ...AT9 }],
  // Read before the fallback, by the fixed forms: unchanged.
  ["mondays and fridays", { freq: "weekly", interval: 1, byweekday: [MO, FR], ...AT9 }],
  ["tue thu", { freq: "weekly", interval: 1, byweekday: [TU, TH], ...AT9 }],
  ["second to last friday of the month", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -2 }], ...AT9 }],
];

/** Phrases fromText read wrong (what it gave in the comment), with the rule they name. */
const MISREAD_BEFORE: [string, RuleParts][] = [
  // Unknown word "other": refused.
  ["other week", { freq: "weekly", interval: 2, ...AT9 }],
  ["other day", { freq: "daily", interval: 2, ...AT9 }],
  // Stopped at "wed": every Monday.
  ["week on mon wed", { freq: "weekly", interval: 1, byweekday: [MO, WE], ...AT9 }],
  // Stopped at the second "the": the 1st only.
  ["month on the 1st and the 15th", { freq: "monthly", interval: 1, bymonthday: [1, 15], ...AT9 }],
  // No word "fourth" or "fifth": every month on today's date.
  ["month on the fourth thursday", { freq: "monthly", interval: 1, byweekday: [{ day: 3, n: 4 }], ...AT9 }],
  ["month on the fifth friday", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: 5 }], ...AT9 }],
  // The last day of the month, weekday or not.
  ["month on the last weekday", { freq: "monthly", interval: 1, byweekday: WEEKDAYS, bysetpos: [-1], ...AT9 }],
  // A bare number was dropped: every month on today's date.
  ["month on 15", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  ["month on the 15", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  // The 1st of the month that is a third Monday.
  ["month on the first and third monday", { freq: "monthly", interval: 1, byweekday: [{ day: 0, n: 1 }, { day: 0, n: 3 }], ...AT9 }],
  // The 1st was dropped.
  ["month in march and june on the 1st", { freq: "monthly", interval: 1, bymonth: [3, 6], bymonthday: [1], ...AT9 }],
  ["year in march on the 1st", { freq: "yearly", interval: 1, bymonth: [3], bymonthday: [1], ...AT9 }],
  ["year in january and july on the 1st", { freq: "yearly", interval: 1, bymonth: [1, 7], bymonthday: [1], ...AT9 }],
  // March was dropped: the 1st of every month.
  ["year on the 1st of march", { freq: "yearly", interval: 1, bymonth: [3], bymonthday: [1], ...AT9 }],
  // "monthly" read as "month" + "ly", the rest dropped: today's date.
  ["monthly on the 15th", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  // The week number was dropped: every Monday of the year.
  ["year on monday in week 1", { freq: "yearly", interval: 1, byweekday: [MO], byweekno: [1], ...AT9 }],
  // The count was dropped.
  ["friday the 13th for 3 times", { freq: "weekly", interval: 1, byweekday: [FR], bymonthday: [13], count: 3, ...AT9 }],
  ["2 weeks on monday 10 times", { freq: "weekly", interval: 2, byweekday: [MO], count: 10, ...AT9 }],
  // March was dropped: every weekday.
  ["weekdays in march", { freq: "weekly", interval: 1, byweekday: WEEKDAYS, bymonth: [3], ...AT9 }],
  // Refused before ("'weekday' is not a day of the week", "'15th' was not understood").
  ["last weekday of the month", { freq: "monthly", interval: 1, byweekday: WEEKDAYS, bysetpos: [-1], ...AT9 }],
  ["first weekday of the month", { freq: "monthly", interval: 1, byweekday: WEEKDAYS, bysetpos: [1], ...AT9 }],
  ["the 15th", { freq: "monthly", interval: 1, bymonthday: [15], ...AT9 }],
  ["on the 1st and 15th", { freq: "monthly", interval: 1, bymonthday: [1, 15], ...AT9 }],
];

/** More phrases of the same grammar. */
const MORE: [string, RuleParts][] = [
  ["every other week on monday", { freq: "weekly", interval: 2, byweekday: [MO], ...AT9 }],
  ["other monday", { freq: "weekly", interval: 2, byweekday: [MO], ...AT9 }],
  ["weekends for 4 times", { freq: "weekly", interval: 1, byweekday: [SA, SU], count: 4, ...AT9 }],
  ["mon, wed and fri for 6 times", { freq: "weekly", interval: 1, byweekday: [MO, WE, FR], count: 6, ...AT9 }],
  ["month on the second to last day", { freq: "monthly", interval: 1, bymonthday: [-2], ...AT9 }],
  ["month on the 2nd-to-last friday", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -2 }], ...AT9 }],
  ["month on the 1st and 15th and the last day", { freq: "monthly", interval: 1, bymonthday: [-1, 1, 15], ...AT9 }],
  ["month on monday and the last friday", { freq: "monthly", interval: 1, byweekday: [MO, { day: 4, n: -1 }], ...AT9 }],
  ["last friday of march", { freq: "monthly", interval: 1, byweekday: [{ day: 4, n: -1 }], bymonth: [3], ...AT9 }],
  ["year on the last weekday", { freq: "yearly", interval: 1, byweekday: WEEKDAYS, bysetpos: [-1], ...AT9 }],
  ["year on monday in weeks 1 and 2", { freq: "yearly", interval: 1, byweekday: [MO], byweekno: [1, 2], ...AT9 }],
  ["sept on the 1st", { freq: "yearly", interval: 1, bymonth: [9], bymonthday: [1], ...AT9 }],
  ["day in march", { freq: "daily", interval: 1, bymonth: [3], ...AT9 }],
  ["2 weeks on tuesday for 5 times at 10:00", { freq: "weekly", interval: 2, byweekday: [TU], count: 5, ...AT10 }],
];

/** Phrases refused before, and still refused. */
const REFUSED: [string, RegExp][] = [
  ["fortnightly", /^'fortnightly' was not understood as days$/],
  ["hour on monday", /'hour on monday' was not understood/],
  ["2 hours on monday", /'2 hours on monday' was not understood/],
  ["minutes", /'minutes' was not understood/],
  ["the", /'the' was not understood/],
  ["day for 0 times", /not understood|at least 1/],
  ["month on the 400th", /^there is no day 400 of a month$/],
];

/** Phrases fromText read wrong or only in part, now refused with what was not understood. */
const REFUSED_NOW: [string, RegExp][] = [
  // Every Friday (a number on a weekly weekday means nothing).
  ["week on the last friday", /needs 'month' or 'year': month on the last friday/],
  // An occurrence-less rule on day 100 / the 100th day of March-less years.
  ["month on the 100th", /^there is no day 100 of a month$/],
  ["year on the 100th day", /^there is no day 100 of a month$/],
  // The rest was dropped without a word (and "month on the" was every month).
  ["month once", /^'once' in 'month once' was not understood \(on monday, on the 15th/],
  ["month on monday xyz", /^'xyz' in 'month on monday xyz' was not understood/],
  ["month until 2027-01-01", /end date is not read here: give a count \('for 10 times'\) or an RRULE with UNTIL=/],
  ["month on the 15th for 3 times please", /nothing may follow 'for 3 times'/],
  ["month on the", /^'month on the' ends in 'the': say what comes after it \(month on the 15th\)$/],
  ["2 weeks on", /ends in 'on'/],
  // Every other week on weekdays, for what may mean every second weekday.
  ["2 weekdays", /^'2 weekdays' is unclear: say '2 weeks on weekdays' or 'weekday'$/],
  // Parts of a rule intersect: the Tuesdays that are a 1st.
  ["tuesday and the 1st", /'tuesday and the 1st' is unclear: days named together must all hold at once/],
  ["month on the last friday and the 1st", /is unclear: days named together must all hold at once/],
  ["year on week 1", /a week number needs 'year' and a day: year on monday in week 1/],
  ["month on the 6th friday", /^a month has no weekday number 6$/],
  ["year on monday in week 54", /^there is no week 54 of a year \(1 to 53\)$/],
  // Names every object has are no words of ours.
  ["constructor", /^'constructor' was not understood as days$/],
  ["month on the __proto__", /'__proto__' in 'month on the __proto__' was not understood/],
  ["month on the tostring friday", /'tostring' in .* was not understood/],
  // Bounds, each named.
  ["99999999999 weeks on monday", /^an interval is 1 to 1000/],
  ["0 weeks on monday", /^an interval is 1 to 1000/],
  ["weekday for 10001 times", /^a count is at least 1 and at most 10000/],
  ["month on the 15th for 99999999999999999999 times", /^a count is at least 1 and at most 10000/],
  [`week on ${"mo ".repeat(40)}`, /^a schedule has at most 40 words$/],
];

describe("day phrases read as the rrule.js fallback read them", () => {
  test.each(READ_BEFORE)("%s", (text, expected) => expect(rule(text)).toEqual(expected));
  test.each(REFUSED)("'%s' is refused", (text, message) => expect(error(text)).toMatch(message));
});

describe("day phrases the rrule.js fallback read wrong", () => {
  test.each(MISREAD_BEFORE)("%s", (text, expected) => expect(rule(text)).toEqual(expected));
  test.each(REFUSED_NOW)("'%s' is refused", (text, message) => expect(error(text)).toMatch(message));
});

describe("more day phrases", () => {
  test.each(MORE)("%s", (text, expected) => expect(rule(text)).toEqual(expected));

  test("the rules fire when the words say, and are said back truly", () => {
    const fires = (text: string, n: number) => {
      const r = parseEvery(text, "Europe/Berlin", NOW);
      if ("error" in r) throw new Error(r.error);
      const times = compileSchedule({ start: r.start, tz: r.tz, rule: r.rule }).take(NOW, n).map((t) => formatInstant(t, r.tz));
      return [scheduleWords({ start: r.start, tz: r.tz, rule: r.rule }), ...times];
    };
    expect(fires("month on the first and third monday at 10:00", 3)).toEqual([
      "every month on the first Monday and third Monday at 10:00 (Europe/Berlin)",
      "2026-12-07T10:00:00+01:00", "2026-12-21T10:00:00+01:00", "2027-01-04T10:00:00+01:00",
    ]);
    expect(fires("friday the 13th at 13:00", 2)).toEqual([
      "every Friday on the 13th of the month at 13:00 (Europe/Berlin)",
      "2027-08-13T13:00:00+02:00", "2028-10-13T13:00:00+02:00",
    ]);
    expect(fires("year in march on the 1st for 2 times", 3)).toEqual([
      "every year on 1 Mar at 09:00 (Europe/Berlin), 2 times",
      "2027-03-01T09:00:00+01:00", "2028-03-01T09:00:00+01:00",
    ]);
    expect(fires("other week on tuesday at 18:30", 2)).toEqual([
      "every 2 weeks on Tuesday at 18:30 (Europe/Berlin)",
      "2026-12-01T18:30:00+01:00", "2026-12-15T18:30:00+01:00",
    ]);
  });
});
