// `check`, `next`, `init` and friends run under Deno from the same source and
// print what they print under Bun.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeProject } from "../support/seshet-process.ts";
import { BUN_SESHET, DENO_SESHET, requireDeno, runCli } from "./deno-cli.ts";

const BOT = `nick = "b"\nchannels = ["#c"]\n[server]\nhost = "127.0.0.1"\nport = 6667\n`;
const GOOD_TASKS = `[[task]]
name = "standup"
func = "core:say"
args = ["#c", "stand-up"]
start = 2026-01-05T09:00:00
tz = "Europe/Berlin"
rrule = { freq = "weekly", byweekday = ["MO", "FR"] }

[[task]]
name = "once"
func = "core:say"
args = ["#c", "hi"]
start = 2099-01-01T00:00:00
`;
const BAD_TASKS = `[[task]]
name = "x"
func = "core:say"
args = ["#c", "hi"]
start = 2026-01-01T00:00:00
tz = "Europe/Berln"

[[task]]
name = "y"
func = "core:say"
start = 2026-01-01T00:00:00
rrule = { freq = "dayly" }
`;

const projects: { remove(): void }[] = [];
function project(files: Record<string, string>): string {
  const p = makeProject(files);
  projects.push(p);
  return p.dir;
}

beforeAll(() => requireDeno());
afterAll(() => {
  for (const p of projects) p.remove();
});

test("the source runs on Deno, not on Bun in disguise", () => {
  const r = runCli(DENO_SESHET, ["--version"], project({}));
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^seshet\/\d+\.\d+\.\d+ \(deno 2\.\d+\.\d+\)/);
}, 60_000);

