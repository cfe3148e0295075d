// `seshet run`: one child process per bot, from this same executable. A child
// that dies is restarted with exponential backoff; a bot in a crash loop is
// given up on loudly while the others go on. Reloads and shutdown reach every bot.
// In fleet mode (a PostgreSQL store shared by several hosts, src/fleet/) only
// the bots whose lease this host holds run here, started and stopped as leases come and go.
import { spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "../log/logger.ts";
import type { TaskStore } from "../store/store-types.ts";
import { selfCommand } from "../platform/runtime.ts";
import { onSignal } from "../platform/signals.ts";
import { signalChild } from "../platform/child-signal.ts";
import { encode, lineReader, textLines, type ToChild, type ToSupervisor } from "./control-channel.ts";
import { syncFiles, syncSummary } from "../store/sync-files.ts";
import { formatIssue } from "../config/format-issue.ts";
import { FleetMember, type FleetSettings } from "../fleet/fleet-member.ts";

export interface SupervisorOptions {
  bots: string[];
  /** Arguments every child gets after `run --bot NAME`. */
  childArgs: string[];
  store: TaskStore;
  paths: { botsDir: string; tasksDir: string };
  env: Record<string, string | undefined>;
  log: Logger;
  /** Where children's log lines go (with the bot name in front). */
  forward: (line: string) => void;
  /** Fleet mode (a PostgreSQL store shared by several hosts): run only the bots whose lease this host holds. */
  fleet?: FleetSettings;
}

/** A clean shutdown waits this long for every bot to QUIT and close its store. */
export const SHUTDOWN_BOUND_MS = 10_000;
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** A child that stayed up this long is healthy again: its backoff resets. */
const STABLE_AFTER_MS = 60_000;
/** Crashes within CRASH_WINDOW_MS after which a bot is given up on. */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 120_000;

interface Child {
  name: string;
  proc: ChildProcess | null;
  startedAt: number;
  crashes: number[];
  backoff: number;
  lastError: string;
  restart: ReturnType<typeof setTimeout> | undefined;
  givenUp: boolean;
  /** False while this host does not hold the bot's lease (fleet mode): its exit is then no crash. */
  leased: boolean;
}

export async function supervise(opts: SupervisorOptions): Promise<number> {
  const { log } = opts;
  const children = new Map<string, Child>();
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const send = (child: Child, message: ToChild) => {
    if (child.proc?.stdin?.writable) child.proc.stdin.write(encode(message));
  };

  const start = (child: Child) => {
    const [cmd, ...pre] = selfCommand();
    const proc = spawn(cmd!, [...pre, "run", "--bot", child.name, ...opts.childArgs], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, SESHET_SUPERVISED: "1" },
    });
    child.proc = proc;
    child.startedAt = Date.now();
    log.info(`bot '${child.name}' started`, { pid: proc.pid });
    proc.stdout!.on(
      "data",
      lineReader<ToSupervisor>((m) => onChildMessage(child, m), (line) => opts.forward(`${child.name} | ${line}`)),
    );
    proc.stderr!.on(
      "data",
      textLines((line) => {
        if (/\b(ERROR|"level":"error")/.test(line)) child.lastError = line;
        opts.forward(`${child.name} | ${line}`);
      }),
    );
    proc.stdin!.on("error", () => {}); // a dying child closes its end; the exit handler deals with it
    // A spawn that fails (executable gone, out of processes) emits "error" and maybe never "exit":
    // unhandled, it would take the supervisor and every other bot down with it.
    let exited = false;
    const exit = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      onExit(child, code, signal);
    };
    proc.on("exit", exit);
    proc.on("error", (error) => {
      child.lastError = `could not start: ${error.message}`;
      log.error(`bot '${child.name}': ${child.lastError}`);
      if (proc.pid === undefined || proc.exitCode !== null) exit(proc.exitCode ?? 1, null);
    });
  };

  const onChildMessage = (from: Child, m: ToSupervisor) => {
    if (m.type === "synced") {
      log.info(`bot '${from.name}' synced the task files; telling the other bots`);
      for (const c of children.values()) if (c !== from) send(c, { type: "rebuild" });
    } else if (m.type !== "ready") {
      // JSON a plugin printed, not a control message: it is output like any other line.
      opts.forward(`${from.name} | ${JSON.stringify(m)}`);
    }
  };

  const onExit = (child: Child, code: number | null, signal: string | null) => {
    child.proc = null;
    if (stopping) {
      log.info(`bot '${child.name}' stopped`, { code, signal });
      if ([...children.values()].every((c) => c.proc === null)) resolveDone(0);
      return;
    }
    if (!child.leased) {
      log.info(`bot '${child.name}' stopped: this host no longer holds its lease`, { code, signal });
      return;
    }
    const now = Date.now();
    if (now - child.startedAt > STABLE_AFTER_MS) child.backoff = BACKOFF_START_MS;
    child.crashes = [...child.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (child.crashes.length >= CRASH_LIMIT) {
      child.givenUp = true;
      log.error(`bot '${child.name}' crashed ${child.crashes.length} times in ${CRASH_WINDOW_MS / 1000} s; giving up on it (the other bots go on)`, {
        code,
        signal,
        lastError: child.lastError || undefined,
      });
      if (fleet) {
        child.leased = false;
        void fleet.giveUp(child.name);
      }
      return;
    }
    const delay = Math.round(child.backoff * (0.8 + Math.random() * 0.4));
    const how = code === 0 ? "exited" : "crashed";
    log.warn(`bot '${child.name}' ${how}; restarting in ${(delay / 1000).toFixed(1)} s`, { code, signal });
    child.backoff = Math.min(child.backoff * 2, BACKOFF_MAX_MS);
    child.restart = setTimeout(() => {
      child.restart = undefined;
      if (!stopping) start(child);
    }, delay);
  };

  const shutdown = (why: string) => {
    if (stopping) {
      log.warn(`second ${why}: forcing exit`);
      for (const c of children.values()) if (c.proc) signalChild(c.proc, "SIGKILL");
      resolveDone(1);
      return;
    }
    stopping = true;
    const running = [...children.values()].filter((c) => c.proc !== null).length;
    log.info(`${why}: stopping ${running} running bot(s)`);
    for (const c of children.values()) {
      clearTimeout(c.restart);
      if (c.proc) signalChild(c.proc, "SIGTERM");
    }
    if ([...children.values()].every((c) => c.proc === null)) resolveDone(0);
    setTimeout(() => {
      for (const c of children.values()) {
        if (c.proc) {
          log.error(`bot '${c.name}' did not stop within ${SHUTDOWN_BOUND_MS / 1000} s; killing it`);
          signalChild(c.proc, "SIGKILL");
        }
      }
      resolveDone(1);
    }, SHUTDOWN_BOUND_MS).unref();
  };

  const reload = async () => {
    if (stopping) return;
    try {
      const r = await syncFiles(opts.store, { ...opts.paths, env: opts.env, now: Date.now() });
      log.info(`SIGHUP: tasks synced: ${syncSummary(r)}`);
      for (const e of r.errors) log.warn(formatIssue(e));
      for (const c of children.values()) send(c, { type: "rebuild" });
    } catch (error) {
      log.error("SIGHUP: sync failed", { error });
    }
  };

  const offs = [
    onSignal("SIGINT", () => shutdown("SIGINT")),
    onSignal("SIGTERM", () => shutdown("SIGTERM")),
    onSignal("SIGHUP", () => void reload()),
  ];

  for (const name of opts.bots) {
    const child: Child = { name, proc: null, startedAt: 0, crashes: [], backoff: BACKOFF_START_MS, lastError: "", restart: undefined, givenUp: false, leased: !opts.fleet };
    children.set(name, child);
    if (!opts.fleet) start(child);
  }
  const fleet = opts.fleet && new FleetMember(opts.store, opts.fleet, opts.bots, {
    start: (name) => {
      const c = children.get(name);
      if (!c || stopping) return;
      c.leased = true;
      c.givenUp = false;
      if (!c.proc && !c.restart) start(c);
    },
    // Resolves once the child exited, so a lease is released only after the bot left IRC.
    stop: (name) => {
      const c = children.get(name);
      if (!c) return Promise.resolve();
      c.leased = false;
      clearTimeout(c.restart);
      c.restart = undefined;
      const proc = c.proc;
      if (!proc) return Promise.resolve();
      return new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        signalChild(proc, "SIGTERM");
        setTimeout(() => c.proc === proc && signalChild(proc, "SIGKILL"), SHUTDOWN_BOUND_MS).unref();
      });
    },
    rebuild: () => {
      for (const c of children.values()) send(c, { type: "rebuild" });
    },
  }, log);
  fleet?.start();
  const code = await done;
  await fleet?.leave();
  for (const off of offs) off();
  log.info(code === 0 ? "every bot stopped; supervisor exiting" : "supervisor exiting after forcing bots down", { code });
  return code;
}
