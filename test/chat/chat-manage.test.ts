// !every, !pause/!resume/!run/!snooze/!tasks and what survives a restart and
// !reloadtasks, on a real ngircd with a real SQLite store.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ask, BOT, CHANNEL, paced, startChatWorld, type ChatWorld } from "./chat-fixture.ts";
import type { ChatTask } from "../../src/store/chat-store-types.ts";

setDefaultTimeout(90_000);

const BEAT = `[[task]]\nname = "beat"\nfunc = "core:say"\nargs = ["${CHANNEL}", "beat"]\nstart = 2026-01-01T00:00:00\ntz = "UTC"\ncatchup = "skip"\nrrule = { freq = "secondly", interval = 3 }\n`;

let world: ChatWorld;
let alice: IrcObserver;
let bob: IrcObserver;
let boss: IrcObserver;

beforeAll(async () => {
  world = await startChatWorld([], BEAT);
  // The first to join an empty channel is its operator: alice.
  alice = await connectObserver({ port: world.irc.port, nick: "alice", channels: [CHANNEL] });
  bob = await connectObserver({ port: world.irc.port, nick: "bob", channels: [CHANNEL] });
  boss = await connectObserver({ port: world.irc.port, nick: "boss", channels: [CHANNEL] });
  await world.startBot();
}, 60_000);

afterAll(async () => {
  for (const u of [alice, bob, boss]) await u?.quit().catch(() => {});
  expect(await world?.close()).toBe(0);
}, 30_000);

async function task(ref: string): Promise<ChatTask> {
  const store = await world.store();
  try {
    return (await store.chat.find(BOT, ref))!;
  } finally {
    await store.close();
  }
}

async function runsOf(id: number): Promise<number> {
  const store = await world.store();
  try {
    return (await store.db.selectFrom("runs").select("id").where("task_id", "=", id).execute()).length;
  } finally {
    await store.close();
  }
}

const idOf = (text: string) => /^#(\d+):/.exec(text)![1]!;
const beatsSince = (seen: number) => alice.messages.slice(seen).filter((m) => m.from === BOT && m.text === "beat").length;

let standup = "";

