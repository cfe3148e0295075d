// The schedule keys of a task file: cron, exdate, rdate, before, late_after,
// read into the definition, or refused with FILE:LINE:COL errors.
import { describe, expect, test } from "bun:test";
import { bindTasks } from "../../src/config/bind-tasks.ts";
import type { BotConfig } from "../../src/config/config-types.ts";
import { parseTaskFile } from "../../src/config/parse-task-file.ts";

const FILE = "tasks/x.toml";

function ok(text: string) {
  const r = parseTaskFile(FILE, text, null);
  expect(r.issues).toEqual([]);
  return r.tasks;
}

function issues(text: string): string[] {
  const r = parseTaskFile(FILE, text, null);
  expect(r.tasks).toEqual([]);
  return r.issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`);
}

const HEAD = `[[task]]\nname = "standup"\nfunc = "core:say"\n`;

describe("cron", () => {
  test("a cron task needs no start", () => {
    const [t] = ok(`${HEAD}cron = "0 9 * * 1-5"\ntz = "Europe/Berlin"\n`);
    expect(t!.extras).toEqual({ cron: "0 9 * * 1-5" });
    expect(t!.rrule).toBe(null);
    expect(t!.start).toBe("1970-01-01T00:00:00");
  });

  test("errors name the field, at the value", () => {
    expect(issues(`${HEAD}cron = "0 25 * * *"\n`)).toEqual(["tasks/x.toml:4:8: cron field 'hour' (2nd): 25 is out of range 0-23"]);
    expect(issues(`${HEAD}cron = "0 9 * FOO *"\n`)).toEqual(["tasks/x.toml:4:8: cron field 'month' (4th): 'FOO' is not a number or a name (JAN-DEC)"]);
    expect(issues(`${HEAD}cron = "0 9 * *"\n`)[0]).toContain("must have 5 fields");
    expect(issues(`${HEAD}cron = "@reboot"\n`)[0]).toContain("@reboot is not a schedule");
    expect(issues(`${HEAD}cron = "*/0 * * * *"\n`)).toEqual(["tasks/x.toml:4:8: cron field 'minute' (1st): step '0' must be a whole number of at least 1"]);
  });

  test("cron and rrule together is an error at cron", () => {
    expect(issues(`${HEAD}start = 2026-01-01T09:00:00\nrrule = "FREQ=DAILY"\ncron = "0 9 * * *"\n`)).toEqual([
      "tasks/x.toml:6:1: give either 'cron' or 'rrule', not both",
    ]);
  });
});

describe("exdate and rdate", () => {
  test("local date-times and (for exdate) dates, sorted", () => {
    const [t] = ok(`${HEAD}start = 2026-12-01T09:00:00\nrrule = "FREQ=DAILY"\nexdate = [2026-12-31, 2026-12-24T09:00:00]\nrdate = [2026-12-26T12:00:00]\n`);
    expect(t!.extras).toEqual({ exdate: ["2026-12-24T09:00:00", "2026-12-31"], rdate: ["2026-12-26T12:00:00"] });
  });

  test("each bad item is reported where it is", () => {
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nexdate = [2026-12-24T09:00:00, "2026-12-25"]\n`)).toEqual([
      "tasks/x.toml:5:32: 'exdate' item 2 must be one of local date-times (2026-12-24T09:00:00) or local dates (2026-12-24), got string",
    ]);
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nrdate = [2026-12-24]\n`)).toEqual([
      "tasks/x.toml:5:10: 'rdate' item 1 must be one of local date-times such as 2026-12-24T09:00:00, got local date",
    ]);
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nexdate = [2026-12-24T09:00:00Z]\n`)[0]).toContain("no 'Z' or offset");
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nexdate = 2026-12-24\n`)[0]).toContain("must be an array");
  });

  test("lists are bounded", () => {
    const many = Array.from({ length: 1001 }, (_, i) => `2027-01-01T${String(i % 24).padStart(2, "0")}:${String(Math.floor(i / 24) % 60).padStart(2, "0")}:00`);
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nrdate = [${many.join(", ")}]\n`)[0]).toContain("at most 1000");
  });
});

describe("before and late_after", () => {
  const BOT: BotConfig = { name: "b", tz: "UTC" } as BotConfig;

  test("reminders become tasks of their own, named NAME@-OFFSET, with their own text or the task's", () => {
    const tasks = ok(
      `${HEAD}args = ["#team", "Meeting now"]\nstart = 2026-12-01T18:00:00\nrrule = "FREQ=WEEKLY"\nexdate = [2026-12-22]\n` +
        `before = ["1d", { offset = "15m", args = ["#team", "Meeting in 15 minutes"] }]\nlate_after = "10m"\n`,
    );
    const bound = bindTasks([BOT], tasks);
    expect(bound.map((t) => [t.name, t.args[1], t.extras])).toEqual([
      ["standup", "Meeting now", { exdate: ["2026-12-22"], lateAfter: 600_000 }],
      ["standup@-1d", "Meeting now", { exdate: ["2026-12-22"], lateAfter: 600_000, before: 86_400_000 }],
      ["standup@-15m", "Meeting in 15 minutes", { exdate: ["2026-12-22"], lateAfter: 600_000, before: 900_000 }],
    ]);
  });

  test("bad durations are errors at the item", () => {
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nbefore = ["15m", "soon"]\n`)).toEqual([
      `tasks/x.toml:5:18: 'before' item 2 must be a duration from 1s to 366d such as "15m", "1h30m" or "1d", got "soon"`,
    ]);
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nlate_after = 600\n`)[0]).toContain("'late_after' must be a duration");
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nbefore = ["15m", "15m"]\n`)[0]).toContain("repeats the offset 15m");
    expect(issues(`${HEAD}start = 2026-12-01T09:00:00\nbefore = [{ offset = "15m", text = "x" }]\n`)[0]).toContain("unknown key 'text'");
  });

  test("a reminder's name may not clash with another task", () => {
    const text = `${HEAD}start = 2026-12-01T09:00:00\nbefore = ["15m"]\n\n[[task]]\nname = "standup@-15m"\nfunc = "core:say"\nstart = 2026-12-01T09:00:00\n`;
    expect(issues(text).join("\n")).toContain("duplicate task name 'standup@-15m'");
  });
});
