// `!every` day phrases beyond the fixed forms ("2 weeks on tuesday", "month
// on the 1st and 15th", "january on the 1st", "… for 10 times"): the rule
// each one gives. The table was first recorded from the code that handed
// these phrases to rrule.js's fromText, and is written out here so that our
// own reader must give the same rule parts for every phrase it read right.
import { describe, expect, test } from "bun:test";
import { parseEvery } from "../../src/chat/chat-every.ts";
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

/** Phrases refused before, and still refused. */
const REFUSED: [string, RegExp][] = [
  ["fortnightly", /^'fortnightly' was not understood as days$/],
  ["hour on monday", /'hour on monday' was not understood/],
  ["2 hours on monday", /'2 hours on monday' was not understood/],
  ["minutes", /'minutes' was not understood/],
  ["the", /'the' was not understood/],
  ["day for 0 times", /not understood|at least 1/],
  ["month on the 400th", /not understood|no day 400/],
];

describe("day phrases read as the rrule.js fallback read them", () => {
  test.each(READ_BEFORE)("%s", (text, expected) => expect(rule(text)).toEqual(expected));
  test.each(REFUSED)("'%s' is refused", (text, message) => expect(error(text)).toMatch(message));
});
