// The CLI side of chat scheduling: `seshet next --every` (the !every parser),
// `seshet tasks` (owner, where, paused) and `seshet export` (tables that
// `seshet check` accepts and that take the chat tasks over after !cancel).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runNextEvery } from "../../src/cli/next-every-command.ts";
import { runExport } from "../../src/cli/export-command.ts";
import { runTasks } from "../../src/cli/tasks-command.ts";
import { runCheck } from "../../src/cli/check-command.ts";
import { openStore } from "../../src/store/open-store.ts";
import { syncFiles } from "../../src/sync/sync-files.ts";
import type { ChatTask, NewChatTask } from "../../src/store/chat-store-types.ts";
import { parseEvery } from "../../src/chat/chat-every.ts";
import { EVERY_FUNC, everyLine } from "../../src/chat/chat-create.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { tempDir } from "../store/store-fixtures.ts";

const capture = () => {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l) };
};

describe("seshet next --every", () => {
  test("prints the schedule in words and 09:00 local on both sides of the DST change", () => {
    const { lines, out } = capture();
    expect(runNextEvery({ every: "day at 09:00", tz: "Europe/Berlin", after: "2026-03-27T12:00:00Z", n: 3 }, out)).toBe(0);
    expect(lines).toEqual(["# every day at 09:00 (Europe/Berlin)", "2026-03-28T09:00:00+01:00", "2026-03-29T09:00:00+02:00", "2026-03-30T09:00:00+02:00"]);
  });

  test("--json, a zone in the schedule, and refusals", () => {
    const a = capture();
    expect(runNextEvery({ every: "weekday at 09:00 America/New_York", after: "2026-12-04T00:00:00Z", n: 2, json: true }, a.out)).toBe(0);
    expect(a.lines).toEqual(['["2026-12-04T09:00:00-05:00","2026-12-07T09:00:00-05:00"]']);
    const b = capture();
    expect(runNextEvery({ every: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" }, b.out)).toBe(1);
    expect(b.lines[0]).toContain("never fires");
    const c = capture();
    expect(runNextEvery({ every: "when pigs fly" }, c.out)).toBe(1);
    expect(c.lines[0]).toMatch(/^seshet next: --every: .* \(e\.g\. 'weekday at 09:00'/);
  });
});

describe("seshet tasks and seshet export", () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  const bots = () => path.join(tmp.dir, "bots");
  const tasks = () => path.join(tmp.dir, "tasks");

  beforeEach(() => {
    tmp = tempDir();
    db = path.join(tmp.dir, "seshet.db");
    mkdirSync(bots());
    mkdirSync(tasks());
    writeFileSync(path.join(bots(), "alpha.toml"), `nick = "alpha"\nchannels = ["#t"]\n[server]\nhost = "127.0.0.1"\nport = 6667\ntls = false\n`);
  });
  afterEach(() => tmp.remove());

  async function addChat(now: number): Promise<ChatTask[]> {
    const store = await openStore(db);
    try {
      const every = parseEvery("weekday at 09:00", "Europe/Berlin", now);
      if ("error" in every) throw new Error(every.error);
      const rec = compileSchedule({ start: every.start, tz: every.tz, rule: every.rule });
      const base = { bot: "alpha", kwargs: {}, catchup: "once" as const, owner: "account:al", ownerNick: "alice" };
      const made: NewChatTask[] = [
        { ...base, func: EVERY_FUNC, args: ["#t", 'stand "up" — ☕'], start: every.start, tz: every.tz, rrule: every.rule },
        { ...base, func: "core:remind", args: ["#t", "alice", "call back"], start: "2099-01-01T10:00:00", tz: "UTC", rrule: null },
      ];
      const out: ChatTask[] = [];
      for (const [i, t] of made.entries()) {
        const r = await store.chat.add(t, i === 0 ? rec.next(now)! : Date.UTC(2099, 0, 1, 10), now, null);
        if ("refused" in r) throw new Error("refused");
        out.push(r);
      }
      await store.chat.setPaused(out[1]!.id, true, out[1]!.nextDue, now);
      return out;
    } finally {
      await store.close();
    }
  }

  test("tasks shows who made a runtime task, where it speaks, and that it is paused", async () => {
    const [every] = await addChat(Date.now());
    const { lines, out } = capture();
    expect(await runTasks({ db }, out)).toBe(0);
    const row = lines.find((l) => l.startsWith(every!.name))!;
    expect(row).toMatch(/^chat-1\s+alpha\s+core:every\s+runtime\s+alice\s+#t\s+active\s+-\s+\S+\s+-\s+every weekday at 09:00 \(Europe\/Berlin\)$/);
    expect(lines.find((l) => l.startsWith("chat-2"))).toMatch(/\s+paused\s+/);
  });

  test("export prints tables seshet check accepts; after !cancel a sync moves them into the file", async () => {
    const made = await addChat(Date.now());
    const { lines, out } = capture();
    expect(await runExport({ db }, out, () => {})).toBe(0);
    const file = path.join(tasks(), "chat.toml");
    writeFileSync(file, lines.join("\n") + "\n");
    const check = capture();
    expect(await runCheck({ bots: bots(), tasks: tasks() }, check.out, {})).toBe(0);
    const store = await openStore(db);
    try {
      // Before the originals are cancelled the file must not take them over.
      let r = await syncFiles(store, { botsDir: bots(), tasksDir: tasks(), env: {}, now: Date.now() });
      expect(r.added + r.changed).toBe(0);
      expect(r.errors.map((e) => e.message)).toEqual([
        "task 'chat-1' of bot 'alpha' was created at run time; the stored one is kept (rename this one)",
        "task 'chat-2' of bot 'alpha' was created at run time; the stored one is kept (rename this one)",
      ]);
      for (const t of made) await store.chat.cancel(t.id, Date.now());
      r = await syncFiles(store, { botsDir: bots(), tasksDir: tasks(), env: {}, now: Date.now() });
      expect(r.errors.map((e) => e.message)).toEqual([]);
      expect(r.changed).toBe(2);
      const moved = await store.chat.find("alpha", made[0]!.name);
      expect(moved).toMatchObject({ origin: expect.stringContaining("chat.toml"), state: "active", args: ["#t", 'stand "up" — ☕'], nextDue: made[0]!.nextDue });
      expect(moved!.rrule).toEqual(made[0]!.rrule);
      // The same function under the same name: in the file it says the same line, `[#1] …`.
      expect(moved).toMatchObject({ func: "core:every", name: "chat-1", id: made[0]!.id });
      expect(everyLine(moved!.name, 'stand "up" — ☕')).toBe('[#1] stand "up" — ☕');
    } finally {
      await store.close();
    }
  });
});
