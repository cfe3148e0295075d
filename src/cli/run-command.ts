// `seshet run`: the supervisor with one child per bot (default), one bot in the
// foreground (`--bot NAME`), or every bot in-process against the terminal
// (`--console`).
import { createInterface } from "node:readline";
import type { BotConfig } from "../config/config-types.ts";
import type { Logger } from "../log/logger.ts";
import type { TaskStore } from "../store/store-types.ts";
import { loadConfig } from "../config/load-config.ts";
import { openStore } from "../store/open-store.ts";
import { logSync, syncFiles } from "../sync/sync-files.ts";
import { Bot } from "../bot/bot.ts";
import { IrcTransport } from "../irc/irc-transport.ts";
import { ConsoleTransport } from "../irc/console-transport.ts";
import { onSignal } from "../platform/signals.ts";
import { supervise } from "../supervisor/supervise.ts";
import { childReader, encode } from "../supervisor/control-channel.ts";
import { openControlWriter } from "../platform/control-pipe.ts";
import { formatIssue } from "../config/format-issue.ts";
import { fleetSettings } from "../fleet/fleet-member.ts";

export interface RunOptions {
  bots: string;
  tasks: string;
  db: string;
  bot?: string;
  console?: boolean;
  /** Internal: a supervised child skips the startup sync (the supervisor did it). */
  sync: boolean;
  /** Arguments passed on to children (log settings). */
  childArgs: string[];
}

export interface RunIo {
  out: (line: string) => void;
  log: Logger;
  env: Record<string, string | undefined>;
}

export async function runRun(opts: RunOptions, io: RunIo): Promise<number> {
  const { log } = io;
  const loaded = await loadConfig({ botsDir: opts.bots, tasksDir: opts.tasks, env: io.env });
  // With a sync these come back in its summary: log them once.
  if (!opts.sync) for (const e of loaded.issues) log.warn(formatIssue(e));
  let bots = loaded.bots;
  if (opts.bot !== undefined) bots = bots.filter((b) => b.name === opts.bot);
  if (bots.length === 0) {
    log.error(
      opts.bot !== undefined
        ? `no bot named '${opts.bot}' in ${opts.bots} (found: ${loaded.bots.map((b) => b.name).join(", ") || "none"})`
        : `no usable bot definitions in ${opts.bots}; \`seshet init\` writes an example`,
    );
    return 1;
  }
  const store = await openStore(opts.db);
  try {
    const paths = { botsDir: opts.bots, tasksDir: opts.tasks };
    if (opts.sync) {
      const r = await syncFiles(store, { ...paths, env: io.env, now: Date.now() });
      logSync(log, "startup", r);
    }
    if (opts.console) return await runConsole(bots, store, paths, io);
    if (opts.bot !== undefined) return await runForeground(bots[0]!, store, paths, io);
    return await supervise({
      bots: bots.map((b) => b.name),
      childArgs: ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, "--no-sync", ...opts.childArgs],
      store,
      paths,
      env: io.env,
      log,
      forward: (line) => process.stderr.write(line + "\n"),
      // A PostgreSQL store may be shared by several hosts: each bot then runs on one of them.
      fleet: fleetSettings(opts.db, io.env),
    });
  } finally {
    await store.close();
  }
}

/** One bot on IRC; under a supervisor it also speaks the control channel. */
async function runForeground(config: BotConfig, store: TaskStore, paths: RunPaths, io: RunIo): Promise<number> {
  const log = io.log.child(config.name);
  const supervised = io.env.SESHET_SUPERVISED === "1";
  // Control messages go on their own pipe (fd 3), never stdout, which plugins print to.
  const toSupervisor = supervised ? openControlWriter() : undefined;
  const bot = new Bot({
    config,
    transport: new IrcTransport(config, log),
    store,
    log,
    paths,
    env: io.env,
    onSynced: (r) => {
      toSupervisor?.(encode({ type: "synced", added: r.added, changed: r.changed, retired: r.retired, errors: r.errors.length }));
    },
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = once(async (why: string) => {
      log.info(`${why}: shutting down`);
      await bot.stop();
      resolve();
    });
    onSignal("SIGINT", () => void stop("SIGINT"));
    onSignal("SIGTERM", () => void stop("SIGTERM"));
    // Under a supervisor the SIGHUP that counts is the supervisor's: it syncs once and tells
    // every bot. A hangup sent to the whole process group must not sync once more per bot.
    onSignal("SIGHUP", () =>
      supervised ? log.info(`SIGHUP ignored: the supervisor (pid ${process.ppid}) reloads the tasks for every bot`) : void reportReload(bot, log),
    );
    if (supervised) {
      process.stdin.on(
        "data",
        childReader(
          (m) => (m.type === "stop" ? void stop("supervisor") : bot.post(m)),
          (line) => log.warn("ignored a malformed message from the supervisor", { line: line.slice(0, 200) }),
        ),
      );
      // End of stdin means the supervisor is gone: exit rather than live on as an orphan.
      process.stdin.on("end", () => void stop("supervisor gone"));
    }
  });
  await bot.start();
  await stopped;
  return 0;
}

/** Every bot in-process against the terminal: typed lines come from an admin, sends are printed. */
async function runConsole(configs: BotConfig[], store: TaskStore, paths: RunPaths, io: RunIo): Promise<number> {
  const transports: ConsoleTransport[] = [];
  const bots: Bot[] = [];
  for (const config of configs) {
    const transport = new ConsoleTransport(config, { write: io.out });
    transports.push(transport);
    const bot: Bot = new Bot({
      config,
      transport,
      store,
      log: io.log.child(config.name),
      paths,
      env: io.env,
      extraAdmins: ["console!console@console"],
      onSynced: () => {
        for (const other of bots) if (other !== bot) other.post({ type: "rebuild" });
      },
    });
    bots.push(bot);
  }
  for (const bot of bots) await bot.start();
  io.out(`seshet: ${bots.length} bot(s) on the console; type a line to speak as an admin in each bot's first channel (Ctrl-D quits)`);
  await new Promise<void>((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on("line", (line) => {
      for (const t of transports) t.deliver(line);
    });
    rl.on("close", () => resolve());
    onSignal("SIGINT", () => rl.close());
    onSignal("SIGTERM", () => rl.close());
    onSignal("SIGHUP", () => void reportReload(bots[0]!, io.log));
  });
  for (const bot of bots) await bot.stop();
  return 0;
}

type RunPaths = { botsDir: string; tasksDir: string };

async function reportReload(bot: Bot, log: Logger): Promise<void> {
  try {
    await bot.reloadTasks("SIGHUP");
  } catch (error) {
    log.error("SIGHUP: reload failed", { error });
  }
}

function once<A extends unknown[]>(fn: (...a: A) => Promise<void>): (...a: A) => Promise<void> {
  let p: Promise<void> | undefined;
  return (...a) => (p ??= fn(...a));
}
