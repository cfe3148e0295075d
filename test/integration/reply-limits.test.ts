// What users can make the bot say, on a real ngIRCd with whole in-process
// bots: private floods get bounded answers, replies are counted in lines
// per host whatever the nick, a CTCP flood does not delay a due task's line,
// and two Seshet bots do not keep answering each other.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { IncomingMessage } from "../../src/irc/transport.ts";
import type { BotApi } from "../../src/modules/module-types.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { botConfig, startInProcessBot, type InProcessBot } from "../support/in-process-bot.ts";

// A burst below a page of !tasks (5 tasks and a footer line), so the listing is cut.
const REPLIES = { burst: 3, perMinute: 1, ctcpPerMinute: 6, queue: 100, commands: 5, commandsPerMinute: 30 };
const TASKS = Array.from({ length: 20 }, (_, i) => `[[task]]\nname = "t${String(i).padStart(2, "0")}"\nfunc = "core:say"\nargs = ["#t", "x"]\nstart = 2030-01-01T09:00:00\n`).join("\n");

let irc: Ngircd;
let bot: InProcessBot;
let api: BotApi;
let watcher: IrcObserver;
const observers: IrcObserver[] = [];
const received: IncomingMessage[] = [];

async function observer(nick: string, localAddress: string, channels: string[] = []): Promise<IrcObserver> {
  const o = await connectObserver({ port: irc.port, nick, localAddress, channels, timeoutMs: 20_000 });
  observers.push(o);
  return o;
}

const fromBot = (o: IrcObserver, nick = "seshet") => o.messages.filter((m) => m.from === nick);

beforeAll(async () => {
  irc = await startNgircd();
  bot = await startInProcessBot(botConfig(irc.port, { replies: REPLIES }), {
    "bots/seshet.toml": `nick = "seshet"\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    "tasks/many.toml": TASKS,
  });
  await bot.bot.modules.add({ name: "probe", setup: (a) => void (api = a) });
  bot.bot.dispatcher.on<IncomingMessage>("message", (m) => void received.push(m), "test");
  await bot.ready;
  await bot.bot.reloadTasks("test");
  watcher = await observer("watcher", "127.0.0.1", ["#t"]);
}, 30_000);

afterAll(async () => {
  for (const o of observers) await o.quit().catch(() => {});
  await bot?.stop();
  await irc?.stop();
}, 30_000);

test("200 private lines from one host under ten nicks get one answer", async () => {
  const flooders = await Promise.all(Array.from({ length: 10 }, (_, i) => observer(`flood${i}`, "127.0.0.2")));
  for (const [i, f] of flooders.entries()) for (let j = 0; j < 20; j++) f.say("seshet", `nosuch${i}x${j}`);
  const deadline = Date.now() + 90_000;
  while (received.filter((m) => m.text.startsWith("nosuch")).length < 200 && Date.now() < deadline) await Bun.sleep(100);
  expect(received.filter((m) => m.text.startsWith("nosuch")).length).toBe(200);
  await Bun.sleep(1500); // anything the bot would still say has left by now (flood burst 5)
  const answers = flooders.flatMap((f) => fromBot(f));
  expect(answers.length).toBe(1);
  expect(answers[0]).toMatchObject({ command: "NOTICE" });
  expect(answers[0]!.text).toMatch(/^unknown command 'nosuch\d+x\d+'; try 'help'$/);
}, 120_000);

test("!tasks is counted by lines; a second one and a new nick get nothing more", async () => {
  const lister = await observer("lister", "127.0.0.3", ["#t"]);
  const before = fromBot(watcher).length;
  lister.say("#t", "!tasks");
  const note = await lister.waitFor((m) => m.from === "seshet" && m.command === "NOTICE", 20_000);
  expect(note.text).toMatch(/^\d+ more lines? not sent: replies to you are limited to 3 lines at once, then 1 a minute\.$/);
  await Bun.sleep(1000);
  expect(fromBot(watcher).length - before).toBe(3);
  lister.say("#t", "!tasks");
  lister.raw("NICK lister2");
  await lister.waitForLine((l) => / NICK :?lister2/.test(l));
  lister.say("#t", "!help");
  await Bun.sleep(2500);
  expect(fromBot(watcher).length - before).toBe(3);
  expect(fromBot(lister).filter((m) => m.command === "NOTICE").length).toBe(1);
}, 60_000);

test("a CTCP flood does not delay a due task's line, and gets only the CTCP allowance", async () => {
  const pinger = await observer("pinger", "127.0.0.4");
  for (let i = 0; i < 40; i++) pinger.say("seshet", "\x01VERSION\x01");
  await pinger.waitFor((m) => m.from === "seshet" && m.text.startsWith("\x01VERSION"), 20_000);
  const due = Math.ceil(Date.now() / 1000) * 1000 + 3000; // start times are whole seconds
  await api.schedule({ name: "due-line", func: "core:say", args: ["#t", "due line"], start: new Date(due) });
  const line = await watcher.waitFor((m) => m.from === "seshet" && m.text === "due line", 20_000);
  const lateMs = line.at - due;
  console.log(`task line ${lateMs} ms after its due time during a CTCP flood`);
  expect(lateMs).toBeLessThan(1500);
  await Bun.sleep(1000);
  expect(fromBot(pinger).length).toBeLessThanOrEqual(4); // burst 3, then 6 a minute
}, 60_000);

test("two Seshet bots do not answer each other for ever", async () => {
  const other = await startInProcessBot(botConfig(irc.port, { name: "other", nick: "other", replies: REPLIES }), {
    "bots/other.toml": `nick = "other"\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
  });
  try {
    const otherGot: IncomingMessage[] = [];
    other.bot.dispatcher.on<IncomingMessage>("message", (m) => void otherGot.push(m), "test");
    await other.ready;
    const mark = received.length;
    api.say("other", "nosuch-from-seshet");
    await Bun.sleep(6000);
    const seshetGot = received.slice(mark).filter((m) => m.nick === "other");
    // one line each way: the other bot's automatic answer is a NOTICE, which is never answered
    expect(otherGot.filter((m) => m.nick === "seshet").length).toBe(1);
    expect(seshetGot.map((m) => m.kind)).toEqual(["notice"]);
  } finally {
    await other.stop();
  }
}, 60_000);
