// `seshet next --every SCHEDULE`: how `!every` understands a schedule (the
// same parser), in words, then its next occurrences, like `--rrule`.
import { parseEvery } from "../chat/chat-every.ts";
import { compileSchedule } from "../scheduler/recurrence/recurrence.ts";
import { scheduleWords } from "../scheduler/schedule-words.ts";
import { nextFailure, parseNextOptions } from "./instant-arg.ts";
import { formatOccurrences } from "./next-command.ts";

export interface NextEveryOptions {
  every: string;
  /** The speaker's zone when the schedule names none; default UTC. */
  tz?: string;
  after?: string;
  n?: number;
  json?: boolean;
}

export function runNextEvery(opts: NextEveryOptions, out: (line: string) => void): number {
  const fail = nextFailure(out);
  const common = parseNextOptions(opts, Date.now());
  if (typeof common === "string") return fail(common);
  const { tz, n, after } = common;
  // Read as if typed at `after`: intervals start from it, English rules from that day.
  const parsed = parseEvery(opts.every, tz, after);
  if ("error" in parsed) return fail(`--every: ${parsed.error} (e.g. 'weekday at 09:00', 'last friday of the month at 16:00', '2 hours')`);
  const extras = parsed.exdate !== undefined ? { exdate: parsed.exdate } : undefined;
  const rec = compileSchedule({ start: parsed.start, tz: parsed.tz, rule: parsed.rule, extras });
  const words = scheduleWords({ start: parsed.start, tz: parsed.tz, rule: parsed.rule, exdate: parsed.exdate });
  if (rec.next(after) === null) return fail(`--every: ${words} never fires after ${new Date(after).toISOString()}`);
  for (const line of formatOccurrences(rec, parsed.tz, after, n, opts.json === true, words)) out(line);
  return 0;
}
