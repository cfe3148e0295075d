// The Bot on its own: a scripted in-memory transport (what a real one would
// report, under the test's control), a real SQLite store in a throwaway
// project, the core module and the example plugin from plugins/.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Bot } from "../../src/bot/bot.ts";
import type { BotConfig } from "../../src/config/config-types.ts";
import { createLogger } from "../../src/log/logger.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { SyncReport, TaskStore } from "../../src/store/store-types.ts";
import type { IncomingMessage, OutgoingCommand, TextCommand, Transport, TransportSink } from "../../src/irc/transport.ts";
import { botConfig } from "../support/in-process-bot.ts";
import { utcLocal } from "../support/seshet-process.ts";

/** A transport the test drives: it reports what the test says and records what the bot sends. */
class ScriptedTransport implements Transport {
  sink: TransportSink | undefined;
  sent: OutgoingCommand[] = [];
  stoppedWith: string | undefined;
  ready = false;
  connected = false;
  nick = "seshet";
  #waiters = new Set<() => void>();

  start(sink: TransportSink): void {
    this.sink = sink;
  }
  async stop(reason: string): Promise<void> {
    this.stoppedWith = reason;
  }
  send(command: OutgoingCommand): void {
    this.sent.push(command);
    for (const w of [...this.#waiters]) w();
  }
  reply(command: TextCommand, _maxLines: number): number {
    this.send(command);
    return 1;
  }
  async verifyAccount(): Promise<string | null> {
    return null;
  }
  caseFold(text: string): string {
    return text.toLowerCase();
  }
  /** Connected and joined: the bot may fire. */
  goReady(): void {
    this.connected = this.ready = true;
    this.sink?.("ready", {});
  }
  say(text: string, from = "alice", host = "user.example"): void {
    const m: IncomingMessage = {
      nick: from, ident: "u", hostname: host, account: null, kind: "privmsg",
      target: "#t", text, isPrivate: false, replyTarget: "#t",
    };
    this.sink?.("message", m);
  }
  texts(): string[] {
    return this.sent.flatMap((c) => ("text" in c ? [c.text] : []));
  }
  waitText(match: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const hit = this.texts().find(match);
        if (hit === undefined) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolvePromise(hit);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`nothing matching was sent; sent: ${JSON.stringify(this.texts())}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}

let dir: string;
let store: TaskStore;
let transport: ScriptedTransport;
let logs: string[];
let synced: SyncReport[];
let bot: Bot | undefined;

/** The outcomes of a task's runs, once they are all settled (the run is recorded "ok" just after the call returns). */
async function settledOutcomes(name: string): Promise<string[]> {
  for (let i = 0; i < 250; i++) {
    const runs = await store.history("seshet", name, 10);
    if (runs.length > 0 && runs.every((r) => r.outcome !== "started")) return runs.map((r) => r.outcome);
    await Bun.sleep(20);
  }
  throw new Error(`runs of '${name}' never settled`);
}

function taskFile(name: string, dueMs: number, func = "core:say", args = `["#t", "${name} fired"]`): string {
  return `[[task]]\nname = "${name}"\nfunc = "${func}"\nargs = ${args}\nstart = ${utcLocal(dueMs)}\ntz = "UTC"\n`;
}

async function startBot(over: Partial<BotConfig> = {}): Promise<Bot> {
  const config = botConfig(0, { admins: ["*!*@admin.example"], ...over });
  bot = new Bot({
    config, transport, store, env: {},
    log: createLogger({ level: "debug", write: (l) => logs.push(l) }, config.name),
    paths: { botsDir: join(dir, "bots"), tasksDir: join(dir, "tasks") },
    onSynced: (r) => synced.push(r),
  });
  await bot.start();
  return bot;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "seshet-bot-unit-"));
  for (const sub of ["bots", "tasks"]) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, "bots", "seshet.toml"), `nick = "seshet"\nchannels = ["#t"]\n[server]\nhost = "127.0.0.1"\nport = 6667\ntls = false\n`);
  store = await openStore(join(dir, "seshet.db"));
  transport = new ScriptedTransport();
  logs = [];
  synced = [];
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Bot", () => {
  test("a due task waits while the transport is not ready, and fires once it is", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    writeFileSync(join(dir, "tasks", "a.toml"), taskFile("early", due));
    await startBot();
    await bot!.reloadTasks("startup");
    await Bun.sleep(due - Date.now() + 300); // past due, not connected
    expect(transport.texts()).toEqual([]);
    expect((await store.history("seshet", "early", 5)).length).toBe(0); // not claimed either
    transport.goReady();
    await transport.waitText((t) => t === "early fired");
    expect(await settledOutcomes("early")).toEqual(["ok"]);
    expect((await store.history("seshet", "early", 5)).map((r) => r.due)).toEqual([due]);
  });

  test("core:say refuses a text over MAX_SAY_BYTES at run time (a file that skipped check): an error run, nothing sent", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    writeFileSync(join(dir, "tasks", "a.toml"), taskFile("huge", due, "core:say", `["#t", "${"x".repeat(5000)}"]`) + taskFile("small", due + 500));
    await startBot();
    await bot!.reloadTasks("startup");
    transport.goReady();
    await transport.waitText((t) => t === "small fired");
    expect(await settledOutcomes("huge")).toEqual(["error"]);
    expect((await store.history("seshet", "huge", 1))[0]!.error).toContain("'text' is 5000 bytes; at most 4096 are sent");
    expect(transport.texts()).toEqual(["small fired"]);
  });

  test("an unidentified owner's task is theirs from their host only: who takes the nick later cannot cancel it or snooze it", async () => {
    await startBot();
    transport.goReady();
    transport.say("!in 1h later", "alice", "alice.example");
    const later = /^#(\d+): once/.exec(await transport.waitText((t) => /^#\d+: once/.test(t)))![1];
    transport.say("!in 1s plan", "alice", "alice.example");
    const id = /^#(\d+): once/.exec(await transport.waitText((t) => /^#\d+: once/.test(t) && !t.startsWith(`#${later}:`)))![1];
    await transport.waitText((t) => t === "alice: plan");
    transport.say(`!cancel ${later}`, "alice", "evil.example");
    await transport.waitText((t) => t === `alice: #${later} belongs to alice; you can cancel only your own tasks`);
    expect((await store.getTask("seshet", `chat-${later}`))?.state).toBe("active");
    transport.say("!snooze 1h", "alice", "evil.example");
    await transport.waitText((t) => t.startsWith("alice: none of your reminders has fired yet"));
    // The owner, from the host the task was made from, still can.
    transport.say("!snooze 1h", "alice", "alice.example");
    await transport.waitText((t) => /^#\d+: once/.test(t) && !t.startsWith(`#${id}:`) && !t.startsWith(`#${later}:`));
    expect(transport.texts().filter((t) => t.includes("plan"))).toEqual(["alice: plan"]);
  }, 20_000);

  test("start marks runs left 'started' by a previous process as interrupted, and says so", async () => {
    writeFileSync(join(dir, "tasks", "a.toml"), taskFile("old", Date.now() + 3_600_000));
    await startBot();
    await bot!.reloadTasks("startup");
    const task = (await store.getTask("seshet", "old"))!;
    await store.claim(task.id, task.nextDue!, Date.now(), "started", { nextDue: null, remaining: null });
    await bot!.stop();
    const second = new Bot({
      config: botConfig(0), transport: new ScriptedTransport(), store, env: {},
      log: createLogger({ level: "debug", write: (l) => logs.push(l) }), paths: { botsDir: join(dir, "bots"), tasksDir: join(dir, "tasks") },
    });
    await second.start();
    await second.stop();
    expect(logs.some((l) => /1 run\(s\) were in flight when the bot last stopped; marked interrupted/.test(l))).toBe(true);
    expect((await store.history("seshet", "old", 5)).map((r) => r.outcome)).toEqual(["interrupted"]);
  });

  test("!reloadtasks from an admin syncs the files, logs the summary like every sync, tells the supervisor, and the new task fires", async () => {
    await startBot();
    transport.goReady();
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    writeFileSync(join(dir, "tasks", "late.toml"), taskFile("late", due));
    transport.say("!reloadtasks", "root", "admin.example");
    expect(await transport.waitText((t) => t.startsWith("tasks reloaded"))).toBe(
      "tasks reloaded: added 1, changed 0, retired 0, unchanged 0, errors 0",
    );
    expect(logs.some((l) => l.includes("!reloadtasks: tasks synced: added 1, changed 0, retired 0, unchanged 0, errors 0"))).toBe(true);
    expect(synced.map((r) => r.added)).toEqual([1]);
    await transport.waitText((t) => t === "late fired");
  });

  test("a non-admin's !reloadtasks is refused and syncs nothing", async () => {
    await startBot();
    transport.goReady();
    writeFileSync(join(dir, "tasks", "late.toml"), taskFile("late", Date.now() + 60_000));
    transport.say("!reloadtasks", "mallory", "evil.example");
    await transport.waitText((t) => /is for admins/.test(t));
    expect(synced).toEqual([]);
    expect(await store.getTask("seshet", "late")).toBeUndefined();
  });

  test("a supervisor's rebuild message is applied on the next tick: a task another process stored fires", async () => {
    await startBot();
    transport.goReady();
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1500;
    writeFileSync(join(dir, "tasks", "other.toml"), taskFile("other", due));
    const other = await openStore(join(dir, "seshet.db"));
    try {
      // Another process (seshet sync) changed the store; this bot learns of it only from the message.
      const { syncFiles } = await import("../../src/sync/sync-files.ts");
      await syncFiles(other, { botsDir: join(dir, "bots"), tasksDir: join(dir, "tasks"), env: {}, now: Date.now() });
    } finally {
      await other.close();
    }
    bot!.post({ type: "rebuild" });
    await transport.waitText((t) => t === "other fired", 5000);
    expect(logs.some((l) => /queue rebuilt from the store: 1 task/.test(l))).toBe(true);
  });

  test("the example plugin: !seen answers from what it saw, and its dotted task function fires from a task file", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    writeFileSync(join(dir, "tasks", "digest.toml"), taskFile("digest", due, "seen:digest.daily", `["#t"]`));
    await startBot({ modules: [resolve("plugins/seen.ts")] });
    await bot!.reloadTasks("startup");
    transport.goReady();
    transport.say("hello all", "alice");
    transport.say("!seen Alice", "bob");
    expect(await transport.waitText((t) => t.startsWith("bob:"))).toMatch(/^bob: alice last spoke in #t \d+ s ago$/);
    expect(await transport.waitText((t) => t.includes("since the last digest"))).toBe("2 people spoke since the last digest");
    expect(await settledOutcomes("digest")).toEqual(["ok"]);
  });

  test("stop lets the task in flight finish, then QUITs with the reason and unloads the modules", async () => {
    let finished = false;
    const plugin = join(dir, "slow.ts");
    writeFileSync(plugin, `export default { name: "slow", setup(api) { api.task("run", async () => { await new Promise((r) => setTimeout(r, 300)); globalThis.__slowDone = true; }); }, teardown() { globalThis.__slowTornDown = true; } };`);
    const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    writeFileSync(join(dir, "tasks", "slow.toml"), taskFile("slow", due, "slow:run", "[]"));
    await startBot({ modules: [plugin] });
    await bot!.reloadTasks("startup");
    transport.goReady();
    const g = globalThis as { __slowDone?: boolean; __slowTornDown?: boolean };
    while ((await store.history("seshet", "slow", 1)).length === 0) await Bun.sleep(20);
    await bot!.stop("bye now");
    finished = g.__slowDone === true;
    expect(finished).toBe(true);
    expect(transport.stoppedWith).toBe("bye now");
    expect(g.__slowTornDown).toBe(true);
    expect((await store.history("seshet", "slow", 1)).map((r) => r.outcome)).toEqual(["ok"]);
  });
});
