// What a chat-made task says never starts with the user's text: otherwise
// `!every day at 09:00: !op mallory` has the bot itself say `!op mallory`, a
// command other bots and services act on. Reminders say `NICK: TEXT`,
// recurring tasks `[#ID] TEXT`; snoozed and `!run` ones too. On a real ngircd.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectObserver, type IrcObserver, type ObservedMessage } from "../support/irc-observer.ts";
import { ask, BOT, CHANNEL, startChatWorld, type ChatWorld } from "./chat-fixture.ts";
import { everyLine } from "../../src/chat/chat-create.ts";

setDefaultTimeout(90_000);

const CMD = "!op mallory";
// A file task may use the same function; it shows its name.
const NEWS = `[[task]]\nname = "news"\nfunc = "core:every"\nargs = ["${CHANNEL}", "${CMD}"]\nstart = 2026-01-01T00:00:00\ntz = "UTC"\ncatchup = "skip"\nrrule = { freq = "secondly", interval = 4 }\n`;

let world: ChatWorld;
let alice: IrcObserver;
let boss: IrcObserver;

beforeAll(async () => {
  world = await startChatWorld([], NEWS);
  alice = await connectObserver({ port: world.irc.port, nick: "alice", channels: [CHANNEL] });
  boss = await connectObserver({ port: world.irc.port, nick: "boss", channels: [CHANNEL] });
  await world.startBot();
}, 60_000);

afterAll(async () => {
  for (const u of [alice, boss]) await u?.quit().catch(() => {});
  expect(await world?.close()).toBe(0);
}, 30_000);

const fromBot = (who: IrcObserver, since: number, text: string) => (m: ObservedMessage) =>
  who.messages.indexOf(m) >= since && m.from === BOT && m.text === text;

describe("a line a chat task says", () => {
  test("everyLine: [#ID] for chat tasks, [NAME] for any other", () => {
    expect(everyLine("chat-12", CMD)).toBe("[#12] !op mallory");
    expect(everyLine("news", CMD)).toBe("[news] !op mallory");
    expect(everyLine("chat-x", "hi")).toBe("[chat-x] hi");
  });

  test("recurring (fired, then !run): [#ID] TEXT; a file task with core:every: [NAME] TEXT", async () => {
    let seen = alice.messages.length;
    // Admins may go below min_interval: every 2 seconds, so it fires during the test.
    const r = await ask(boss, `!every FREQ=SECONDLY;INTERVAL=2: ${CMD}`, (m) => /^#\d+: /.test(m.text));
    const id = /^#(\d+):/.exec(r.text)![1]!;
    await alice.waitFor(fromBot(alice, seen, `[#${id}] ${CMD}`), 15_000);
    await alice.waitFor(fromBot(alice, seen, `[news] ${CMD}`), 15_000);
    expect((await ask(boss, `!pause ${id}`)).text).toMatch(new RegExp(`^boss: paused #${id}`));
    seen = alice.messages.length;
    expect((await ask(boss, `!run ${id}`)).text).toMatch(new RegExp(`^boss: ran #${id} once now`));
    await alice.waitFor(fromBot(alice, seen, `[#${id}] ${CMD}`), 15_000);
    expect((await ask(boss, `!cancel ${id}`)).text).toMatch(new RegExp(`^boss: cancelled #${id}`));
  });

  test("one-shot and snoozed (a reminder's and a recurring task's): NICK: TEXT", async () => {
    let seen = alice.messages.length;
    await ask(alice, `!in 1s ${CMD}`, (m) => /^#\d+: once/.test(m.text));
    await alice.waitFor(fromBot(alice, seen, `alice: ${CMD}`), 15_000);
    seen = alice.messages.length;
    await ask(alice, "!snooze 1s", (m) => /^#\d+: once/.test(m.text));
    await alice.waitFor(fromBot(alice, seen, `alice: ${CMD}`), 15_000);
    // boss's last fired task is the recurring one above.
    seen = alice.messages.length;
    await ask(boss, "!snooze 1s", (m) => /^#\d+: once/.test(m.text));
    await alice.waitFor(fromBot(alice, seen, `boss: ${CMD}`), 15_000);
  });

  test("nothing the bot said in the channel started with the user's text", () => {
    const said = alice.messages.filter((m) => m.from === BOT && m.target === CHANNEL);
    expect(said.filter((m) => m.text.includes(CMD)).length).toBeGreaterThanOrEqual(6);
    expect(said.filter((m) => m.text.startsWith("!"))).toEqual([]);
  });
});
