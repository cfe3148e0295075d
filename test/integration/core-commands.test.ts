// The core module and a bot's defences on a real ngircd: permissions,
// refusals, line injection, a throwing plugin, an outage.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";

const PLUGIN = `
export default {
  name: "trouble",
  setup(api) {
    api.on("message", (m) => { if (m.text === "explode") throw new Error("plugin handler exploded"); });
    api.on("BOT_TICK", (t) => { if (t.count === 2) throw new Error("tick handler exploded"); });
    api.command("echo", { help: "echoes, URL-decoded", run: ({ rest, reply }) => reply(decodeURIComponent(rest)) });
    api.task("boom", () => { throw new Error("task exploded"); });
  },
};
`;

let irc: Ngircd;
let boss: IrcObserver;
let seshet: SeshetProcess;
let project: { dir: string; remove(): void };

beforeAll(async () => {
  irc = await startNgircd();
  boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#core"] });
  const soon = utcLocal(Date.now() + 6000);
  project = makeProject({
    "bots/corebot.toml": [
      `nick = "corebot"`,
      `channels = ["#core"]`,
      `admins = ["boss!*@127.0.0.1"]`,
      `modules = ["plugins/trouble.js"]`,
      `[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    ].join("\n"),
    "plugins/trouble.js": PLUGIN,
    "tasks/core.toml": [
      `[[task]]\nname = "inject"\nfunc = "core:say"\nargs = ["#core", "hello\\r\\nPRIVMSG #core :injected-by-task\\nJOIN #evil"]\nstart = ${soon}\ntz = "UTC"\n`,
      `[[task]]\nname = "explodes"\nfunc = "trouble:boom"\nstart = ${soon}\ntz = "UTC"\n`,
    ].join("\n"),
  });
  seshet = startSeshet(["run", "--bot", "corebot", "--db", "seshet.db"], { cwd: project.dir });
  await boss.waitForLine((l) => /^:corebot!\S+ JOIN :?#core/.test(l), 20_000).catch(() => {
    throw new Error(`bot never joined; it said:\n${seshet.output()}`);
  });
}, 40_000);

afterAll(async () => {
  const code = await seshet?.stop();
  await boss?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
  expect(code).toBe(0);
}, 30_000);

const fromBot = (o: IrcObserver) => o.messages.filter((m) => m.from === "corebot");

describe("commands", () => {
  test("the admin's !reloadtasks is answered with the summary", async () => {
    boss.say("#core", "!reloadtasks");
    const m = await boss.waitFor((m) => m.from === "corebot" && m.text.startsWith("tasks reloaded"), 10_000);
    expect(m.text).toMatch(/added 0, changed 0, retired 0, unchanged 2, errors 0/);
    expect(m.target).toBe("#core");
  });

  test("a non-admin is refused, with the reason", async () => {
    const pleb = await connectObserver({ port: irc.port, nick: "pleb", channels: ["#core"] });
    try {
      pleb.say("#core", "!reloadtasks");
      const m = await pleb.waitFor((m) => m.from === "corebot" && m.text.startsWith("pleb:"), 10_000);
      expect(m.text).toContain("for admins");
    } finally {
      await pleb.quit();
    }
  });

  test("an impostor with the admin's nick from another host is refused", async () => {
    await boss.quit();
    const impostor = await connectObserver({ port: irc.port, nick: "boss", channels: ["#core"], localAddress: "127.0.0.2" });
    try {
      impostor.say("#core", "!reloadtasks");
      const m = await impostor.waitFor((m) => m.from === "corebot" && m.text.startsWith("boss:"), 10_000);
      expect(m.text).toContain("127.0.0.2");
      expect(m.text).toContain("for admins");
    } finally {
      await impostor.quit();
      boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#core"] });
    }
  }, 20_000);

  test("!help, !tasks and !next answer in the channel and in private", async () => {
    boss.say("#core", "!help");
    expect((await boss.waitFor((m) => m.from === "corebot" && m.text.startsWith("commands:"), 10_000)).text).toContain("!reloadtasks");
    boss.say("corebot", "next inject");
    const priv = await boss.waitFor((m) => m.from === "corebot" && m.target === "boss" && m.text.startsWith("inject"), 10_000);
    // The schedule in words, then the next occurrences.
    // Before it fires, its time; after (a slow start), that it is done: never "no task".
    expect(priv.text).toMatch(/^inject: (once, at \w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d(:\d\d)? \(UTC\) — next \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00|no more occurrences)$/);
  }, 30_000);

  test("!next knows a finished one-shot task: no more occurrences", async () => {
    await boss.waitFor((m) => m.from === "corebot" && m.text.startsWith("hello"), 15_000);
    const sentAt = Date.now();
    boss.say("corebot", "next inject");
    const m = await boss.waitFor((m) => m.at >= sentAt && m.from === "corebot" && m.target === "boss" && m.text.startsWith("inject"), 10_000);
    expect(m.text).toBe("inject: no more occurrences");
  }, 30_000);
});

describe("output is safe", () => {
  test("CR/LF in a task argument and in a command argument never make a second IRC line", async () => {
    await boss.waitFor((m) => m.from === "corebot" && m.text.startsWith("hello"), 15_000);
    boss.say("#core", "!echo hi%0D%0APRIVMSG #core :injected-by-command%0AJOIN #evil2");
    await boss.waitFor((m) => m.from === "corebot" && m.text.startsWith("hi"), 10_000);
    await Bun.sleep(500);
    // Each line of the text may go out as its own message, but always as a PRIVMSG from the bot to #core.
    const injected = fromBot(boss).filter((m) => m.text.startsWith("PRIVMSG") || m.text.startsWith("JOIN"));
    for (const m of injected) expect(m.target).toBe("#core");
    expect(boss.lines.some((l) => /^:corebot!\S+ JOIN :?#evil/.test(l.line))).toBe(false);
    expect(boss.lines.some((l) => /^:corebot!\S+ PRIVMSG #core :injected/.test(l.line))).toBe(false);
  }, 30_000);
});

describe("a throwing plugin", () => {
  test("handler, tick handler and task function errors leave the bot running", async () => {
    const helpsBefore = fromBot(boss).filter((m) => m.text.startsWith("commands:")).length;
    boss.say("#core", "explode");
    await seshet.waitForOutput(/plugin handler exploded/, 10_000);
    boss.say("#core", "!help");
    await boss.waitFor(() => fromBot(boss).filter((m) => m.text.startsWith("commands:")).length > helpsBefore, 10_000);
    await seshet.waitForOutput(/tick handler exploded/, 10_000);
    await seshet.waitForOutput(/task 'explodes' \(trouble:boom, due [^)]*\) failed: task exploded/, 10_000);
    expect(seshet.proc.exitCode).toBeNull();
  }, 20_000);
});

describe("an outage", () => {
  test("the server goes away and comes back: the bot rejoins and delivers what fell due meanwhile", async () => {
    const due = Date.now() + 3000;
    // Added at run time through the store: a task due while the server is down.
    const tasks = `${project.dir}/tasks/outage.toml`;
    await Bun.write(tasks, `[[task]]\nname = "during-outage"\nfunc = "core:say"\nargs = ["#core", "sent during the outage"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`);
    boss.say("#core", "!reloadtasks");
    await boss.waitFor((m) => m.from === "corebot" && /added 1/.test(m.text), 10_000);
    await irc.stopServer();
    await Bun.sleep(Math.max(0, due - Date.now()) + 1500);
    await irc.start();
    boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#core"] });
    const m = await boss.waitFor((m) => m.from === "corebot" && m.text === "sent during the outage", 40_000);
    expect(m.target).toBe("#core");
  }, 60_000);
});
