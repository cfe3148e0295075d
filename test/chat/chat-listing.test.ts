// !tasks paging over stored and in-memory tasks (real SQLite store), and who
// counts as op or voice in a channel (ChannelRoles from NAMES and MODE).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as path from "node:path";
import type { Client } from "irc-framework";
import { openStore } from "../../src/store/open-store.ts";
import type { RunnableTask, TaskStore } from "../../src/store/store-types.ts";
import { registerManageCommands } from "../../src/chat/chat-manage.ts";
import type { ChatHost } from "../../src/chat/chat-host.ts";
import { recurringRefusal } from "../../src/chat/chat-limits.ts";
import { ChannelRoles } from "../../src/irc/channel-roles.ts";
import type { BotApi, CommandDefinition } from "../../src/modules/module-types.ts";
import { DEFAULT_SCHEDULE_LIMITS, type BotConfig } from "../../src/config/config-types.ts";
import { compileSchedule } from "../../src/scheduler/recurrence/recurrence.ts";
import { tempDir } from "../store/store-fixtures.ts";

let tmp: ReturnType<typeof tempDir>;
let store: TaskStore;
let tasks: CommandDefinition;
const NOW = Date.UTC(2026, 11, 1, 8);
const memory: RunnableTask = {
  name: "plugin-ping", func: "ping:send", args: ["#x"], kwargs: {}, start: "2026-12-01T12:00:00", tz: "UTC", rrule: null,
  catchup: "once", remaining: null, nextDue: Date.UTC(2026, 11, 1, 12), order: 1,
};

beforeAll(async () => {
  tmp = tempDir();
  store = await openStore(path.join(tmp.dir, "seshet.db"));
  const commands = new Map<string, CommandDefinition>();
  const api = { command: (n: string, d: CommandDefinition) => commands.set(n, d) } as unknown as BotApi;
  const host: ChatHost = {
    config: { name: "list", prefix: "!", tz: "UTC" } as BotConfig,
    chat: store.chat, now: () => NOW, refresh: async () => {}, runNow: async () => {}, roleIn: () => "none",
    recurrence: (t) => compileSchedule({ start: t.start, tz: t.tz, rule: t.rrule }),
    memoryTasks: () => [memory],
  };
  registerManageCommands(api, host);
  tasks = commands.get("tasks")!;
  for (let i = 0; i < 6; i++) {
    const target = i === 5 ? "carol" : "#x";
    await store.chat.add(
      { bot: "list", func: "core:remind", args: [target, "carol", `note ${i}`], kwargs: {}, start: "2026-12-01T09:00:00", tz: "UTC", rrule: null, catchup: "once", owner: "nick:carol", ownerNick: "carol" },
      Date.UTC(2026, 11, 1, 9, i), NOW, null,
    );
  }
});
afterAll(async () => {
  await store.close();
  tmp.remove();
});

async function list(rest: string, nick = "dave", isAdmin = false): Promise<string[]> {
  const lines: string[] = [];
  await tasks.run({
    message: { nick, ident: nick, hostname: "h", account: null, kind: "privmsg", target: "#x", text: `!tasks ${rest}`, isPrivate: false, replyTarget: "#x" },
    args: rest ? rest.split(" ") : [], rest, reply: (l) => lines.push(l), isAdmin,
  });
  return lines;
}

describe("!tasks", () => {
  test("pages of five, soonest first, then the plugins' in-memory tasks; others' private texts hidden", async () => {
    const first = await list("");
    expect(first).toHaveLength(6);
    expect(first[0]).toBe("#1 carol: once (UTC), next Tue 1 Dec 09:00 — note 0");
    expect(first[5]).toBe("page 1 of 2 (7 tasks) — !tasks 2 for more");
    const second = await list("2");
    expect(second).toEqual([
      "#6 carol: once (UTC), next Tue 1 Dec 09:05 — (in private)",
      "plugin-ping (in memory): once (UTC), next Tue 1 Dec 12:00 — ping:send(\"#x\")",
      "page 2 of 2 (7 tasks)",
    ]);
    expect((await list("2", "carol"))[0]).toBe("#6 carol: once (UTC), next Tue 1 Dec 09:05 — note 5");
    expect((await list("3"))).toEqual(["dave: there are only 2 page(s)"]);
    expect((await list("x"))[0]).toBe("dave: 'x' is not a page number. Example: !tasks 2 or !tasks mine");
  });

  test("!tasks mine has only the speaker's, without in-memory tasks", async () => {
    expect(await list("mine")).toEqual(["dave: you have no tasks; try !in 10m hello"]);
    expect((await list("mine 2", "carol"))).toEqual(["#6 carol: once (UTC), next Tue 1 Dec 09:05 — note 5", "page 2 of 2 (6 tasks)"]);
  });
});

describe("who may create recurring channel tasks", () => {
  const client = { caseLower: (s: string) => s.toLowerCase() } as unknown as Client;

  test("NAMES then MODE changes, nick changes and parts", () => {
    const roles = new ChannelRoles();
    roles.userlist(client, "#Chan", [{ nick: "Op", modes: ["o"] }, { nick: "voiced", modes: ["v"] }, { nick: "plain", modes: [] }]);
    expect([roles.role(client, "#chan", "op"), roles.role(client, "#chan", "VOICED"), roles.role(client, "#chan", "plain")]).toEqual(["op", "voice", "none"]);
    roles.mode(client, "#chan", [{ mode: "+o", param: "plain" }, { mode: "-o", param: "Op" }, { mode: "+k", param: "key" }]);
    expect([roles.role(client, "#chan", "plain"), roles.role(client, "#chan", "op")]).toEqual(["op", "none"]);
    roles.renamed(client, "plain", "plainer");
    expect(roles.role(client, "#chan", "plainer")).toBe("op");
    roles.parted(client, "#chan", "plainer", false);
    expect(roles.role(client, "#chan", "plainer")).toBe("none");
    roles.quit(client, "voiced");
    expect(roles.role(client, "#chan", "voiced")).toBe("none");
    expect(roles.role(client, "#other", "op")).toBe("none");
  });

  test("the [schedule] recurring setting", () => {
    const limits = (recurring: typeof DEFAULT_SCHEDULE_LIMITS.recurring) => ({ ...DEFAULT_SCHEDULE_LIMITS, recurring });
    expect(recurringRefusal("voice", false, limits("voice"))).toBeUndefined();
    expect(recurringRefusal("none", false, limits("voice"))).toContain('voiced users and operators (recurring = "voice")');
    expect(recurringRefusal("voice", false, limits("op"))).toContain('channel operators (recurring = "op")');
    expect(recurringRefusal("op", false, limits("admin"))).toContain('admins of this bot (recurring = "admin")');
    expect(recurringRefusal("none", true, limits("admin"))).toBeUndefined();
    expect(recurringRefusal("none", false, limits("anyone"))).toBeUndefined();
  });
});
