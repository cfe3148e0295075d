// `!every … except DATES`: whole days left out, in the schedule's zone, and
// said back in words.
import { describe, expect, test } from "bun:test";
import { parseEvery } from "../../src/chat/chat-every.ts";
import { runNextEvery } from "../../src/cli/next-every-command.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { scheduleWords } from "../../src/scheduler/schedule-words.ts";
import { formatInstant } from "../../src/scheduler/zoned-time.ts";
import { connectObserver } from "../support/irc-observer.ts";
import { ask, BOT, CHANNEL, startChatWorld } from "./chat-fixture.ts";

/** Tue 1 Dec 2026, 10:30:12 in Berlin. */
const NOW = Date.UTC(2026, 11, 1, 9, 30, 12);

describe("!every … except", () => {
  test("dates without a year are the next ones; the days are left out", () => {
    const r = parseEvery("weekday at 09:00 except 24 Dec, Dec 31 and 2027-01-01", "Europe/Berlin", NOW);
    if ("error" in r) throw new Error(r.error);
    expect(r.exdate).toEqual(["2026-12-24", "2026-12-31", "2027-01-01"]);
    expect(scheduleWords({ start: r.start, tz: r.tz, rule: r.rule, exdate: r.exdate })).toBe(
      "every weekday at 09:00 (Europe/Berlin), except 24 Dec 2026, 31 Dec 2026 and 1 Jan 2027",
    );
    const rec = compileSchedule({ start: r.start, tz: r.tz, rule: r.rule, extras: { exdate: r.exdate! } });
    const days = rec.take(Date.parse("2026-12-23T00:00:00Z"), 4).map((t) => formatInstant(t, r.tz).slice(0, 10));
    expect(days).toEqual(["2026-12-23", "2026-12-25", "2026-12-28", "2026-12-29"]);
  });

  test("a date already past this year is next year's; a zone at the end still counts", () => {
    for (const text of ["day at 18:00 except 1 March America/New_York", "day at 18:00 America/New_York except 1 March"]) {
      const r = parseEvery(text, "Europe/Berlin", NOW);
      if ("error" in r) throw new Error(r.error);
      expect(r.tz).toBe("America/New_York");
      expect(r.exdate).toEqual(["2027-03-01"]);
    }
  });

  test("what is not a date is said, and the list is bounded", () => {
    const bad = parseEvery("weekday at 09:00 except soon", "UTC", NOW);
    expect(bad).toEqual({ error: "'soon' is not a date (24 Dec, Dec 24, 2026-12-24)" });
    const feb = parseEvery("weekday at 09:00 except 30 Feb 2027", "UTC", NOW);
    expect("error" in feb).toBe(true);
    const many = Array.from({ length: 21 }, (_, i) => `${i + 1} Jan`).join(", ");
    expect(parseEvery(`weekday at 09:00 except ${many}`, "UTC", NOW)).toEqual({ error: "at most 20 dates after 'except'" });
  });

  test("seshet next --every shows the exceptions", () => {
    const lines: string[] = [];
    expect(runNextEvery({ every: "weekday at 09:00 except 24 Dec", tz: "Europe/Berlin", after: "2026-12-23T12:00:00Z", n: 2 }, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(["# every weekday at 09:00 (Europe/Berlin), except 24 Dec 2026", "2026-12-25T09:00:00+01:00", "2026-12-28T09:00:00+01:00"]);
  });
});

describe("!every … except on a real ngircd", () => {
  test("the reply names the exceptions and the store keeps them on the task", async () => {
    const world = await startChatWorld();
    const carol = await connectObserver({ port: world.irc.port, nick: "carol", channels: [CHANNEL] });
    try {
      await world.startBot();
      const r = await ask(carol, "!every weekday at 09:00 except 24 Dec, 31 Dec: stand-up");
      expect(r.text).toMatch(/^#\d+: every weekday at 09:00 \(UTC\), except 24 Dec \d{4} and 31 Dec \d{4}, next /);
      const store = await world.store();
      try {
        const [task] = (await store.chat.owned(BOT, "nick:carol", 10, 0)).tasks;
        expect(task!.extras?.exdate).toHaveLength(2);
        expect(task!.extras!.exdate!.every((d) => /^\d{4}-12-(24|31)$/.test(d))).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await carol.quit().catch(() => {});
      expect(await world.close()).toBe(0);
    }
  }, 60_000);
});
