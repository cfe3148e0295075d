// `seshet check` and `seshet init` (their tests live with the config they exercise).
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runCheck } from "../../src/cli/check-command.ts";
import { runInit } from "../../src/cli/init-command.ts";
import { MINIMAL_BOT, tempProject, type TempProject } from "./temp-project.ts";

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

async function check(p: TempProject, env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  const code = await runCheck({ bots: p.botsDir, tasks: p.tasksDir }, (l) => lines.push(l), env);
  return { code, lines };
}

describe("runCheck", () => {
  test("prints FILE:LINE:COL for each issue and returns 1", async () => {
    project = tempProject({
      "bots/libera.toml": `nick = "x"\nchanels = []\n[server]\nhost = "h"\n`,
      "tasks/a.toml": '[[task]]\nname = "t"\nfunc = "core:say"\nstart = 2026-11-30T09:00:00\ntz = "Europe/Berln"\n',
    });
    const { code, lines } = await check(project);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${path.join(project.botsDir, "libera.toml")}:2:1: unknown key 'chanels'; did you mean 'channels'?`,
      `${path.join(project.tasksDir, "a.toml")}:5:6: 'tz' "Europe/Berln" is not a known IANA time zone; did you mean "Europe/Berlin"?`,
      "2 problems found",
    ]);
  });

  test("a folder-wide issue has no line number", async () => {
    project = tempProject();
    const { code, lines } = await check(project);
    expect(code).toBe(1);
    expect(lines[0]).toBe(`${project.botsDir}: no such directory (it should hold one NAME.toml file per bot)`);
  });

  test("a clean project gets a one-line summary", async () => {
    project = tempProject({
      "bots/a.toml": MINIMAL_BOT,
      "bots/b.toml": MINIMAL_BOT,
      "tasks/t.toml": '[[task]]\nname = "t"\nfunc = "core:say"\nargs = ["#t", "hi"]\nstart = 2026-11-30\nbot = "a"\n',
    });
    expect(await check(project)).toEqual({ code: 0, lines: ["ok: 2 bots, 1 task"] });
  });
});

describe("runInit", () => {
  test("writes a starter project that check accepts", async () => {
    project = tempProject();
    const lines: string[] = [];
    expect(await runInit(project.dir, (l) => lines.push(l))).toBe(0);
    expect(lines.slice(0, 2)).toEqual([
      `created ${path.join(project.dir, "bots/example.toml")}`,
      `created ${path.join(project.dir, "tasks/example.toml")}`,
    ]);
    const result = await check(project);
    expect(result).toEqual({ code: 0, lines: ["ok: 1 bot, 2 tasks"] });
  });

  test("never overwrites an existing file", async () => {
    project = tempProject({ "bots/example.toml": "# mine\n" });
    const lines: string[] = [];
    await runInit(project.dir, (l) => lines.push(l));
    expect(readFileSync(path.join(project.botsDir, "example.toml"), "utf8")).toBe("# mine\n");
    expect(lines).toContain(`${path.join(project.dir, "bots/example.toml")} exists, left as is`);
    expect(lines).toContain(`created ${path.join(project.dir, "tasks/example.toml")}`);

    // A second run leaves both alone.
    const again: string[] = [];
    await runInit(project.dir, (l) => again.push(l));
    expect(again.filter((l) => l.endsWith("exists, left as is")).length).toBe(2);
    expect(readFileSync(path.join(project.botsDir, "example.toml"), "utf8")).toBe("# mine\n");
  });
});
