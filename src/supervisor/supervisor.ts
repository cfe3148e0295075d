// `seshet run`'s supervisor: one child process per bot. A child that dies is
// restarted by its RestartPolicy; a bot in a crash loop is given up on loudly
// while the others go on. A sync one bot did is relayed to the others, and
// shutdown reaches every bot within a bound. In fleet mode the bots start and
// stop as this host's leases come and go (see supervise.ts for the wiring).
// Processes and time come in through SpawnChild and Clock, so every part is
// tested with fake children and a fake clock.
import type { Logger, LogFormat } from "../log/logger.ts";
import type { BotChild, SpawnChild } from "./bot-child.ts";
import type { ToChild, ToSupervisor } from "./control-channel.ts";
import type { MetricsSnapshot } from "./metrics-snapshot.ts";
import { CRASH_WINDOW_MS, RestartPolicy } from "./restart-policy.ts";
import { childLine } from "./child-line.ts";
import { systemClock, type Clock } from "../scheduler/clock.ts";

/** A clean shutdown waits this long for every bot to QUIT and close its store. */
export const SHUTDOWN_BOUND_MS = 10_000;

export interface SupervisorDeps {
  bots: string[];
  spawn: SpawnChild;
  log: Logger;
  /** Where children's output goes (with the bot name in front). */
  forward: (line: string) => void;
  /** The log's format: in JSON children's lines are handed on as JSON records (child-line.ts). */
  format?: LogFormat;
  /** False in fleet mode: a bot runs here only once `lease()` says this host holds it. */
  startAll: boolean;
  /** A bot was given up on (crash loop): in a fleet, other hosts may try it. */
  onGiveUp?: (bot: string) => void;
  /** A bot's latest counters (undefined once its process is gone), for `--metrics`. */
  onMetrics?: (bot: string, snapshot: MetricsSnapshot | undefined) => void;
  clock?: Clock;
  random?: () => number;
}

/** One bot as the supervisor tracks it. */
export interface BotStatus {
  name: string;
  pid: number | undefined;
  running: boolean;
  /** Restarts after an unasked exit, since the supervisor started. */
  restarts: number;
  givenUp: boolean;
  leased: boolean;
  lastError: string | undefined;
}

/** Rebuilds relayed for one bot's syncs at most this often; syncs within the window are coalesced into one relay. */
export const RELAY_INTERVAL_MS = 1000;
/** Malformed control lines logged per bot process; beyond that only every 1000th is (a plugin writing garbage to fd 3). */
const BAD_LINES_LOGGED = 5;

class Slot {
  child: BotChild | null = null;
  lastRelay = -Infinity;
  /** Syncs waiting for the relay window, and the timer that relays them. */
  pendingSyncs = 0;
  lastSync: Extract<ToSupervisor, { type: "synced" }> | undefined;
  badLines = 0;
  cancelRestart: (() => void) | undefined;
  lastError = "";
  restarts = 0;
  givenUp = false;
  exitWaiters: (() => void)[] = [];
  constructor(
    readonly name: string,
    readonly policy: RestartPolicy,
    public leased: boolean,
  ) {}
}

export class Supervisor {
  readonly #slots = new Map<string, Slot>();
  readonly #deps: SupervisorDeps;
  readonly #clock: Clock;
  #stopping = false;
  #resolveDone!: (code: number) => void;
  #cancelForce: (() => void) | undefined;
  /** Resolves with the exit code once every bot is down after `shutdown()`. */
  readonly done: Promise<number>;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.done = new Promise<number>((resolve) => (this.#resolveDone = resolve)).finally(() => this.#cancelForce?.());
    for (const name of deps.bots) this.#slots.set(name, new Slot(name, new RestartPolicy(this.#clock.now, deps.random), deps.startAll));
  }

  /** Starts every bot this host runs (all of them, outside a fleet). */
  start(): void {
    for (const slot of this.#slots.values()) if (slot.leased) this.#spawn(slot);
  }

  status(): BotStatus[] {
    return [...this.#slots.values()].map((s) => ({
      name: s.name,
      pid: s.child?.pid,
      running: s.child !== null,
      restarts: s.restarts,
      givenUp: s.givenUp,
      leased: s.leased,
      lastError: s.lastError || undefined,
    }));
  }

