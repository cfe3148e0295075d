// A whole Bot in the test process: the real IRC transport, a real SQLite
// store in a throwaway project folder, the core module, and a log the test
// can read. For tests that need the command path end to end without the
// binary (faster to start, and the test can add modules).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot } from "../../src/bot/bot.ts";
import { DEFAULT_FLOOD, type BotConfig } from "../../src/config/config-types.ts";
import { DEFAULT_REPLIES } from "../../src/irc/connection-config.ts";
import { IrcTransport, type IrcTransportOptions } from "../../src/irc/irc-transport.ts";
import { createLogger } from "../../src/log/logger.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { TaskStore } from "../../src/store/store-types.ts";

export interface InProcessBot {
  bot: Bot;
  store: TaskStore;
  dir: string;
  logs: string[];
  /** Resolves once the bot is registered and in its channels. */
  ready: Promise<void>;
  /** Resolves once a log line matches; rejects after `timeoutMs`. */
  waitLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function botConfig(port: number, over: Partial<BotConfig> = {}): BotConfig {
  return {
    name: "seshet", file: "bots/seshet.toml", nick: "seshet", altNicks: ["seshet_"], username: "seshet",
    realname: "Seshet", channels: ["#t"], admins: [], prefix: "!", tz: "UTC", tick: 1, modules: [],
    server: { host: "127.0.0.1", port, tls: false, verifyTls: true },
    flood: { ...DEFAULT_FLOOD }, outboxLimit: 1000, replies: { ...DEFAULT_REPLIES }, ...over,
  };
}

/** Starts `config` with `files` (paths relative to the project: bots/…, tasks/…) written first. */
export async function startInProcessBot(
  config: BotConfig,
  files: Record<string, string> = {},
  transportOptions: IrcTransportOptions = {},
): Promise<InProcessBot> {
  const dir = mkdtempSync(join(tmpdir(), "seshet-bot-"));
  for (const sub of ["bots", "tasks"]) mkdirSync(join(dir, sub), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  const log = createLogger({ level: "debug", write: (l) => {
    logs.push(l);
    for (const w of [...waiters]) w();
  } }, config.name);
  const store = await openStore(join(dir, "seshet.db"));
  const transport = new IrcTransport(config, log, { reconnect: { minMs: 200, maxMs: 1000 }, ...transportOptions });
  const bot = new Bot({
    config, transport, store, log, env: {},
    paths: { botsDir: join(dir, "bots"), tasksDir: join(dir, "tasks") },
  });
  const ready = new Promise<void>((resolve) => bot.dispatcher.on("ready", () => resolve(), "test"));
  await bot.start();
  const waitLog = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = logs.find((l) => pattern.test(l));
        if (hit === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no log line matching ${pattern}; log:\n${logs.join("\n")}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    bot, store, dir, logs, waitLog, ready,
    async stop() {
      await bot.stop("test done");
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
