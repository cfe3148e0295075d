// RFC 5545 RRULE parts, as read from a task's `rrule` table or string.
export type Freq =
  | "yearly"
  | "monthly"
  | "weekly"
  | "daily"
  | "hourly"
  | "minutely"
  | "secondly";

/** 0 = Monday … 6 = Sunday (dateutil's and rrule.js's numbering). */
export type WeekdayNumber = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** `MO` is `{ day: 0 }`; `+1MO` is `{ day: 0, n: 1 }`; `-1FR` is `{ day: 4, n: -1 }`. */
export interface WeekdaySpec {
  day: WeekdayNumber;
  n?: number;
}

/** `until` is a local wall time read in the task's zone, or an absolute instant. */
export type Until = { local: string } | { instant: number };

export interface RuleParts {
  freq: Freq;
  interval: number;
  count?: number;
  until?: Until;
  bysetpos?: number[];
  bymonth?: number[];
  bymonthday?: number[];
  byyearday?: number[];
  byweekno?: number[];
  byweekday?: WeekdaySpec[];
  byhour?: number[];
  byminute?: number[];
  bysecond?: number[];
  wkst?: WeekdayNumber;
}
