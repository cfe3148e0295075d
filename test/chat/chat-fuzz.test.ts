// Whatever text follows !in, !at, !every, !tz, !snooze, !pause…: the
// handlers never throw, always answer, and create a task exactly when their
// reply says so (a real SQLite store, seeded random text).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";
import { registerCreateCommands } from "../../src/chat/chat-create.ts";
import { registerManageCommands } from "../../src/chat/chat-manage.ts";
import type { ChatHost } from "../../src/chat/chat-host.ts";
import type { BotApi, CommandDefinition } from "../../src/modules/module-types.ts";
import type { BotConfig } from "../../src/config/config-types.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { tempDir } from "../store/store-fixtures.ts";
import { seededRandom } from "../support/seeded-random.ts";

const ROUNDS = 400;
const PIECES = ["in", "at", "every", "10m", "1h30m", "0s", "99999999999d", "tomorrow", "fri", "17:00", "25:61", "2026-02-30", "2026-12-24 18:00",
  "next friday at 5pm", ": ", ":", "day at 9:00", "weekday", "last friday of the month at 16:00", "FREQ=SECONDLY", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
  "FREQ=DAILY;COUNT=0", "RRULE:", "Europe/Berlin", "Mars/Base", "UTC", "and", ",", "#1", "#99999999999999999999", "chat-1", "\u0000", "\r\n", "\u202e",
  "💥", "a".repeat(500), "-1", "NaN", "1e9", "at at at", "every every", "  ", "0", "mine", "2", "%s", "${x}", "\\", "\""];


let tmp: ReturnType<typeof tempDir>;
let store: TaskStore;
const commands = new Map<string, CommandDefinition>();

beforeAll(async () => {
  tmp = tempDir();
  store = await openStore(path.join(tmp.dir, "seshet.db"));
  const api = { command: (name: string, def: CommandDefinition) => commands.set(name, def), task: () => {} } as unknown as BotApi;
  const host: ChatHost = {
    config: { name: "fuzz", prefix: "!", tz: "Europe/Berlin" } as BotConfig,
    chat: store.chat,
    now: Date.now,
    refresh: async () => {},
    recurrence: (t) => compileSchedule({ start: t.start, tz: t.tz, rule: t.rrule }),
    runNow: async () => {},
    roleIn: () => "op",
  };
  registerCreateCommands(api, host);
  registerManageCommands(api, host);
});
afterAll(async () => {
  await store.close();
  tmp.remove();
});

describe("chat commands under random text", () => {
  test(`${ROUNDS} random commands: no throw, one answer at least, a task only when the reply names one`, async () => {
    const rand = seededRandom(14);
    const names = ["in", "remind", "at", "every", "tz", "snooze", "pause", "resume", "cancel", "run", "tasks"];
    let created = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const name = names[Math.floor(rand() * names.length)]!;
      const words = Array.from({ length: Math.floor(rand() * 6) }, () => PIECES[Math.floor(rand() * PIECES.length)]!);
      const rest = words.join(rand() < 0.5 ? " " : "").trim();
      const replies: string[] = [];
      const before = (await store.chat.runtime("fuzz")).length;
      await commands.get(name)!.run({
        message: { nick: "fuzzer", ident: "f", hostname: "h", account: null, kind: "privmsg", target: "#fuzz", text: `!${name} ${rest}`, isPrivate: false, replyTarget: "#fuzz" },
        args: rest ? rest.split(/\s+/) : [],
        rest,
        reply: (l) => replies.push(l),
        isAdmin: rand() < 0.3,
      });
      const after = (await store.chat.runtime("fuzz")).length;
      expect(replies.length).toBeGreaterThan(0);
      const made = replies.filter((r) => /^#\d+: /.test(r)).length;
      if (["in", "remind", "at", "every", "snooze"].includes(name)) expect(after - before).toBe(made);
      created += made;
      // Keep the quota from deciding every later round.
      if (after > 8) for (const t of await store.chat.runtime("fuzz")) await store.chat.cancel(t.id, Date.now());
    }
    expect(created).toBeGreaterThan(0);
  }, 120_000);
});