describe("check under Deno", () => {
  test("good files: ok and exit 0", () => {
    const dir = project({ "bots/b.toml": BOT, "tasks/t.toml": GOOD_TASKS });
    const r = runCli(DENO_SESHET, ["check"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ok: 1 bot, 2 tasks");
    expect(r.code).toBe(0);
  }, 60_000);

  test("broken files: FILE:LINE:COL per problem, exit 1, the same as on Bun", () => {
    const dir = project({
      "bots/b.toml": BOT,
      "bots/broken.toml": "nick = 5\n",
      "tasks/bad.toml": BAD_TASKS,
      "tasks/syntax.toml": '[[task]\nname = "z"\n',
    });
    const deno = runCli(DENO_SESHET, ["check"], dir);
    expect(deno.code).toBe(1);
    const lines = deno.stdout.trim().split("\n");
    expect(lines).toContain(`tasks/bad.toml:6:6: 'tz' "Europe/Berln" is not a known IANA time zone; did you mean "Europe/Berlin"?`);
    expect(lines.some((l) => l.startsWith("tasks/bad.toml:12:18: rrule part 'freq' must be one of"))).toBe(true);
    expect(lines.some((l) => /^tasks\/syntax\.toml:1:\d+: invalid TOML/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith("bots/broken.toml:1:8: 'nick' must be a string"))).toBe(true);
    expect(lines.at(-1)).toBe("5 problems found");

    const bun = runCli(BUN_SESHET, ["check"], dir);
    expect(deno.stdout).toBe(bun.stdout);
    expect(deno.code).toBe(bun.code);
  }, 60_000);
});

describe("next under Deno", () => {
  test("a daily rule in Europe/Berlin across the spring-forward gap, as on Bun", () => {
    const args = ["next", "--rrule", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "--start", "2026-03-27T02:30:00", "--tz", "Europe/Berlin", "--after", "2026-03-27T00:00:00Z", "-n", "4", "--json"];
    const dir = project({});
    const deno = runCli(DENO_SESHET, args, dir);
    expect(deno.code).toBe(0);
    // 02:30 does not exist on 29 March: it moves forward by the gap's length.
    expect(JSON.parse(deno.stdout)).toEqual(["2026-03-27T02:30:00+01:00", "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"]);
    expect(deno.stdout).toBe(runCli(BUN_SESHET, args, dir).stdout);
  }, 60_000);

  test("a declared task in America/New_York across the fall-back overlap, as on Bun", () => {
    const dir = project({
      "bots/b.toml": BOT,
      "tasks/t.toml": `[[task]]\nname = "early"\nfunc = "core:say"\nargs = ["#c", "x"]\nstart = 2026-10-30T01:30:00\ntz = "America/New_York"\nrrule = "FREQ=DAILY"\n`,
    });
    const args = ["next", "early", "--after", "2026-10-30T00:00:00Z", "-n", "4"];
    const deno = runCli(DENO_SESHET, args, dir);
    expect(deno.code).toBe(0);
    expect(deno.stdout.trim().split("\n")).toEqual(["# every day at 01:30 (America/New_York)", "2026-10-30T01:30:00-04:00", "2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]);
    expect(deno.stdout).toBe(runCli(BUN_SESHET, args, dir).stdout);
  }, 60_000);
});

describe("richer schedules under Deno", () => {
  const TASKS = `[[task]]\nname = "meet"\nfunc = "core:say"\nargs = ["#c", "meeting"]\nstart = 2026-03-03T18:00:00\ntz = "Europe/Berlin"\n` +
    `rrule = "FREQ=WEEKLY"\nexdate = [2026-03-31]\nrdate = [2026-03-29T02:30:00]\nbefore = ["15m"]\n\n` +
    `[[task]]\nname = "night"\nfunc = "core:say"\nargs = ["#c", "night"]\ncron = "30 2 * * *"\ntz = "Europe/Berlin"\n`;

  test("cron, EXDATE and RDATE across the gap, and the schedule in words, as on Bun", () => {
    const dir = project({ "bots/b.toml": BOT, "tasks/t.toml": TASKS });
    for (const args of [
      ["next", "meet", "--after", "2026-03-20T00:00:00Z", "-n", "4"],
      ["next", "night", "--after", "2026-03-28T00:00:00Z", "-n", "2"],
      ["check", "--verbose"],
    ]) {
      const deno = runCli(DENO_SESHET, args, dir);
      expect(deno.code).toBe(0);
      expect(deno.stdout).toBe(runCli(BUN_SESHET, args, dir).stdout);
    }
    const night = runCli(DENO_SESHET, ["next", "night", "--after", "2026-03-28T00:00:00Z", "-n", "2"], dir);
    expect(night.stdout.trim().split("\n")).toEqual(['# cron "30 2 * * *": every day at 02:30 (Europe/Berlin)', "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00"]);
  }, 60_000);

  test("the iCalendar feed is the same as on Bun", () => {
    const dir = project({ "bots/b.toml": BOT, "tasks/t.toml": TASKS });
    const deno = runCli(DENO_SESHET, ["ics"], dir);
    expect(deno.code).toBe(0);
    const bun = runCli(BUN_SESHET, ["ics"], dir);
    const stable = (text: string) => text.replace(/DTSTAMP:\S+/g, "DTSTAMP");
    expect(stable(deno.stdout)).toBe(stable(bun.stdout));
    expect(deno.stdout).toContain("TRIGGER:-PT15M");
  }, 60_000);
});

test("init writes a starter project that check accepts, under Deno", () => {
  const dir = project({});
  const init = runCli(DENO_SESHET, ["init", "fresh"], dir);
  expect(init.code).toBe(0);
  expect(existsSync(join(dir, "fresh", "bots"))).toBe(true);
  expect(existsSync(join(dir, "fresh", "tasks"))).toBe(true);
  const check = runCli(DENO_SESHET, ["check"], join(dir, "fresh"));
  expect(check.stdout).toMatch(/^ok: \d+ bots?, \d+ tasks?/);
  expect(check.code).toBe(0);
}, 60_000);

test("an unknown command fails with exit 1 under Deno", () => {
  const r = runCli(DENO_SESHET, ["frobnicate"], project({}));
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("unknown command 'frobnicate'");
}, 60_000);

test("check loads plugins and resolves funcs under Deno, as on Bun", () => {
  const dir = project({
    "bots/b.toml": `${BOT.replace("[server]", 'modules = ["plugins/extras.ts", "plugins/gone.ts"]\n[server]')}`,
    "plugins/extras.ts": 'export default { name: "extras", setup(api) { api.task("tips", () => {}, { params: ["target"] }); } };\n',
    "tasks/t.toml": '[[task]]\nname = "t"\nfunc = "extras:tip"\nargs = ["#c"]\nstart = 2026-01-01T00:00:00\n\n[[task]]\nname = "u"\nfunc = "core:join"\nargs = ["0"]\nstart = 2026-01-01T00:00:00\n',
  });
  const deno = runCli(DENO_SESHET, ["check"], dir);
  const bun = runCli(BUN_SESHET, ["check"], dir);
  expect(deno.code).toBe(1);
  const lines = deno.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^bots\/b\.toml:3:33: plugin cannot be loaded: .*gone\.ts: no such file$/);
  expect(lines).toContain(`tasks/t.toml:3:8: func "extras:tip": module 'extras' has no task function 'tip'; did you mean "extras:tips"?`);
  expect(lines.some((l) => l.startsWith(`tasks/t.toml:10:9: core:join: "0" is not a channel`))).toBe(true);
  expect(lines.at(-1)).toBe("3 problems found");
  expect(deno.stdout).toBe(bun.stdout);
}, 60_000);
