// One host's part in a fleet of `seshet run` processes sharing a PostgreSQL
// store: every poll it reads the leases, renews its own every lease/3, takes
// free bots up to its fair share, gives back surplus ones, and tells the
// supervisor which bots to start and stop (see bot-leases.ts for the rule).
// It also polls the store version, so a sync on another host makes the bots
// here rebuild their queues.
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import type { Logger } from "../log/logger.ts";
import { storeKindOf } from "../store/store-kind.ts";
import type { StoreDatabase } from "../store/store-schema.ts";
import {
  acquireLease,
  announceHost,
  decideLeases,
  DEFAULT_LEASE_MS,
  leaveFleet,
  liveHosts,
  readLeases,
  releaseLease,
  renewLease,
} from "./bot-leases.ts";

/** How often a host looks at the leases and the store version. */
export const DEFAULT_POLL_MS = 1000;

export interface FleetSettings {
  /** This host's name in `hosts` and `bot_leases`; unique per running supervisor. */
  host: string;
  leaseMs: number;
  pollMs: number;
}

/**
 * Fleet mode is on when the store is PostgreSQL. SESHET_HOST names the host
 * (default hostname/pid); SESHET_LEASE_MS changes the lease (default 15 s).
 */
export function fleetSettings(db: string, env: Record<string, string | undefined>): FleetSettings | undefined {
  if (storeKindOf(db) !== "postgres") return undefined;
  const leaseMs = Number(env.SESHET_LEASE_MS ?? DEFAULT_LEASE_MS);
  if (!Number.isFinite(leaseMs) || leaseMs < 1000) throw new Error(`SESHET_LEASE_MS must be at least 1000 (ms), not '${env.SESHET_LEASE_MS}'`);
  const host = env.SESHET_HOST || `${hostname()}/${process.pid}`;
  return { host, leaseMs, pollMs: Math.min(DEFAULT_POLL_MS, Math.floor(leaseMs / 3)) };
}

/** How long a host leaves a bot it gave up on (crash loop) to the other hosts. */
export const GIVE_UP_COOLDOWN_MS = 10 * 60_000;

export interface FleetHooks {
  /** This host now holds the bot's lease: start its process. */
  start(bot: string): void;
  /** Stop the bot's process (lease lost or given back); resolves once it exited. */
  stop(bot: string, why: string): Promise<void>;
  /** Another host changed the tasks: every bot here rebuilds its queue. */
  rebuild(): void;
}

/** What the fleet needs of the store (a KyselyTaskStore has it). */
export interface FleetStore {
  db: Kysely<StoreDatabase>;
  dialect: { now(db: Kysely<StoreDatabase>): Promise<number> };
  version(): Promise<number>;
}

