import { describe, expect, test } from "bun:test";
import { parseTaskFile } from "../../src/config/parse-task-file.ts";

const FILE = "tasks/standup.toml";
const BOTS = ["libera", "oftc"];

function ok(text: string) {
  const r = parseTaskFile(FILE, text, BOTS);
  expect(r.issues).toEqual([]);
  return r.tasks;
}

/** Every issue as `line:col: message`; the file then declares no task. */
function issues(text: string, bots: string[] | null = BOTS): string[] {
  const r = parseTaskFile(FILE, text, bots);
  expect(r.tasks).toEqual([]);
  for (const i of r.issues) expect(i.file).toBe(FILE);
  return r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`);
}

const TASK = (extra = "") => `[[task]]\nname = "t"\nfunc = "core:say"\nstart = 2026-11-30T09:55:00\n${extra}`;

describe("task definitions", () => {
  test("defaults", () => {
    const [t] = ok(`# header comment\n\n${TASK()}`);
    expect(t).toEqual({
      name: "t",
      bot: null,
      func: "core:say",
      args: [],
      kwargs: {},
      start: "2026-11-30T09:55:00",
      tz: null,
      catchup: "once",
      rrule: null,
      loc: { file: FILE, line: 3, col: 1 },
      index: 0,
    });
  });

  test("every key, and the design's example", () => {
    const tasks = ok(
      [
        TASK(),
        "[[task]]",
        'name = "standup"',
        'bot = "libera"',
        'func = "core:say"',
        'args = ["#team", "Stand-up in 5 minutes", 3, { when = 2026-01-02 }]',
        'kwargs = { notice = true, at = 2026-11-30T09:55:00 }',
        "start = 2026-11-30T09:55:00",
        'tz = "Europe/Berlin"',
        'catchup = "all"',
        "[task.rrule]",
        'freq = "weekly"',
        'byweekday = ["MO", "TU", "WE", "TH", "FR"]',
        "count = 200",
      ].join("\n"),
    );
    expect(tasks.length).toBe(2);
    const t = tasks[1]!;
    expect(t.index).toBe(1);
    expect(t.loc).toEqual({ file: FILE, line: 6, col: 1 }); // TASK() ends with a newline, so line 5 is blank
    expect(t.bot).toBe("libera");
    expect(t.tz).toBe("Europe/Berlin");
    expect(t.catchup).toBe("all");
    // Dates inside args and kwargs become plain strings, so they survive JSON.
    expect(JSON.parse(JSON.stringify(t.args))).toEqual(t.args);
    expect(t.args[0]).toBe("#team");
    expect(typeof (t.args[3] as { when: unknown }).when).toBe("string");
    expect(typeof t.kwargs.at).toBe("string");
    expect(t.kwargs.notice).toBe(true);
    expect(t.rrule?.freq).toBe("weekly");
    expect(t.rrule?.count).toBe(200);
    expect(t.rrule?.byweekday?.length).toBe(5);
  });

  test("a local date starts at midnight", () => {
    const [t] = ok('[[task]]\nname = "t"\nfunc = "m:f"\nstart = 2026-11-30\n');
    expect(t!.start).toBe("2026-11-30T00:00:00");
  });

  test("an rrule string", () => {
    const [t] = ok(TASK('rrule = "FREQ=WEEKLY;BYDAY=MO,FR"\n'));
    expect(t!.rrule?.freq).toBe("weekly");
    expect(t!.rrule?.byweekday?.map((d) => d.day)).toEqual([0, 4]);
  });

  test("an empty file and a file of comments declare nothing, without issues", () => {
    expect(ok("")).toEqual([]);
    expect(ok("# nothing yet\n")).toEqual([]);
  });
});

