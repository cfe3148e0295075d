// `seshet check` beyond the files' syntax (issue 12 items 9 and 11): plugins
// are loaded, every func resolved, arguments checked against declared
// parameters and IRC names, and schedules that can never fire refused — each
// with FILE:LINE:COL. Real files in a temp project, real plugin imports.
import { afterEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { runCheck } from "../../src/cli/check-command.ts";
import { checkPlugins } from "../../src/cli/check-plugins.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { TomlLocator } from "../../src/config/toml-locator.ts";
import { tempProject, type TempProject } from "../config/temp-project.ts";

const BOT = (modules: string[] = []) =>
  `nick = "alpha"\nchannels = ["#t"]\nmodules = [\n${modules.map((m) => `  "${m}",\n`).join("")}]\n[server]\nhost = "irc.example.net"\n`;

const EXTRAS = `export default {
  name: "extras",
  setup(api) {
    api.task("tips", () => {}, { params: ["target", "topic?"] });
    api.task("free", () => {});
  },
};
export function exported() {}
`;

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

async function check(files: Record<string, string>) {
  project = tempProject(files);
  const lines: string[] = [];
  const code = await runCheck({ bots: project.botsDir, tasks: project.tasksDir }, (l) => lines.push(l), {});
  const rel = (l: string) => l.split(project!.dir + path.sep).join("");
  return { code, lines: lines.map(rel) };
}

const task = (body: string) => `[[task]]\nname = "t"\nstart = 2026-11-30T09:00:00\n${body}\n`;

describe("plugins", () => {
  test("a missing plugin file is an error at its modules entry", async () => {
    const r = await check({ "bots/alpha.toml": BOT(["plugins/extras.ts", "plugins/nope.ts"]), "plugins/extras.ts": EXTRAS });
    expect(r.code).toBe(1);
    expect(r.lines[0]).toMatch(/^bots\/alpha\.toml:5:3: plugin cannot be loaded: .*plugins\/nope\.ts: no such file$/);
  });

  test("a plugin that does not load, or throws in setup, is an error at its entry", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(["plugins/broken.ts", "plugins/throws.ts", "plugins/nodefault.ts"]),
      "plugins/broken.ts": "export default { name: 'broken', setup(api) { api.task('x', () => {} }",
      "plugins/throws.ts": "export default { name: 'throws', setup() { throw new Error('no API key configured'); } };",
      "plugins/nodefault.ts": "export const x = 1;",
    });
    expect(r.code).toBe(1);
    // The plugin's own error is located too (FILE:LINE:COL inside the plugin).
    expect(r.lines[0]).toMatch(/^bots\/alpha\.toml:4:3: plugin cannot be loaded: .*broken\.ts:1:\d+: /);
    expect(r.lines[1]).toBe("bots/alpha.toml:5:3: plugin cannot be loaded: no API key configured");
    expect(r.lines[2]).toMatch(/^bots\/alpha\.toml:6:3: plugin cannot be loaded: .*the default export must be/);
    expect(r.lines.length).toBe(4);
  });

  test("a setup that never finishes is reported, not waited for", async () => {
    project = tempProject({
      "bots/alpha.toml": BOT(["plugins/hangs.ts"]),
      "plugins/hangs.ts": "export default { name: 'hangs', setup() { return new Promise(() => {}); } };",
    });
    const config = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    const r = await checkPlugins(config.bots, new TomlLocator(), 200);
    expect(r.issues.map((i) => `${i.line}:${i.col}: ${i.message}`)).toEqual(["4:3: plugin cannot be loaded: setup did not finish within 0.2 s"]);
  });
});

test("a plugin registering an unusable function name is an error, as it is when the bot loads it", async () => {
  const r = await check({
    "bots/alpha.toml": BOT(["plugins/bad.ts"]),
    "plugins/bad.ts": 'export default { name: "bad", setup(api) { api.task("__proto__", () => {}); } };',
  });
  expect(r.lines[0]).toBe("bots/alpha.toml:4:3: plugin cannot be loaded: module 'bad': '__proto__' cannot be part of a function name");
});

test.skipIf(process.platform === "win32")("a tasks folder that cannot be read is a problem line, not a crash", async () => {
  project = tempProject({ "bots/alpha.toml": BOT() });
  // A symlink to itself cannot be listed (ELOOP), whoever runs the test (root reads a mode-000 folder).
  const { symlinkSync } = await import("node:fs");
  symlinkSync(project.tasksDir, project.tasksDir);
  const lines: string[] = [];
  const code = await runCheck({ bots: project.botsDir, tasks: project.tasksDir }, (l) => lines.push(l), {});
  expect(code).toBe(1);
  expect(lines[0]).toMatch(/tasks: cannot read: .*ELOOP/);
  expect(lines[1]).toBe("1 problem found");
});

