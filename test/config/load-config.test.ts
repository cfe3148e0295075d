import { afterEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { loadConfig, loadTaskFiles } from "../../src/config/load-config.ts";
import { MINIMAL_BOT, tempProject, type TempProject } from "./temp-project.ts";

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

const task = (name: string, extra = "") =>
  `[[task]]\nname = "${name}"\nfunc = "core:say"\nstart = 2026-11-30T09:00:00\n${extra}`;

describe("loadConfig", () => {
  test("reads bots and task files in name order", async () => {
    project = tempProject({
      "bots/oftc.toml": MINIMAL_BOT,
      "bots/libera.toml": MINIMAL_BOT.replace('"seshet"', '"other"'),
      "bots/README.md": "not a bot",
      "tasks/b.toml": task("b1") + task("b2"),
      "tasks/a.toml": task("a1", 'bot = "oftc"\n'),
      "tasks/notes.txt": "ignored",
    });
    const c = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    expect(c.issues).toEqual([]);
    expect(c.brokenTaskFiles).toEqual([]);
    expect(c.bots.map((b) => [b.name, b.nick])).toEqual([
      ["libera", "other"],
      ["oftc", "seshet"],
    ]);
    expect(c.tasks.map((t) => [t.name, t.index, path.basename(t.loc.file)])).toEqual([
      ["a1", 0, "a.toml"],
      ["b1", 0, "b.toml"],
      ["b2", 1, "b.toml"],
    ]);
  });

  test("a broken task file contributes no tasks; the others still load", async () => {
    project = tempProject({
      "bots/libera.toml": MINIMAL_BOT,
      "tasks/a.toml": task("a1"),
      "tasks/b.toml": task("b1") + task("b2", 'catchup = "never"\n'),
      "tasks/c.toml": task("c1"),
    });
    const c = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    const b = path.join(project.tasksDir, "b.toml");
    expect(c.tasks.map((t) => t.name)).toEqual(["a1", "c1"]);
    expect(c.brokenTaskFiles).toEqual([b]);
    expect(c.issues).toEqual([
      { file: b, line: 9, col: 11, message: `'catchup' must be "skip", "once" or "all", got "never"` },
    ]);
  });

  test("a duplicate across files breaks the later file and names the first declaration", async () => {
    project = tempProject({
      "bots/libera.toml": MINIMAL_BOT,
      "tasks/a.toml": `# first\n${task("standup", 'bot = "libera"\n')}`,
      "tasks/b.toml": task("other") + task("standup"),
    });
    const c = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    const a = path.join(project.tasksDir, "a.toml");
    const b = path.join(project.tasksDir, "b.toml");
    expect(c.tasks.map((t) => t.name)).toEqual(["standup"]);
    expect(c.brokenTaskFiles).toEqual([b]);
    expect(c.issues).toEqual([
      {
        file: b,
        line: 6,
        col: 8,
        message: `duplicate task name 'standup': this task has no 'bot', so it runs on every bot, and bot 'libera' already has a task 'standup' (declared at ${a}:2:1)`,
      },
    ]);
  });

  test("a broken bot file gives no bot, but its tasks are not 'unknown bot' errors", async () => {
    project = tempProject({
      "bots/libera.toml": `${MINIMAL_BOT}port = "x"\n`,
      "bots/oftc.toml": MINIMAL_BOT,
      "tasks/a.toml": task("t", 'bot = "libera"\n'),
    });
    const c = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    expect(c.bots.map((b) => b.name)).toEqual(["oftc"]);
    expect(c.issues.map((i) => [path.basename(i.file), i.line, i.col])).toEqual([["libera.toml", 4, 8]]);
    expect(c.tasks.map((t) => t.name)).toEqual(["t"]);
  });

  test("a task naming a bot with no file", async () => {
    project = tempProject({ "bots/libera.toml": MINIMAL_BOT, "tasks/a.toml": task("t", 'bot = "liberaa"\n') });
    const c = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    expect(c.issues.map((i) => `${i.line}:${i.col}: ${i.message}`)).toEqual([
      `5:7: 'bot' names unknown bot "liberaa" (no bots/liberaa.toml); did you mean "libera"?`,
    ]);
  });

  test("secrets come from the env passed in", async () => {
    const bot = `${MINIMAL_BOT}password = { env = "SESHET_TEST_PASS" }\n`;
    project = tempProject({ "bots/libera.toml": bot });
    const set = await loadConfig({
      botsDir: project.botsDir,
      tasksDir: project.tasksDir,
      env: { SESHET_TEST_PASS: "pw" },
    });
    expect(set.bots[0]?.server.password).toBe("pw");
    const unset = await loadConfig({ botsDir: project.botsDir, tasksDir: project.tasksDir, env: {} });
    expect(unset.bots).toEqual([]);
    expect(unset.issues.map((i) => i.message)).toEqual([
      "environment variable SESHET_TEST_PASS is not set (it holds 'server.password')",
    ]);
  });

  test("a missing bots folder is an issue; a missing tasks folder is no tasks", async () => {
    project = tempProject();
    const missing = path.join(project.dir, "nope");
    const c = await loadConfig({ botsDir: missing, tasksDir: missing, env: {} });
    expect(c.tasks).toEqual([]);
    expect(c.issues).toEqual([
      { file: missing, line: 0, col: 0, message: "no such directory (it should hold one NAME.toml file per bot)" },
    ]);
  });

  test("relative paths stay relative in issues and task locations", async () => {
    project = tempProject({ "tasks/a.toml": task("ok"), "tasks/b.toml": "[[task]]\nname = 3\n" });
    const rel = path.relative(process.cwd(), project.tasksDir);
    expect(path.isAbsolute(rel)).toBe(false);
    const r = await loadTaskFiles(rel, null);
    expect(r.tasks[0]?.loc.file).toBe(path.join(rel, "a.toml"));
    expect(r.issues[0]?.file).toBe(path.join(rel, "b.toml"));
    expect(r.brokenTaskFiles).toEqual([path.join(rel, "b.toml")]);
  });
});
