// !in / !remind / !at / !tz / !tasks mine / !cancel and their refusals, on a real ngircd.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ask, BOT, CHANNEL, paced, startChatWorld, type ChatWorld } from "./chat-fixture.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";

const idOf = (text: string) => /^#(\d+):/.exec(text)![1]!;

setDefaultTimeout(60_000);

let world: ChatWorld;
let alice: IrcObserver;
let bob: IrcObserver;

beforeAll(async () => {
  world = await startChatWorld([`[schedule]\nmax_tasks = 3\nmax_text = 40\nmax_ahead = "30d"`]);
  alice = await connectObserver({ port: world.irc.port, nick: "alice", channels: [CHANNEL] });
  bob = await connectObserver({ port: world.irc.port, nick: "bob", channels: [CHANNEL] });
  await world.startBot();
}, 60_000);

afterAll(async () => {
  await alice?.quit().catch(() => {});
  await bob?.quit().catch(() => {});
  expect(await world?.close()).toBe(0);
}, 30_000);

async function ownedBy(nick: string): Promise<{ id: number; args: unknown[]; nextDue: number | null }[]> {
  const store = await world.store();
  try {
    return (await store.chat.owned(BOT, `nick:${nick}`, 100, 0)).tasks;
  } finally {
    await store.close();
  }
}