describe("task errors", () => {
  test("start: offset date-time, quoted, missing, fractional", () => {
    expect(issues('[[task]]\nname = "t"\nfunc = "m:f"\nstart = 2026-11-30T09:55:00Z\n')).toEqual([
      "4:9: 'start' must be a local date-time without 'Z' or UTC offset (e.g. 2026-11-30T09:55:00); it is read in the task's tz, so set tz instead",
    ]);
    expect(issues('[[task]]\nname = "t"\nfunc = "m:f"\nstart = "2026-11-30T09:55:00"\n')).toEqual([
      "4:9: 'start' must be a local date-time such as 2026-11-30T09:55:00 (write it without quotes), got string",
    ]);
    expect(issues('\n[[task]]\nname = "t"\nfunc = "m:f"\n')).toEqual([
      "2:1: missing required key 'start' in [[task]] #1 (a local date-time such as 2026-11-30T09:55:00)",
    ]);
    expect(issues('[[task]]\nname = "t"\nfunc = "m:f"\nstart = 2026-11-30T09:55:00.250\n')).toEqual([
      "4:9: 'start' must be whole seconds, e.g. 2026-11-30T09:55:00",
    ]);
  });

  test("func must be module:function, or the dotted module:object.function", () => {
    expect(issues('[[task]]\nname = "t"\nfunc  = "say"\nstart = 2026-11-30\n')).toEqual([
      `3:9: 'func' must be 'module:function' or 'module:object.function', e.g. "core:say", got "say"`,
    ]);
    expect(ok('[[task]]\nname = "t"\nfunc = "news:digest.weekly"\nstart = 2026-11-30\n')[0]?.func).toBe("news:digest.weekly");
  });

  test("unknown key with a suggestion", () => {
    expect(issues(TASK('rrul = { freq = "daily" }\n'))).toEqual([
      "5:1: unknown key 'rrul' in [[task]] #1; did you mean 'rrule'?",
    ]);
  });

  test("wrong types", () => {
    expect(issues(TASK('args = "#team"\n'))).toEqual(["5:8: 'args' must be an array, got string"]);
    expect(issues(TASK("kwargs = [1]\n"))).toEqual(["5:10: 'kwargs' must be a table, got array"]);
    expect(issues(TASK('catchup = "sometimes"\n'))).toEqual([
      `5:11: 'catchup' must be "skip", "once" or "all", got "sometimes"`,
    ]);
  });

  test("unknown IANA zone", () => {
    expect(issues(TASK('tz = "Mars/Olympus"\n'))).toEqual([
      `5:6: 'tz' "Mars/Olympus" is not a known IANA time zone (e.g. "Europe/Berlin", "America/New_York", "UTC")`,
    ]);
  });

  test("a task naming an unknown bot", () => {
    expect(issues(TASK('bot = "libra"\n'))).toEqual([
      `5:7: 'bot' names unknown bot "libra" (no bots/libra.toml); did you mean "libera"?`,
    ]);
    expect(issues(TASK('bot = "zzz"\n'))).toEqual([
      `5:7: 'bot' names unknown bot "zzz" (no bots/zzz.toml); the bots are: libera, oftc`,
    ]);
    // Without a list of bots, any bot name is accepted.
    expect(parseTaskFile(FILE, TASK('bot = "zzz"\n'), null).issues).toEqual([]);
  });

  test("rrule errors point at the part in the third task's table", () => {
    const three = `${TASK()}${TASK().replace('"t"', '"u"')}${TASK().replace('"t"', '"v"')}`;
    // Line 9 is the third [[task]]; its [task.rrule] is line 13.
    const bad = `${three}[task.rrule]\nfreq = "fortnightly"\n`;
    const [first] = issues(bad);
    expect(first).toMatch(/^14:8: .*rrule/);
    expect(first).toContain("fortnightly");

    const unknownPart = `${three}[task.rrule]\nfreq = "daily"\nbyweekdays = ["MO"]\n`;
    const [second] = issues(unknownPart);
    expect(second).toMatch(/^15:1: unknown rrule part 'byweekdays'/);
    expect(second).toContain("byweekdays");
    expect(second).toContain("'byweekday'");

    // A missing part points at the rrule table itself.
    const [third] = issues(`${three}\n[task.rrule]\ninterval = 2\n`);
    expect(third).toMatch(/^14:1: rrule needs 'freq'/);
    const [fourth] = issues(TASK("rrule = { interval = 2 }\n"));
    expect(fourth).toMatch(/^5:1: rrule needs 'freq'/);
  });

  test("an rrule string error points into the string", () => {
    const [msg] = issues(TASK('rrule = "FREQ=DAILY;BYHOUR=25"\n'));
    expect(msg).toMatch(/^5:21: .*rrule/);
  });

  test("[task] with one bracket", () => {
    expect(issues('[task]\nname = "t"\n')).toEqual([
      "1:1: 'task' must be a list of tables: write each task under its own [[task]] header (two brackets)",
    ]);
  });

  test("keys outside [[task]]", () => {
    expect(issues(`tz = "UTC"\n${TASK()}`)).toEqual([
      "1:1: unknown key 'tz' (a task file holds only [[task]] tables); expected one of: task",
    ]);
  });

  test("one bad task keeps the whole file out", () => {
    const r = parseTaskFile(FILE, `${TASK()}[[task]]\nname = "u"\nfunc = "m:f"\n`, BOTS);
    expect(r.tasks).toEqual([]);
    expect(r.issues.length).toBe(1);
  });

  test("TOML syntax error", () => {
    expect(issues('[[task]]\nname = "t\n')).toEqual([expect.stringMatching(/^2:\d+: invalid TOML: /) as unknown as string]);
  });
});

describe("duplicate task names", () => {
  test("the same bot twice: the second is reported with where the first is", () => {
    const text = `${TASK('bot = "libera"\n')}${TASK('bot = "libera"\n')}`;
    expect(issues(text)).toEqual([
      `7:8: duplicate task name 't' for bot 'libera': first declared at ${FILE}:1:1`,
    ]);
  });

  test("different bots may share a name", () => {
    expect(ok(`${TASK('bot = "libera"\n')}${TASK('bot = "oftc"\n')}`).length).toBe(2);
  });

  test("a task for every bot clashes with any bot's task of the same name, either way round", () => {
    expect(issues(`${TASK('bot = "oftc"\n')}${TASK()}`)).toEqual([
      `7:8: duplicate task name 't': this task has no 'bot', so it runs on every bot, and bot 'oftc' already has a task 't' (declared at ${FILE}:1:1)`,
    ]);
    expect(issues(`${TASK()}${TASK('bot = "oftc"\n')}`)).toEqual([
      `6:8: duplicate task name 't' for bot 'oftc': the task 't' declared at ${FILE}:1:1 has no 'bot', so it already runs on every bot`,
    ]);
  });
});
