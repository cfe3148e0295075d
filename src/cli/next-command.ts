// `seshet next RULE`: print the next occurrences of an ad-hoc rule.
import { parse as parseToml } from "smol-toml";
import { compileTaskSchedule, type Recurrence, type ScheduleExtras } from "../scheduler/recurrence/recurrence.ts";
import { parseCron } from "../scheduler/cron-parse.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import type { RuleParts } from "../scheduler/rule-parts.ts";
import { RuleError, parseRuleString, parseRuleTable } from "../scheduler/rule-parse.ts";
import { formatInstant, formatLocal, instantToLocal, parseLocal } from "../scheduler/zoned-time.ts";
import { nextFailure, parseNextOptions } from "./instant-arg.ts";

export interface NextOptions {
  /** RRULE string (`FREQ=DAILY;BYHOUR=9`, optional `RRULE:`) or TOML inline table (`{ freq = "daily", byhour = [9] }`). */
  rrule?: string;
  /** DTSTART as a local wall time; default: midnight (in tz) of the day of `after`. */
  start?: string;
  /** A cron expression instead of `rrule`. */
  cron?: string;
  /** Comma-separated local date-times (or dates) to leave out / add. */
  exdate?: string;
  rdate?: string;
  /** IANA zone; default UTC. */
  tz?: string;
  /** ISO instant with offset or Z, or a local time read in tz; default now. */
  after?: string;
  n?: number;
  json?: boolean;
}

/**
 * Lines printing the next n occurrences strictly after `after`: one per line
 * after a `# schedule in words` line, or one JSON array.
 */
export function formatOccurrences(rec: Recurrence, tz: string, after: number, n: number, json: boolean, words?: string): string[] {
  const list = rec.take(after, n).map((t) => formatInstant(t, tz));
  if (json) return [JSON.stringify(list)];
  return words === undefined ? list : [`# ${words}`, ...list];
}

function dateList(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  return text.split(",").map((d) => d.trim()).filter((d) => d !== "");
}

function parseRule(text: string): RuleParts {
  const s = text.trim();
  if (s.startsWith("{")) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(`x = ${s}`) as Record<string, unknown>;
    } catch (e) {
      throw new RuleError(`RULE is not a valid TOML inline table: ${(e as Error).message.split("\n")[0]}`);
    }
    return parseRuleTable(doc.x as Record<string, unknown>);
  }
  return parseRuleString(s);
}

export function runNext(opts: NextOptions, out: (line: string) => void): number {
  const fail = nextFailure(out);
  const common = parseNextOptions(opts, Date.now());
  if (typeof common === "string") return fail(common);
  const { tz, n, after } = common;
  let start = opts.start;
  if (start === undefined) {
    const l = instantToLocal(after, tz);
    start = formatLocal({ ...l, hour: 0, minute: 0, second: 0 });
  } else if (parseLocal(start) === null) {
    return fail(`invalid --start '${start}' (expected a local date-time such as 2026-03-29T09:00:00)`);
  }
  let rule: RuleParts | null = null;
  try {
    if (opts.rrule !== undefined && opts.rrule.trim() !== "") rule = parseRule(opts.rrule);
    if (rule !== null && opts.cron !== undefined) return fail("give either --rrule or --cron, not both");
    const extras: ScheduleExtras = {};
    if (opts.cron !== undefined) extras.cron = parseCron(opts.cron).text;
    const exdate = dateList(opts.exdate);
    const rdate = dateList(opts.rdate);
    if (exdate) extras.exdate = exdate;
    if (rdate) extras.rdate = rdate;
    const task = { start, tz, rrule: rule, extras };
    const rec = compileTaskSchedule(task);
    for (const line of formatOccurrences(rec, tz, after, n, opts.json === true, taskScheduleWords(task))) out(line);
    return 0;
  } catch (e) {
    if (e instanceof RuleError) return fail(e.message);
    throw e;
  }
}
