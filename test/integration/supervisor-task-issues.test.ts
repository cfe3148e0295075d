// Under the supervisor, the task files are read once, by the sync child: a
// bot it starts reads only the bot files (its tasks come from the store), so
// a mistake in a task file is reported once, not once more by every bot, and
// a large task set is not parsed again in every bot process.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";

const CHANNEL = "#issues";
const botFile = (nick: string, port: number) => `nick = "${nick}"\nchannels = ["${CHANNEL}"]\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;

let irc: Ngircd;
let watcher: IrcObserver;
let project: { dir: string; remove(): void };
let sup: SeshetProcess | undefined;

beforeAll(async () => {
  irc = await startNgircd();
  watcher = await connectObserver({ port: irc.port, nick: "watcher", channels: [CHANNEL] });
  project = makeProject({
    "bots/issa.toml": botFile("issa", irc.port),
    "bots/issb.toml": botFile("issb", irc.port),
    "tasks/good.toml": `[[task]]\nname = "good"\nbot = "issa"\nfunc = "core:say"\nargs = ["${CHANNEL}", "x"]\nstart = 2030-01-01T09:00:00\nrrule = { freq = "daily" }\n`,
    "tasks/bad.toml": `[[task]]\nname = "oops"\nfunc = "core:say"\nargs = ["${CHANNEL}", "x"]\nstart = 2030-01-01T09:00:00\nrrule = { freq = "dayly" }\n`,
  });
}, 30_000);

afterAll(async () => {
  await sup?.stop(5000);
  await watcher?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);

test("a task file's error is logged once (by the startup sync), not by every bot as well", async () => {
  sup = startSeshet(["run", "--db", "seshet.db"], { cwd: project.dir });
  for (const nick of ["issa", "issb"]) {
    await watcher.waitForLine((l) => l.startsWith(`:${nick}!`) && l.includes(" JOIN "), 20_000).catch((e) => {
      throw new Error(`${e.message}\nsupervisor output:\n${sup!.output()}`);
    });
  }
  const out = sup.output();
  expect(out).toMatch(/startup: tasks synced: added 1, .*errors 1/);
  const reports = out.split("\n").filter((l) => l.includes("bad.toml:6:"));
  expect(reports.length).toBe(1);
  // Both bots run, each with what the store holds for it.
  expect(out).toMatch(/\[issa\] started: 1 task\(s\) queued/);
  expect(out).toMatch(/\[issb\] started: 0 task\(s\) queued/);
});