  /** This host now holds the bot's lease: run it (a bot given up on gets a fresh start). */
  lease(name: string): void {
    const slot = this.#slots.get(name);
    if (!slot || this.#stopping) return;
    slot.leased = true;
    if (slot.givenUp) slot.policy.reset();
    slot.givenUp = false;
    if (!slot.child && !slot.cancelRestart) this.#spawn(slot);
  }

  /** This host no longer holds the bot: stop it; resolves once its process exited (so it left IRC first). */
  release(name: string): Promise<void> {
    const slot = this.#slots.get(name);
    if (!slot) return Promise.resolve();
    slot.leased = false;
    this.#cancelRestartOf(slot);
    const child = slot.child;
    if (!child) return Promise.resolve();
    return new Promise<void>((resolve) => {
      slot.exitWaiters.push(resolve);
      child.signal("SIGTERM");
      this.#clock.after(SHUTDOWN_BOUND_MS, () => slot.child === child && child.signal("SIGKILL"));
    });
  }

  /** Sends a message to every running bot but `except`. */
  broadcast(message: ToChild, except?: string): void {
    for (const slot of this.#slots.values()) if (slot.name !== except) slot.child?.send(message);
  }

  /** Stops every bot (SIGTERM, then SIGKILL after SHUTDOWN_BOUND_MS); a second call forces it at once. */
  shutdown(why: string): void {
    if (this.#stopping) {
      this.#deps.log.warn(`second ${why}: forcing exit`);
      this.#resolveDone(1); // first: the exits the kills cause must not count as a clean stop
      this.#killAll();
      return;
    }
    this.#stopping = true;
    const running = [...this.#slots.values()].filter((s) => s.child !== null);
    this.#deps.log.info(`${why}: stopping ${running.length} running bot(s)`);
    for (const slot of this.#slots.values()) this.#cancelRestartOf(slot);
    for (const slot of running) slot.child!.signal("SIGTERM");
    if (running.length === 0) return this.#resolveDone(0);
    this.#cancelForce = this.#clock.after(SHUTDOWN_BOUND_MS, () => {
      for (const s of this.#slots.values()) if (s.child) this.#deps.log.error(`bot '${s.name}' did not stop within ${SHUTDOWN_BOUND_MS / 1000} s; killing it`);
      this.#resolveDone(1);
      this.#killAll();
    });
  }

  #killAll(): void {
    for (const slot of this.#slots.values()) slot.child?.signal("SIGKILL");
  }

  #spawn(slot: Slot): void {
    const { log, forward } = this.#deps;
    slot.policy.started();
    const child = this.#deps.spawn(slot.name, {
      message: (m) => this.#onMessage(slot, m),
      output: (line, stream) => {
        if (stream === "stderr" && /\b(ERROR|"level":"error")/.test(line)) slot.lastError = line;
        // stdout is a plugin's print, not the bot's log: say so; a bad control line is a warning.
        if (stream === "control") this.#badControlLine(slot, line);
        else forward(childLine(slot.name, line, stream, this.#deps.format ?? "text", () => new Date(this.#clock.now())));
      },
      exit: (code, signal, error) => {
        if (error) {
          slot.lastError = error;
          log.error(`bot '${slot.name}': ${error}`);
        }
        if (slot.child === child) this.#onExit(slot, code, signal);
      },
    });
    slot.child = child;
    log.info(`bot '${slot.name}' started`, { pid: child.pid });
  }

  #onMessage(from: Slot, m: ToSupervisor): void {
    if (m.type === "metrics") return this.#deps.onMetrics?.(from.name, m.snapshot);
    // A bot that syncs in a loop (or a plugin forging messages on fd 3) must not keep every other bot rebuilding.
    from.lastSync = m;
    if (from.pendingSyncs++ > 0) return;
    const relay = () => {
      const last = from.lastSync!;
      const coalesced = from.pendingSyncs - 1;
      from.pendingSyncs = 0;
      from.lastRelay = this.#clock.now();
      this.#deps.log.info(`bot '${from.name}' synced the task files; telling the other bots`, {
        added: last.added,
        changed: last.changed,
        retired: last.retired,
        errors: last.errors,
        ...(coalesced > 0 ? { coalesced } : {}),
      });
      this.broadcast({ type: "rebuild" }, from.name);
    };
    const wait = from.lastRelay + RELAY_INTERVAL_MS - this.#clock.now();
    if (wait <= 0) relay();
    else this.#clock.after(wait, relay);
  }

  #badControlLine(slot: Slot, line: string): void {
    const n = ++slot.badLines;
    if (n <= BAD_LINES_LOGGED || n % 1000 === 0) {
      this.#deps.log.warn(`bot '${slot.name}' sent a malformed control message; ignored`, { line: line.slice(0, 200), count: n });
    }
  }

  #onExit(slot: Slot, code: number | null, signal: string | null): void {
    const { log } = this.#deps;
    slot.child = null;
    this.#deps.onMetrics?.(slot.name, undefined);
    for (const resolve of slot.exitWaiters.splice(0)) resolve();
    if (this.#stopping) {
      log.info(`bot '${slot.name}' stopped`, { code, signal });
      if ([...this.#slots.values()].every((s) => s.child === null)) this.#resolveDone(0);
      return;
    }
    if (!slot.leased) {
      log.info(`bot '${slot.name}' stopped: this host no longer holds its lease`, { code, signal });
      return;
    }
    const decision = slot.policy.exited();
    if (!decision.restart) {
      slot.givenUp = true;
      slot.leased = false;
      log.error(`bot '${slot.name}' crashed ${decision.crashes} times in ${CRASH_WINDOW_MS / 1000} s; giving up on it (the other bots go on)`, {
        code,
        signal,
        lastError: slot.lastError || undefined,
      });
      this.#deps.onGiveUp?.(slot.name);
      return;
    }
    log.warn(`bot '${slot.name}' ${code === 0 ? "exited" : "crashed"}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s`, { code, signal });
    slot.cancelRestart = this.#clock.after(decision.delayMs, () => {
      slot.cancelRestart = undefined;
      if (this.#stopping || !slot.leased) return;
      slot.restarts++;
      this.#spawn(slot);
    });
  }

  #cancelRestartOf(slot: Slot): void {
    slot.cancelRestart?.();
    slot.cancelRestart = undefined;
  }
}