describe("funcs", () => {
  test("misspelt functions and modules are errors at the func, with a suggestion", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(["plugins/extras.ts"]),
      "plugins/extras.ts": EXTRAS,
      "tasks/a.toml": [
        task('func = "core:sya"\nargs = ["#t", "hi"]'),
        task('func = "extra:tips"\nargs = ["#t"]').replace('"t"', '"t2"'),
        task('func = "extras:tip"\nargs = ["#t"]').replace('"t"', '"t3"'),
      ].join("\n"),
    });
    expect(r.lines).toEqual([
      `tasks/a.toml:4:8: func "core:sya": module 'core' has no task function 'sya'; did you mean "core:say"?`,
      `tasks/a.toml:10:8: func "extra:tips": bot 'alpha' has no module 'extra' (its modules: core, extras); did you mean "extras:tips"?`,
      `tasks/a.toml:16:8: func "extras:tip": module 'extras' has no task function 'tip'; did you mean "extras:tips"?`,
      "3 problems found",
    ]);
  });

  test("registered, undeclared and exported functions all resolve", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(["plugins/extras.ts"]),
      "plugins/extras.ts": EXTRAS,
      "tasks/a.toml": [
        task('func = "extras:tips"\nargs = ["#t", "tea"]'),
        task('func = "extras:free"\nargs = [1, 2, 3]\nkwargs = { any = true }').replace('"t"', '"t2"'),
        task('func = "extras:exported"').replace('"t"', '"t3"'),
      ].join("\n"),
    });
    expect(r).toEqual({ code: 0, lines: ["ok: 1 bot, 3 tasks, 1 plugin loaded"] });
  });

  test("a task for every bot must resolve on each", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(["plugins/extras.ts"]),
      "bots/beta.toml": BOT().replace('"alpha"', '"beta"'),
      "plugins/extras.ts": EXTRAS,
      "tasks/a.toml": task('func = "extras:tips"\nargs = ["#t"]'),
    });
    expect(r.lines[0]).toBe(`tasks/a.toml:4:8: func "extras:tips": bot 'beta' has no module 'extras' (its modules: core)`);
  });
});

describe("arguments", () => {
  test("core functions: count, names and values", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(),
      "tasks/a.toml": [
        task('func = "core:say"\nargs = ["#t"]'),
        task('func = "core:say"\nargs = ["#t", "hi", "extra"]').replace('"t"', '"t2"'),
        task('func = "core:join"\nargs = ["0"]').replace('"t"', '"t3"'),
        task('func = "core:notice"\nargs = ["#t\\r\\nQUIT :bye", "x"]').replace('"t"', '"t4"'),
        task('func = "core:say"\nargs = ["some nick", "x"]').replace('"t"', '"t5"'),
        task('func = "core:part"\nargs = ["#t"]\nkwargs = { reasn = "bye" }').replace('"t"', '"t6"'),
        task('func = "core:action"\nkwargs = { target = "#t", text = "waves" }').replace('"t"', '"t7"'),
        task(`func = "core:say"\nargs = ["#t", "${"x".repeat(4097)}"]`).replace('"t"', '"t8"'),
      ].join("\n"),
    });
    expect(r.lines).toEqual([
      "tasks/a.toml:5:8: core:say(target, text) needs 'text' (argument 2), but the task gives 1 argument",
      "tasks/a.toml:11:21: core:say(target, text) takes at most 2 arguments, got 3",
      `tasks/a.toml:17:9: core:join: "0" is not a channel: JOIN 0 parts every channel (and would be sent again on each reconnect); name a channel such as "#team"`,
      `tasks/a.toml:23:9: core:notice: channel "#t\\x0d\\x0aQUIT :bye" is not a valid channel name (no spaces, commas or control characters)`,
      `tasks/a.toml:29:9: core:say: target "some nick" is neither a channel (#name) nor a nick (no spaces, commas or line breaks)`,
      "tasks/a.toml:36:12: core:part(channel, reason?) has no parameter 'reasn'; did you mean 'reason'?",
      "tasks/a.toml:48:15: core:say: 'text' is 4097 bytes; at most 4096 are sent (about ten IRC lines)",
      "7 problems found",
    ]);
  });

  test("plugin functions that declare their parameters", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(["plugins/extras.ts"]),
      "plugins/extras.ts": EXTRAS,
      "tasks/a.toml": [task('func = "extras:tips"'), task('func = "extras:tips"\nargs = ["#t", "a", "b"]').replace('"t"', '"t2"')].join("\n"),
    });
    expect(r.lines).toEqual([
      "tasks/a.toml:4:8: extras:tips(target, topic?) needs 'target' (argument 1), but the task gives 0 arguments",
      "tasks/a.toml:10:20: extras:tips(target, topic?) takes at most 2 arguments, got 3",
      "2 problems found",
    ]);
  });
});

test("a reminder's own arguments are checked too", async () => {
  const r = await check({
    "bots/alpha.toml": BOT(),
    "tasks/a.toml": task('func = "core:say"\nargs = ["#t", "meeting"]\nbefore = ["1h", { offset = "15m", args = ["#t"] }]'),
  });
  expect(r.lines).toEqual([
    "tasks/a.toml:6:42: reminder 15m: core:say(target, text) needs 'text' (argument 2), but the task gives 1 argument",
    "1 problem found",
  ]);
});

describe("schedules that can never fire", () => {
  test("until before start and the 30th of February are errors; a past one-shot or a spent count is not", async () => {
    const r = await check({
      "bots/alpha.toml": BOT(),
      "tasks/a.toml": [
        task('func = "core:say"\nargs = ["#t", "x"]\nrrule = { freq = "daily", until = 2026-01-01T00:00:00 }'),
        task('func = "core:say"\nargs = ["#t", "x"]\nrrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"').replace('"t"', '"t2"'),
        task('func = "core:say"\nargs = ["#t", "x"]\nrrule = { freq = "daily", count = 3 }').replace('"t"', '"t3"').replace("2026-11-30", "2001-01-01"),
        task('func = "core:say"\nargs = ["#t", "x"]').replace('"t"', '"t4"').replace("2026-11-30", "2001-01-01"),
      ].join("\n"),
    });
    expect(r.lines).toEqual([
      "tasks/a.toml:6:9: this task can never fire: its rrule's 'until' is before its 'start' (2026-11-30T09:00:00)",
      "tasks/a.toml:13:9: this task can never fire: no date matches its schedule (like the 30th of February), or every one is excluded",
      "2 problems found",
    ]);
  });
});
