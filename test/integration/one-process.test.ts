// `seshet run --one-process` on a real ngircd: two bots in one process (no
// supervisor, no children), each joining and firing its own task; a plugin
// that throws, in a command and in a stray timer, harms neither its own bot
// nor the other; SIGTERM sends both QUITs and the process exits 0. A
// PostgreSQL store is refused (bot leases need the supervisor).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ensureBinary, makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";

const CHANNEL = "#together";
const PLUGIN = `
export default {
  name: "faulty",
  setup(api) {
    api.command("boom", { help: "throws", run: () => { throw new Error("boom in a command"); } });
    api.command("later", { help: "throws later", run: ({ reply }) => {
      setTimeout(() => { throw new Error("boom in a timer"); }, 10);
      void Promise.reject(new Error("boom in a promise"));
      reply("armed");
    } });
  },
};
`;

let irc: Ngircd;
let watcher: IrcObserver;
let seshet: SeshetProcess;
const projects: { remove(): void }[] = [];

const bot = (nick: string, port: number, modules = "") =>
  `nick = "${nick}"\nchannels = ["${CHANNEL}"]\nadmins = ["*!*@127.0.0.1"]\n${modules}[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;
const fromBot = (nick: string) => (m: { from: string; target: string }) => m.from === nick && m.target === CHANNEL;

beforeAll(async () => {
  irc = await startNgircd();
  watcher = await connectObserver({ port: irc.port, nick: "watcher", channels: [CHANNEL] });
}, 30_000);

afterAll(async () => {
  await seshet?.stop(3000);
  await watcher?.quit().catch(() => {});
  await irc?.stop();
  for (const p of projects) p.remove();
}, 30_000);

describe("seshet run --one-process", () => {
  test("two bots in one process join, fire their own tasks, survive a faulty plugin, and QUIT on SIGTERM", async () => {
    const due = Date.now() + 5000;
    const task = (owner: string) =>
      `[[task]]\nname = "hello-${owner}"\nbot = "${owner}"\nfunc = "core:say"\nargs = ["${CHANNEL}", "hello from ${owner}"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`;
    const project = makeProject({
      "bots/one.toml": bot("one", irc.port, `modules = ["plugins/faulty.js"]\n`),
      "bots/two.toml": bot("two", irc.port),
      "plugins/faulty.js": PLUGIN,
      "tasks/one.toml": task("one"),
      "tasks/two.toml": task("two"),
    });
    projects.push(project);
    seshet = startSeshet(["run", "--one-process", "--db", "seshet.db"], { cwd: project.dir, command: [ensureBinary()] });
    for (const nick of ["one", "two"]) {
      await watcher.waitForLine((l) => l.startsWith(`:${nick}!`) && l.includes(" JOIN "), 20_000).catch(() => {
        throw new Error(`${nick} never joined:\n${seshet.output()}`);
      });
    }
    // One process, no children: both bots are this pid's.
    const children = readFileSync(`/proc/${seshet.pid}/task/${seshet.pid}/children`, "utf8").trim();
    expect(children).toBe("");

    for (const nick of ["one", "two"]) await watcher.waitFor((m) => fromBot(nick)(m) && m.text === `hello from ${nick}`, due - Date.now() + 10_000);

    watcher.say(CHANNEL, "!boom");
    watcher.say(CHANNEL, "!later");
    await watcher.waitFor((m) => fromBot("one")(m) && m.text === "armed", 10_000);
    await seshet.waitForOutput(/boom in a timer/, 10_000);
    await seshet.waitForOutput(/boom in a promise/, 10_000);
    // Both bots still answer.
    const before = watcher.messages.length;
    watcher.say(CHANNEL, "!help help");
    for (const nick of ["one", "two"]) await watcher.waitFor((m) => fromBot(nick)(m) && m.text.startsWith("!help"), 10_000);
    expect(watcher.messages.length).toBeGreaterThan(before);

    expect(await seshet.stop()).toBe(0);
    for (const nick of ["one", "two"]) await watcher.waitForLine((l) => l.startsWith(`:${nick}!`) && l.includes(" QUIT "), 5000);
  }, 60_000);

  test("refuses a PostgreSQL store, naming why", async () => {
    const project = makeProject({ "bots/one.toml": bot("one", irc.port) });
    projects.push(project);
    const p = startSeshet(["run", "--one-process", "--db", "postgres://seshet@127.0.0.1:1/seshet"], { cwd: project.dir, command: [ensureBinary()] });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain("--one-process cannot share a PostgreSQL store");
  }, 30_000);
});
