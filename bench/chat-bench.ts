// `!tasks mine` with 10,000 runtime tasks in the store (1,000 users with 10
// each, plus one admin with 1,000 more): the whole command, from the handler
// to the reply lines, over a real SQLite file. Target: under 10 ms.
// Run: bun bench/chat-bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { openStore } from "../src/store/open-store.ts";
import { registerManageCommands } from "../src/chat/chat-manage.ts";
import type { ChatHost } from "../src/chat/chat-host.ts";
import type { BotApi, CommandContext, CommandDefinition } from "../src/modules/module-types.ts";
import type { BotConfig } from "../src/config/config-types.ts";
import { compileSchedule } from "../src/scheduler/recurrence/recurrence.ts";
import { figure, type BenchFigure } from "./bench-figure.ts";
import { percentile } from "./bench-stats.ts";

const median = (v: readonly number[]) => percentile(v, 50);

const USERS = 1000;
const PER_USER = 10;
const ADMIN_TASKS = 1000;
const SAMPLES = 300;
export const TASKS_MINE_GOAL_MS = 10;

export async function benchChat(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "seshet-chat-bench-"));
  const store = await openStore(path.join(dir, "seshet.db"));
  try {
    const now = Date.now();
    const t0 = performance.now();
    for (let u = 0; u < USERS + 1; u++) {
      const n = u === USERS ? ADMIN_TASKS : PER_USER;
      for (let i = 0; i < n; i++) {
        const owner = u === USERS ? "account:admin" : `nick:user${u}`;
        const rrule = i % 2 === 0 ? { freq: "weekly" as const, interval: 1, byweekday: [{ day: (i % 5) as 0 }], byhour: [9], byminute: [0], bysecond: [0] } : null;
        const start = rrule ? "2026-01-01T00:00:00" : "2099-01-01T10:00:00";
        const next = compileSchedule({ start, tz: "Europe/Berlin", rule: rrule }).next(now)!;
        await store.chat.add(
          { bot: "bench", func: "core:say", args: ["#bench", `task ${u}-${i}`], kwargs: {}, start, tz: "Europe/Berlin", rrule, catchup: "once", owner, ownerNick: owner.split(":")[1]! },
          next, now, null,
        );
      }
    }
    const fillMs = performance.now() - t0;
    const command = tasksCommand(store.chat);
    const run = async (nick: string, account: string | null): Promise<number> => {
      const lines: string[] = [];
      const ctx = context(nick, account, (l) => lines.push(l));
      const s = performance.now();
      await command.run(ctx);
      const ms = performance.now() - s;
      if (lines.length === 0) throw new Error("no reply");
      return ms;
    };
    for (let i = 0; i < 20; i++) await run(`user${i}`, null); // warm-up
    const user: number[] = [];
    const admin: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      user.push(await run(`user${(i * 7919) % USERS}`, null));
      admin.push(await run("admin", "admin"));
    }
    const total = USERS * PER_USER + ADMIN_TASKS;
    return [
      figure(`!tasks mine, ${total.toLocaleString("en")} runtime tasks, a user with ${PER_USER} (median)`, round(median(user)), "ms"),
      figure(`!tasks mine, same, a user with ${PER_USER} (p99)`, round(percentile(user, 99)), "ms"),
      figure(`!tasks mine, same, an admin with ${ADMIN_TASKS.toLocaleString("en")} (median; one page)`, round(median(admin)), "ms"),
      figure(`!tasks mine, same, an admin with ${ADMIN_TASKS.toLocaleString("en")} (p99)`, round(percentile(admin, 99)), "ms"),
      figure(`store ${total.toLocaleString("en")} chat tasks one command at a time (per task)`, round((fillMs / total) * 1000) / 1000, "ms"),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function tasksCommand(chat: ChatHost["chat"]): CommandDefinition {
  const commands = new Map<string, CommandDefinition>();
  const api = { command: (name: string, def: CommandDefinition) => commands.set(name, def) } as unknown as BotApi;
  const host: ChatHost = {
    config: { name: "bench", prefix: "!", tz: "UTC" } as BotConfig,
    chat,
    now: Date.now,
    refresh: async () => {},
    recurrence: (t) => compileSchedule({ start: t.start, tz: t.tz, rule: t.rrule }),
    runNow: async () => {},
    roleIn: () => "none",
  };
  registerManageCommands(api, host);
  return commands.get("tasks")!;
}

function context(nick: string, account: string | null, reply: (l: string) => void): CommandContext {
  return {
    message: { nick, ident: nick, hostname: "bench", account, kind: "privmsg", target: "#bench", text: "!tasks mine", isPrivate: false, replyTarget: "#bench" },
    args: ["mine"],
    rest: "mine",
    reply,
    isAdmin: account === "admin",
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

if (import.meta.main) {
  for (const f of await benchChat()) console.log(`${f.name}: ${f.value} ${f.unit}`);
}