export class FleetMember {
  readonly #store: FleetStore;
  readonly #settings: FleetSettings;
  readonly #bots: string[];
  readonly #hooks: FleetHooks;
  readonly #log: Logger;
  readonly #held = new Set<string>();
  readonly #releasing = new Set<string>();
  /** Bots given up on here (crash loop), with the time (performance.now()) until which they are left to other hosts. */
  readonly #avoid = new Map<string, number>();
  #lastRenew = -Infinity;
  /** performance.now() of the last successful renewal: if the store is unreachable for a lease, stop every bot. */
  #lastRenewLocal = performance.now();
  #version: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fence: ReturnType<typeof setInterval> | undefined;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(store: FleetStore, settings: FleetSettings, bots: string[], hooks: FleetHooks, log: Logger) {
    this.#store = store;
    this.#settings = settings;
    this.#bots = [...bots];
    this.#hooks = hooks;
    this.#log = log;
  }

  /** Bots whose lease this host holds (running, or being given back). */
  held(): string[] {
    return [...this.#held].sort();
  }

  start(): void {
    this.#log.info(`fleet: host '${this.#settings.host}' joins (lease ${this.#settings.leaseMs / 1000} s, ${this.#bots.length} bot(s) defined)`);
    this.#schedule(0);
    // Apart from the poll, which may hang on a dead connection.
    this.#fence = setInterval(() => this.#checkFence(), this.#settings.pollMs);
  }

  /** Stops polling and releases every lease; call after this host's bots have stopped. */
  async leave(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#fence);
    // A poll stuck on a dead connection must not hold up the shutdown.
    await within(this.#tick, this.#settings.leaseMs / 3);
    try {
      const left = await within(leaveFleet(this.#store.db, this.#settings.host).then(() => true), this.#settings.leaseMs / 3);
      if (!left) throw new Error("the store did not answer");
      this.#log.info(`fleet: host '${this.#settings.host}' left; its bots are free for the other hosts`);
    } catch (error) {
      this.#log.warn("fleet: could not release the leases; they expire on their own", { error });
    }
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#poll().finally(() => this.#schedule(this.#settings.pollMs));
    }, ms);
  }

  async #poll(): Promise<void> {
    try {
      await this.#step();
    } catch (error) {
      this.#log.warn("fleet: store unreachable", { error, sinceRenewMs: Math.round(performance.now() - this.#lastRenewLocal) });
    }
  }

  /**
   * Without a renewal for most of the lease time our leases are about to
   * expire and other hosts will take the bots: stop them here first rather
   * than run them twice. (Measured on the local clock: the store's is out of reach.)
   */
  #checkFence(): void {
    if (this.#held.size === 0 || performance.now() - this.#lastRenewLocal <= this.#settings.leaseMs * 0.6) return;
    for (const bot of [...this.#held]) this.#lose(bot, "store unreachable for most of the lease time");
  }

  async #step(): Promise<void> {
    const { db } = this.#store;
    const { host, leaseMs } = this.#settings;
    const asked = performance.now();
    let now = await this.#store.dialect.now(db);
    if (now - this.#lastRenew >= leaseMs / 3) {
      await announceHost(db, host, now);
      for (const bot of [...this.#held]) {
        if (!(await renewLease(db, bot, host, now, leaseMs))) this.#lose(bot, "lease lost to another host");
      }
      this.#lastRenew = now;
      this.#lastRenewLocal = asked;
    }
    if (this.#stopped) return;

    const [leases, hosts] = await Promise.all([readLeases(db), liveHosts(db, now, leaseMs)]);
    const hostsAlive = new Set([...hosts, host]).size;
    for (const [bot, until] of this.#avoid) if (performance.now() >= until) this.#avoid.delete(bot);
    const avoid = new Set(this.#avoid.keys());
    const decision = decideLeases({ self: host, bots: this.#bots, leases, hostsAlive, now, releasing: this.#releasing, avoid });

    for (const bot of decision.keep) {
      // A lease of ours this process does not run (left by an earlier run under the same SESHET_HOST).
      if (!this.#held.has(bot)) this.#take(bot, "lease already held by this host name");
    }
    for (const bot of decision.release) void this.#giveBack(bot, hostsAlive);
    now = await this.#store.dialect.now(db);
    for (const bot of decision.acquire) {
      if (this.#stopped) return;
      if (await acquireLease(db, bot, host, now, leaseMs)) this.#take(bot, "free");
    }

    const version = await this.#store.version();
    if (this.#version !== undefined && version !== this.#version) {
      this.#log.info("fleet: the tasks changed in the store; bots rebuild their queues");
      this.#hooks.rebuild();
    }
    this.#version = version;
  }

  /**
   * The supervisor gave up on a crash-looping bot: release its lease so that
   * another host may try (its files or environment may differ), and leave it
   * alone here for `forMs`.
   */
  async giveUp(bot: string, forMs = GIVE_UP_COOLDOWN_MS): Promise<void> {
    this.#avoid.set(bot, performance.now() + forMs);
    if (!this.#held.delete(bot)) return;
    this.#log.warn(`fleet: host '${this.#settings.host}' gave up on bot '${bot}'; releasing it for the other hosts`);
    try {
      await releaseLease(this.#store.db, bot, this.#settings.host);
    } catch (error) {
      this.#log.warn(`fleet: could not release '${bot}'; its lease expires on its own`, { error });
    }
  }

  #take(bot: string, why: string): void {
    this.#held.add(bot);
    this.#log.info(`fleet: host '${this.#settings.host}' takes bot '${bot}' (${why})`);
    this.#hooks.start(bot);
  }

  #lose(bot: string, why: string): void {
    if (!this.#held.delete(bot)) return;
    this.#log.warn(`fleet: bot '${bot}' stops here: ${why}`);
    void this.#hooks.stop(bot, why).catch((error) => this.#log.error(`fleet: stopping '${bot}' failed`, { error }));
  }

  /** Stops the bot, then releases its lease (renewed meanwhile) so it is never live on two hosts. */
  async #giveBack(bot: string, hostsAlive: number): Promise<void> {
    if (this.#releasing.has(bot)) return;
    this.#releasing.add(bot);
    try {
      if (this.#held.has(bot)) {
        this.#log.info(`fleet: giving bot '${bot}' back to share the bots among ${hostsAlive} host(s)`);
        await this.#hooks.stop(bot, "given back to another host");
      }
      if (!this.#stopped) await releaseLease(this.#store.db, bot, this.#settings.host);
      this.#held.delete(bot);
    } catch (error) {
      this.#log.warn(`fleet: could not release '${bot}'; its lease expires on its own`, { error });
    } finally {
      this.#releasing.delete(bot);
    }
  }
}

/** `work`'s result, or undefined once `ms` passed. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
