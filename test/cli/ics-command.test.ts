// `seshet ics`: python's icalendar reads the feed back and dateutil expands
// every event to the same instants the scheduler fires at, for every example
// task and for tasks that cross DST changes with exceptions and extra dates.
import { afterAll, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { bindTasks } from "../../src/config/bind-tasks.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { runIcs } from "../../src/cli/ics-command.ts";
import { compileTaskSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import { runPythonJson } from "../support/reference-python.ts";
import { MINIMAL_BOT, tempProject } from "../config/temp-project.ts";

const REPO = path.join(import.meta.dir, "..", "..");
const READER = path.join(REPO, "test", "scheduler", "dateutil", "read-ics.py");
const NOW = Date.parse("2026-12-01T00:00:00Z");

interface ReadBack {
  uids: string[];
  timezones: string[];
  alarms: Record<string, string[]>;
  occurrences: Record<string, string[]>;
}

const DST_TASKS = `
[[task]]
name = "gap"
func = "core:say"
args = ["#c", "02:30 daily"]
start = 2026-03-01T02:30:00
tz = "Europe/Berlin"
rrule = "FREQ=DAILY;UNTIL=20261105T000000"
exdate = [2026-03-29T02:30:00, 2026-10-25, 2026-04-01T02:30:00]
rdate = [2026-03-29T12:00:00, 2026-11-20T09:15:00]
before = ["1h", { offset = "1d", args = ["#c", "tomorrow"] }]

[[task]]
name = "hourly-ny"
func = "core:notice"
args = ["#c", "hourly"]
start = 2026-03-07T20:00:00
tz = "America/New_York"
rrule = { freq = "hourly", interval = 1, count = 60 }
exdate = [2026-03-08T03:00:00]

[[task]]
name = "vixie"
func = "core:say"
args = ["#c", "first of the month or a Monday"]
cron = "0 9 1 * MON"
tz = "Australia/Lord_Howe"

[[task]]
name = "cron-gap"
func = "core:say"
args = ["#c", "every 30 minutes at night"]
cron = "*/30 1-3 * * *"
tz = "Europe/Berlin"
exdate = [2027-03-28]

[[task]]
name = "once"
func = "my:thing"
args = ["x"]
start = 2026-12-24T18:00:00
tz = "Pacific/Chatham"
rdate = [2027-04-04T02:45:00, 2026-12-31T23:59:59]

[[task]]
name = "yearly"
func = "core:say"
args = ["#c", "last Sunday of October"]
start = 2020-10-25T01:30:00
tz = "Europe/London"
rrule = "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
`;

const project = tempProject({ "bots/dst.toml": MINIMAL_BOT, "tasks/dst.toml": DST_TASKS });
afterAll(() => project.remove());

async function feedOf(bots: string, tasks: string, bot?: string, now = NOW): Promise<{ code: number; text: string; errors: string[] }> {
  let text = "";
  const errors: string[] = [];
  const code = await runIcs({ bots, tasks, bot }, (t) => (text += t), (l) => errors.push(l), {}, now);
  return { code, text, errors };
}

/**
 * Our instants for each task, and the same queries answered by the feed read
 * back in Python. Queries are from the feed's `now` on (it starts unbounded
 * rules this month); a rule firing more than daily is asked only at `now`
 * (dateutil walks from DTSTART, a step per run).
 */
async function compare(bots: string, tasks: string, now: number, afters: number[], n: number) {
  const { code, text, errors } = await feedOf(bots, tasks, undefined, now);
  expect(errors).toEqual([]);
  expect(code).toBe(0);
  const config = await loadConfig({ botsDir: bots, tasksDir: tasks, env: {} });
  const bound = bindTasks(config.bots, config.tasks).filter((t) => t.extras?.before === undefined);
  const subDaily = (t: (typeof bound)[number]) => ["hourly", "minutely", "secondly"].includes(t.rrule?.freq ?? "");
  const queries = bound.flatMap((t) =>
    (subDaily(t) ? [now] : afters).map((a) => ({ uid: `${t.name}@${t.bot}.seshet`, after: new Date(a).toISOString(), n, task: t })),
  );
  const back = runPythonJson<ReadBack>(["icalendar", "dateutil"], READER, [], JSON.stringify({ ics: text, queries }));
  const mismatches: string[] = [];
  for (const q of queries) {
    // A cron expression listed as RDATEs is only listed for a year from now.
    const horizon = q.task.extras?.cron !== undefined ? now + 366 * 86_400_000 : Infinity;
    const ours = compileTaskSchedule(q.task).take(Date.parse(q.after), n).filter((t) => t < horizon).map((t) => formatInstant(t, q.task.tz));
    const theirs = back.occurrences[`${q.uid} ${q.after}`]!.slice(0, ours.length);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${q.uid} after ${q.after}\n  seshet ${JSON.stringify(ours)}\n  ics    ${JSON.stringify(theirs)}`);
  }
  return { text, back, bound, mismatches };
}

describe("seshet ics", () => {
  test("every example task: the feed expands to the instants seshet next gives", async () => {
    const afters = [NOW, Date.parse("2027-03-20T00:00:00Z"), Date.parse("2027-10-25T12:00:00Z")];
    const r = await compare(path.join(REPO, "bots"), path.join(REPO, "tasks"), NOW, afters, 12);
    expect(r.mismatches.join("\n")).toBe("");
    expect(r.back.uids.length).toBe(r.bound.length);
    expect(r.back.alarms["meeting@example.seshet"]).toEqual(["-PT15M"]);
  }, 60_000);

  test("tasks across DST changes, with EXDATE, RDATE, UNTIL, COUNT, cron and reminders", async () => {
    const march = Date.parse("2026-03-01T12:00:00Z");
    const afters = [
      march,
      Date.parse("2026-03-27T00:00:00Z"),
      Date.parse("2026-03-07T00:00:00Z"),
      Date.parse("2026-10-23T00:00:00Z"),
      NOW,
      Date.parse("2027-03-26T00:00:00Z"),
    ];
    const r = await compare(project.botsDir, project.tasksDir, march, afters, 30);
    expect(r.mismatches.join("\n")).toBe("");
    expect(r.back.uids).toEqual(["cron-gap@dst.seshet", "gap@dst.seshet", "hourly-ny@dst.seshet", "once@dst.seshet", "vixie@dst.seshet", "yearly@dst.seshet"]);
    expect(r.back.timezones).toEqual(["America/New_York", "Australia/Lord_Howe", "Europe/Berlin", "Europe/London", "Pacific/Chatham"]);
    expect(r.back.alarms["gap@dst.seshet"]).toEqual(["-PT1H", "-P1D"]);
    // The Vixie OR rule has no single RRULE: listed as RDATEs, said so.
    expect(r.text).toMatch(/COMMENT:cron "0 9 1 \* MON": runs listed up to/);
  }, 60_000);

  test("the text is RFC 5545: CRLF lines of at most 75 octets, escaped text, UNTIL in UTC", async () => {
    const { text } = await feedOf(project.botsDir, project.tasksDir, undefined, Date.parse("2026-03-01T12:00:00Z"));
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n").slice(0, -1);
    for (const line of lines) {
      expect(line.includes("\n") || line.includes("\r")).toBe(false);
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    }
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain("RRULE:FREQ=DAILY;UNTIL=20261104T230000Z;BYHOUR=2;BYMINUTE=30;BYSECOND=0");
    // The gap EXDATE as written (02:30); the date-only one as that day's run.
    expect(unfolded).toContain("EXDATE;TZID=Europe/Berlin:20260329T023000,20260401T023000,20261025T023000");
    expect(unfolded).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/);
    expect(unfolded.match(/BEGIN:VEVENT/g)!.length).toBe(6);
  });

  test("--bot limits the feed; an unknown bot is an error", async () => {
    const two = tempProject({ "bots/a.toml": MINIMAL_BOT, "bots/b.toml": MINIMAL_BOT, "tasks/t.toml": `[[task]]\nname = "x"\nbot = "a"\nfunc = "core:say"\nargs = ["#c", "hi"]\nstart = 2026-12-24T09:00:00\n` });
    try {
      const a = await feedOf(two.botsDir, two.tasksDir, "a");
      expect(a.text).toContain("UID:x@a.seshet");
      const b = await feedOf(two.botsDir, two.tasksDir, "b");
      expect(b.text).not.toContain("BEGIN:VEVENT");
      const none = await feedOf(two.botsDir, two.tasksDir, "zz");
      expect(none.code).toBe(1);
      expect(none.errors[0]).toContain("no bot 'zz'");
    } finally {
      two.remove();
    }
  });
});