describe("!every", () => {
  test("channel operators create recurring channel tasks; others are told the limit", async () => {
    expect((await ask(bob, "!every day at 9:00: water the plants")).text).toBe(
      'bob: recurring tasks in a channel are for channel operators (recurring = "op"); ask in private for your own',
    );
    const r = await ask(alice, "!every weekday at 09:00: stand up");
    expect(r.text).toMatch(/^#\d+: every weekday at 09:00 \(UTC\), next \w{3} \d+ \w{3} 09:00$/);
    standup = idOf(r.text);
    const t = await task(standup);
    expect(t.rrule).toMatchObject({ freq: "weekly", byhour: [9], byminute: [0], bysecond: [0] });
    expect(t.args).toEqual([CHANNEL, "stand up"]);
    expect(new Date(t.nextDue!).getUTCHours()).toBe(9);
    const next = await ask(alice, `!next #${standup} 2`, (m) => m.text.startsWith(`chat-${standup}:`));
    expect(next.text).toMatch(new RegExp(`^chat-${standup}: every weekday at 09:00 \\(UTC\\) — next \\d{4}-\\d\\d-\\d\\dT09:00:00\\+00:00, `));
  });

  test("too frequent, never firing, or a bad zone: refused with the reason, nothing created", async () => {
    expect((await ask(alice, "!every 5m: too often")).text).toBe(
      "alice: it fires 5m apart; the shortest interval (min_interval) is 15m. Example: !every weekday at 09:00: stand-up in 5 minutes",
    );
    expect((await ask(alice, "!every FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30: never")).text).toContain("that schedule never fires");
    expect((await ask(alice, "!every day at 9 Mars/Base: x")).text).toContain('"Mars/Base" is not a known IANA time zone');
    expect((await ask(alice, "!every day at 9 without a colon")).text).toContain("put ': ' between the schedule and the text");
    const store = await world.store();
    try {
      expect((await store.chat.owned(BOT, "nick:alice", 50, 0)).total).toBe(1);
    } finally {
      await store.close();
    }
  });

  test("in private anyone may create their own recurring task", async () => {
    const r = await ask(bob, "!every day at 18:00: go home", undefined, BOT);
    expect(r.target).toBe("bob");
    expect((await task(idOf(r.text))).args).toEqual(["bob", "go home"]);
  });
});

describe("!run, !pause, !resume, !snooze", () => {
  test("!run fires once now and leaves the schedule where it was", async () => {
    const before = await task(standup);
    const seen = alice.messages.length;
    expect((await ask(alice, `!run ${standup}`)).text).toMatch(new RegExp(`^alice: ran #${standup} once now; next still`));
    await alice.waitFor((m) => alice.messages.indexOf(m) >= seen && m.from === BOT && m.text === `[#${standup}] stand up`, 10_000);
    const after = await task(standup);
    expect(after.nextDue).toBe(before.nextDue);
    expect(await runsOf(after.id)).toBe(1);
  });

  test("!run again sooner than min_interval is refused for non-admins (it would bypass min_interval)", async () => {
    expect((await ask(alice, `!run ${standup}`)).text).toMatch(
      new RegExp(`^alice: #${standup} it ran \\d+s ago; the shortest interval \\(min_interval\\) is 15m, so try again in 1[45]m`),
    );
    expect(await runsOf(Number(standup))).toBe(1);
    // Admins are not held to it.
    expect((await ask(boss, `!run ${standup}`)).text).toMatch(new RegExp(`^boss: ran #${standup} once now`));
    expect(await runsOf(Number(standup))).toBe(2);
  });

  test("owners pause and resume their own; bob cannot touch alice's", async () => {
    expect((await ask(bob, `!pause ${standup}`)).text).toBe(`bob: #${standup} belongs to alice; you can pause only your own tasks`);
    expect((await ask(alice, `!pause ${standup}`)).text).toBe(`alice: paused #${standup}`);
    expect((await task(standup)).paused).toBe(true);
    expect((await ask(alice, "!tasks mine", (m) => m.text.startsWith(`#${standup} alice:`))).text).toMatch(new RegExp(`^#${standup} alice: every weekday at 09:00 \\(UTC\\), paused — stand up$`));
    expect((await ask(alice, `!resume ${standup}`)).text).toMatch(new RegExp(`^alice: resumed #${standup}, next`));
    expect((await task(standup)).paused).toBe(false);
  });

  test("a file task is paused by admins only, stops firing, and stays paused across !reloadtasks", async () => {
    await alice.waitFor((m) => m.from === BOT && m.text === "beat", 10_000);
    expect((await ask(alice, "!pause beat")).text).toContain("only admins pause file tasks");
    expect((await ask(boss, "!pause beat")).text).toMatch(/^boss: paused #\d+$/);
    await paced(boss);
    boss.say(CHANNEL, "!reloadtasks");
    await boss.waitFor((m) => m.from === BOT && m.text.startsWith("tasks reloaded"), 10_000);
    const seen = alice.messages.length;
    await Bun.sleep(7000);
    expect(beatsSince(seen)).toBe(0);
    expect((await task("beat")).paused).toBe(true);
  });

  test("!snooze says the last fired reminder again after the duration", async () => {
    await ask(alice, "!in 1s drink water", (m) => m.text.startsWith("#"));
    await alice.waitFor((m) => m.from === BOT && m.text === "alice: drink water", 10_000);
    const seen = alice.messages.length;
    const sent = Date.now();
    expect((await ask(alice, "!snooze 3s")).text).toMatch(/^#\d+: once, /);
    const again = await alice.waitFor((m) => alice.messages.indexOf(m) >= seen && m.from === BOT && m.text === "alice: drink water", 15_000);
    expect(again.at - sent).toBeGreaterThanOrEqual(3000);
  });
});

describe("restarts", () => {
  test("runtime tasks, pause state and zones survive a restart; a reminder due meanwhile still fires", async () => {
    await ask(alice, "!tz Asia/Tokyo", (m) => m.text.includes("Asia/Tokyo"));
    await ask(alice, "!in 6s still here after the restart", (m) => m.text.startsWith("#"));
    const before = await task(standup);
    expect(await world.seshet.stop()).toBe(0);
    await world.startBot();
    await alice.waitFor((m) => m.from === BOT && m.text === "alice: still here after the restart", 20_000);
    expect((await task(standup)).nextDue).toBe(before.nextDue);
    expect((await ask(alice, "!tz")).text).toBe("alice: your zone is Asia/Tokyo");
    const seen = alice.messages.length;
    await Bun.sleep(7000);
    expect(beatsSince(seen)).toBe(0);
    expect((await ask(boss, "!resume beat")).text).toMatch(/^boss: resumed #\d+, next/);
    await alice.waitFor((m) => alice.messages.indexOf(m) >= seen && m.from === BOT && m.text === "beat", 10_000);
  });

  test("!reloadtasks leaves runtime tasks alone", async () => {
    const before = await task(standup);
    await paced(boss);
    boss.say(CHANNEL, "!reloadtasks");
    await boss.waitFor((m) => m.from === BOT && /tasks reloaded.*unchanged 1/.test(m.text), 10_000);
    const after = await task(standup);
    expect(after).toEqual(before);
    expect((await ask(alice, `!cancel ${standup}`)).text).toBe(`alice: cancelled #${standup} (stand up)`);
    expect((await task(standup)).state).toBe("retired");
  });
});