describe("!in and !remind", () => {
  test("fires NICK: TEXT where asked, never before the duration has passed", async () => {
    const sent = Date.now();
    const r = await ask(alice, "!in 3s stretch your legs");
    expect(r.text).toMatch(/^#\d+: once, \w{3} \d+ \w{3} \d\d:\d\d:\d\d \(UTC\)$/);
    const fired = await alice.waitFor((m) => m.from === BOT && m.text === "alice: stretch your legs", 10_000);
    expect(fired.target).toBe(CHANNEL);
    expect(fired.at - sent).toBeGreaterThanOrEqual(3000);
  }, 20_000);

  test("!remind is the same command, and words work as a duration", async () => {
    const r = await ask(alice, "!remind 2 hours feed the cat");
    const id = Number(/^#(\d+):/.exec(r.text)![1]);
    const mine = await ownedBy("alice");
    const task = mine.find((t) => t.id === id)!;
    expect(task.args).toEqual([CHANNEL, "alice", "feed the cat"]);
    expect(task.nextDue! - Date.now()).toBeGreaterThan(2 * 3600_000 - 15_000);
    await ask(alice, `!cancel ${id}`, (m) => m.text.includes("cancelled"));
  });

  test("a duration that is not one is refused with an example, and nothing is stored", async () => {
    const before = (await ownedBy("alice")).length;
    const r = await ask(alice, "!in soon-ish do a thing");
    expect(r.text).toBe("alice: I did not understand the duration 'soon-ish'. Example: !in 10m stretch your legs");
    expect((await ownedBy("alice")).length).toBe(before);
  });

  test("a duration with no text says the text is missing (not that the duration was not understood)", async () => {
    const before = (await ownedBy("alice")).length;
    expect((await ask(alice, "!in 10m")).text).toBe("alice: there is no text to say. Example: !in 10m stretch your legs");
    expect((await ask(alice, "!in 2 hours")).text).toBe("alice: there is no text to say. Example: !in 10m stretch your legs");
    expect((await ownedBy("alice")).length).toBe(before);
  });
});

describe("!at and !tz", () => {
  test("!tz sets the zone (with a suggestion for a typo), and !at reads times in it", async () => {
    expect((await ask(alice, "!tz Europe/Berln")).text).toContain('did you mean "Europe/Berlin"?');
    expect((await ask(alice, "!tz")).text).toContain("UTC (the bot's");
    expect((await ask(alice, "!tz Europe/Berlin")).text).toMatch(/^alice: your zone is now Europe\/Berlin, for nick alice/);
    const r = await ask(alice, "!at tomorrow 09:15 standup notes");
    expect(r.text).toMatch(/^#\d+: once, \w{3} \d+ \w{3} 09:15 \(Europe\/Berlin\)$/);
    const id = Number(/^#(\d+):/.exec(r.text)![1]);
    const task = (await ownedBy("alice")).find((t) => t.id === id)!;
    const berlin = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(task.nextDue!);
    expect(berlin).toBe("09:15");
    await ask(alice, `!cancel ${id}`, (m) => m.text.includes("cancelled"));
  });

  test("with !tz Europe/Berlin, !every day at 09:00 is 09:00 local on both sides of the next spring DST change", async () => {
    const r = await ask(alice, "!every day at 09:00: x");
    expect(r.text).toMatch(/^#\d+: every day at 09:00 \(Europe\/Berlin\), next \w{3} \d+ \w{3} 09:00$/);
    const store = await world.store();
    try {
      const t = (await store.chat.find(BOT, idOf(r.text)))!;
      const around = compileSchedule({ start: t.start, tz: t.tz, rule: t.rrule }).take(Date.UTC(2027, 2, 26, 12), 3);
      expect(around.map((ms) => formatInstant(ms, "Europe/Berlin"))).toEqual(["2027-03-27T09:00:00+01:00", "2027-03-28T09:00:00+02:00", "2027-03-29T09:00:00+02:00"]);
    } finally {
      await store.close();
    }
    await ask(alice, `!cancel ${idOf(r.text)}`, (m) => m.text.includes("cancelled"));
  });

  test("natural forms go through chrono-node", async () => {
    const r = await ask(alice, "!at next friday at 5pm send the report");
    expect(r.text).toMatch(/^#\d+: once, Fri \d+ \w{3}( \d{4})? 17:00 \(Europe\/Berlin\)$/);
    await ask(alice, `!cancel ${/^#(\d+)/.exec(r.text)![1]}`, (m) => m.text.includes("cancelled"));
  });

  test("a time not understood, or in the past, is refused with an example", async () => {
    expect((await ask(alice, "!at whenever is fine")).text).toBe(
      "alice: the time was not understood (your zone: Europe/Berlin). Example: !at fri 17:00 send the report",
    );
    expect((await ask(alice, "!at 2020-01-01 10:00 too late")).text).toContain("that time has already passed");
  });
});

describe("limits and ownership", () => {
  test("text, horizon and quota refusals name the limit and its value; nothing is created", async () => {
    const before = (await ownedBy("bob")).length;
    expect((await ask(bob, `!in 1h ${"x".repeat(41)}`)).text).toContain("the limit (max_text) is 40");
    expect((await ask(bob, "!in 31d far away")).text).toContain("max_ahead) of 30d");
    expect((await ownedBy("bob")).length).toBe(before);
    for (let i = before; i < 3; i++) await ask(bob, `!in 1h task ${i}`, (m) => m.text.startsWith("#"));
    expect((await ask(bob, "!in 1h one too many")).text).toMatch(/^bob: there are \d+ active tasks from your nick or host; the limit \(max_tasks\) is 3 — cancel one first/);
    expect((await ownedBy("bob")).length).toBe(3);
  });

  test("an unidentified user who changes nick brings no new quota (it follows the host)", async () => {
    // Every test user comes from 127.0.0.1: bob's 3 fill the host's quota, whatever the nick.
    expect((await ownedBy("bob")).length).toBe(3);
    const carol = await connectObserver({ port: world.irc.port, nick: "carol", channels: [CHANNEL] });
    try {
      expect((await ask(carol, "!in 1h mine now")).text).toMatch(/^carol: there are \d+ active tasks from your nick or host; the limit \(max_tasks\) is 3 — cancel one first; identify with services/);
      expect((await ownedBy("carol")).length).toBe(0);
    } finally {
      await carol.quit().catch(() => {});
    }
  });

  test("!tasks mine lists the speaker's tasks; others cannot cancel them", async () => {
    const mine = await ownedBy("bob");
    await paced(bob);
    const seen = bob.messages.length;
    bob.say(CHANNEL, "!tasks mine");
    for (const t of mine) await bob.waitFor((m) => bob.messages.indexOf(m) >= seen && m.text.startsWith(`#${t.id} bob: once`), 10_000);
    const r = await ask(alice, `!cancel ${mine[0]!.id}`);
    expect(r.text).toBe(`alice: #${mine[0]!.id} belongs to bob; you can cancel only your own tasks`);
    expect((await ownedBy("bob")).length).toBe(3);
    expect((await ask(bob, `!cancel ${mine[0]!.id}`)).text).toBe(`bob: cancelled #${mine[0]!.id} (task 0)`);
    expect((await ownedBy("bob")).length).toBe(2);
  });
});
