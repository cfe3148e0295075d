// Outgoing lines go through one token bucket so a burst of task output never
// gets the bot disconnected for flooding: `burst` lines may leave back to
// back, then `rate` lines per second. Two lanes share the bucket:
//
// - control: lines that belong to the current connection (JOINs after
//   registration, WHO, NICK regain, CTCP replies). Sent first; discarded on
//   disconnect because the next registration redoes them.
// - outbox: what the bot was asked to say. Kept across disconnects (bounded by
//   `outboxLimit`, oldest dropped) and released only once channels are
//   rejoined, so channel messages are not lost to "cannot send to channel".
//
// Recommended FloodConfig defaults: burst 5, rate 1 line/s. ngIRCd handles at
// most ~3 commands per second per client (then a 1 s penalty, no disconnect);
// solanum/charybdis (Libera) allow a burst of 5 and then 2 lines/s before the
// 20-line receive queue overflows into "Excess Flood"; Limnoria's default
// throttle is 1 s per line, irssi's 2.2 s after a burst of 5. One line per
// second stays at or below half of what those servers sustain.
import type { FloodConfig } from "../config/config-types.ts";
import type { Logger } from "./logger-types.ts";

export interface QueueClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: QueueClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * - offline: nothing is written; control lines are discarded.
 * - control: connected, only control lines go out (registration, rejoining).
 * - open: both lanes go out, control first.
 */
export type QueueMode = "offline" | "control" | "open";

export interface SendQueueOptions {
  flood: FloodConfig;
  outboxLimit: number;
  /** Writes one line; returns false when it could not (the line is kept and retried). */
  write: (line: string) => boolean;
  logger: Logger;
  clock?: QueueClock;
}

export class SendQueue {
  #control: string[] = [];
  #outbox: string[] = [];
  #mode: QueueMode = "offline";
  #tokens: number;
  #last: number;
  #timer: unknown = null;
  #dropped = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #burst: number;
  readonly #rate: number;
  readonly #limit: number;
  readonly #write: (line: string) => boolean;
  readonly #log: Logger;
  readonly #clock: QueueClock;

  constructor(opts: SendQueueOptions) {
    // A zero or negative setting would stall the queue for ever.
    this.#burst = Math.max(1, Math.floor(opts.flood.burst));
    this.#rate = opts.flood.rate > 0 ? opts.flood.rate : 0.5;
    this.#limit = Math.max(0, Math.floor(opts.outboxLimit));
    this.#write = opts.write;
    this.#log = opts.logger;
    this.#clock = opts.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  get mode(): QueueMode {
    return this.#mode;
  }

  /** Lines waiting in both lanes. */
  get size(): number {
    return this.#control.length + this.#outbox.length;
  }

  get outboxSize(): number {
    return this.#outbox.length;
  }

  get controlSize(): number {
    return this.#control.length;
  }

  /** Lines dropped from the outbox so far because of `outboxLimit`. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues a line the user asked for; kept while disconnected. */
  enqueue(line: string): void {
    this.#outbox.push(line);
    if (this.#mode === "offline") this.#trim();
    this.#pump();
  }

  /** Queues a line that only makes sense on the current connection. */
  enqueueControl(line: string): void {
    if (this.#mode === "offline") return;
    this.#control.push(line);
    this.#pump();
  }

  setMode(mode: QueueMode): void {
    if (mode === this.#mode) return;
    const wasOffline = this.#mode === "offline";
    this.#mode = mode;
    if (mode === "offline") {
      this.#control = [];
      this.#cancelTimer();
      this.#trim();
    } else if (wasOffline) {
      // A new connection: the server's flood counters start afresh too.
      this.#tokens = this.#burst;
      this.#last = this.#clock.now();
    }
    this.#pump();
    this.#checkIdle();
  }

  /** Resolves when nothing is left to send (immediately if already empty). */
  whenIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops everything queued and stops the timer (used on final shutdown). */
  clear(): void {
    this.#control = [];
    this.#outbox = [];
    this.#cancelTimer();
    this.#checkIdle();
  }

  #trim(): void {
    const excess = this.#outbox.length - this.#limit;
    if (excess <= 0) return;
    this.#outbox.splice(0, excess);
    this.#dropped += excess;
    this.#log.warn("outbox full while disconnected: dropped oldest messages", {
      droppedNow: excess,
      droppedTotal: this.#dropped,
      limit: this.#limit,
    });
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last) / 1000;
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
  }

  #next(): string[] | null {
    if (this.#mode === "offline") return null;
    if (this.#control.length > 0) return this.#control;
    if (this.#mode === "open" && this.#outbox.length > 0) return this.#outbox;
    return null;
  }

  #pump(): void {
    if (this.#timer !== null) return; // a wake-up is already due
    this.#refill();
    for (let lane = this.#next(); lane; lane = this.#next()) {
      // Float error must not leave us a hair short of a token for ever.
      if (this.#tokens < 1 - 1e-9) {
        const waitMs = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
        this.#timer = this.#clock.setTimeout(() => {
          this.#timer = null;
          this.#pump();
        }, waitMs);
        return;
      }
      const line = lane[0]!;
      if (!this.#write(line)) {
        // The socket is going away; the disconnect will switch us offline.
        this.#timer = this.#clock.setTimeout(() => {
          this.#timer = null;
          this.#pump();
        }, 250);
        return;
      }
      lane.shift();
      this.#tokens -= 1;
    }
    this.#checkIdle();
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #checkIdle(): void {
    if (this.size > 0 || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
