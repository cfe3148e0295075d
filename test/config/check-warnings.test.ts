// `seshet check` warns (exit 0) about admin masks any nick-holder matches.
import { afterEach, expect, test } from "bun:test";
import * as path from "node:path";
import { runCheck } from "../../src/cli/check-command.ts";
import { tempProject, type TempProject } from "./temp-project.ts";

let project: TempProject | undefined;
afterEach(() => project?.remove());

test("nick!*@* and similar admin masks get a warning line at the mask; exit stays 0", async () => {
  project = tempProject({
    "bots/a.toml": `nick = "seshet"\nadmins = [\n  "account:alice",\n  "alice!*@*",\n  "*!*@user/bob",\n  "carol!~*@*.*",\n]\n[server]\nhost = "irc.example.net"\n`,
  });
  const lines: string[] = [];
  const code = await runCheck({ bots: project.botsDir, tasks: project.tasksDir }, (l) => lines.push(l), {});
  const file = path.join(project.botsDir, "a.toml");
  expect(code).toBe(0);
  expect(lines).toEqual([
    `${file}:4:3: warning: admin mask "alice!*@*" is matched by anyone using that nick (its user and host are wildcards); use 'account:NAME' or a host like "*!*@user/name"`,
    `${file}:6:3: warning: admin mask "carol!~*@*.*" is matched by anyone using that nick (its user and host are wildcards); use 'account:NAME' or a host like "*!*@user/name"`,
    "ok: 1 bot, 0 tasks; 2 warnings",
  ]);
});
