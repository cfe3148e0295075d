// Outgoing lines go through one token bucket so a burst of task output never
// gets the bot disconnected for flooding: `burst` lines may leave back to
// back, then `rate` lines per second. Three lanes share the bucket, each
// bounded at all times (drops are logged), served strictly in this order:
//
// - control: lines that belong to the current connection (JOINs after
//   registration, WHO/WHOIS, NICK regain). Discarded on disconnect because
//   the next registration redoes them.
// - outbox: what the bot was asked to say (tasks, modules). Kept across
//   disconnects and released only once channels are rejoined, so channel
//   messages are not lost to "cannot send to channel"; oldest dropped beyond
//   `outboxLimit`.
// - replies: answers to users (commands, CTCP). Never delay task output: they
//   leave only when the outbox is empty. Beyond `replyLimit` new replies are
//   refused, so users can never grow the queue.
//
// Recommended FloodConfig defaults: burst 5, rate 1 line/s. ngIRCd handles at
// most ~3 commands per second per client (then a 1 s penalty, no disconnect);
// solanum/charybdis (Libera) allow a burst of 5 and then 2 lines/s before the
// 20-line receive queue overflows into "Excess Flood"; Limnoria's default
// throttle is 1 s per line, irssi's 2.2 s after a burst of 5. One line per
// second stays at or below half of what those servers sustain.
import type { FloodConfig } from "./connection-config.ts";
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
 * - open: all lanes go out, control first, replies last.
 */
export type QueueMode = "offline" | "control" | "open";

/** Control lines kept at most (a few per channel at each registration). */
const CONTROL_LIMIT = 200;
/** Drop warnings are logged at most this often; counts in between are summed. */
const DROP_LOG_MS = 10_000;

export interface SendQueueOptions {
  flood: FloodConfig;
  outboxLimit: number;
  /** Reply lines queued at most (default 100). */
  replyLimit?: number;
  /** Writes one line; returns false when it could not (the line is kept and retried). */
  write: (line: string) => boolean;
  logger: Logger;
  clock?: QueueClock;
}

type Lane = "control" | "outbox" | "replies";

export class SendQueue {
  #control: string[] = [];
  #outbox: string[] = [];
  #replies: string[] = [];
  #mode: QueueMode = "offline";
  #tokens: number;
  #last: number;
  #timer: unknown = null;
  #dropped = 0;
  #unlogged: Record<Lane, number> = { control: 0, outbox: 0, replies: 0 };
  #lastDropLog = -Infinity;
  #idleWaiters: (() => void)[] = [];
  readonly #burst: number;
  readonly #rate: number;
  readonly #limit: number;
  readonly #replyLimit: number;
  readonly #write: (line: string) => boolean;
  readonly #log: Logger;
  readonly #clock: QueueClock;

  constructor(opts: SendQueueOptions) {
    // A zero or negative setting would stall the queue for ever.
    this.#burst = Math.max(1, Math.floor(opts.flood.burst));
    this.#rate = opts.flood.rate > 0 ? opts.flood.rate : 0.5;
    this.#limit = Math.max(0, Math.floor(opts.outboxLimit));
    this.#replyLimit = Math.max(0, Math.floor(opts.replyLimit ?? 100));
    this.#write = opts.write;
    this.#log = opts.logger;
    this.#clock = opts.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  get mode(): QueueMode {
    return this.#mode;
  }

  /** Lines waiting in all lanes. */
  get size(): number {
    return this.#control.length + this.#outbox.length + this.#replies.length;
  }

  get outboxSize(): number {
    return this.#outbox.length;
  }

  get controlSize(): number {
    return this.#control.length;
  }

  get replySize(): number {
    return this.#replies.length;
  }

  /** Lines dropped so far because a lane was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues a line the bot was asked to say; kept while disconnected. */
  enqueue(line: string): void {
    this.#outbox.push(line);
    const excess = this.#outbox.length - this.#limit;
    if (excess > 0) {
      this.#outbox.splice(0, excess);
      this.#drop("outbox", excess);
    }
    this.#pump();
  }

  /** Queues a reply to a user behind all task output; false (and a drop) when the reply lane is full. */
  enqueueReply(line: string): boolean {
    if (this.#replies.length >= this.#replyLimit) {
      this.#drop("replies", 1);
      return false;
    }
    this.#replies.push(line);
    this.#pump();
    return true;
  }

  /** Queues a line that only makes sense on the current connection. */
  enqueueControl(line: string): void {
    if (this.#mode === "offline") return;
    if (this.#control.length >= CONTROL_LIMIT) {
      this.#drop("control", 1);
      return;
    }
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
    this.#replies = [];
    this.#cancelTimer();
    this.#checkIdle();
  }

  #drop(lane: Lane, n: number): void {
    this.#dropped += n;
    this.#unlogged[lane] += n;
    const now = this.#clock.now();
    if (now - this.#lastDropLog < DROP_LOG_MS) return;
    this.#lastDropLog = now;
    const droppedNow = this.#unlogged;
    this.#unlogged = { control: 0, outbox: 0, replies: 0 };
    this.#log.warn("send queue full: dropped lines", {
      ...droppedNow,
      droppedTotal: this.#dropped,
      limits: `outbox ${this.#limit}, replies ${this.#replyLimit}, control ${CONTROL_LIMIT}`,
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
    if (this.#mode !== "open") return null;
    if (this.#outbox.length > 0) return this.#outbox;
    if (this.#replies.length > 0) return this.#replies;
    return null;
  }

  #pump(): void {
    if (this.#timer !== null) return; // a wake-up is already due
    this.#refill();
    for (let lane = this.#next(); lane; lane = this.#next()) {
      // Float error must not leave us a hair short of a token for ever.
      if (this.#tokens < 1 - 1e-9) {
        const waitMs = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
        this.#wake(waitMs);
        return;
      }
      const line = lane[0]!;
      if (!this.#write(line)) {
        // The socket is going away; the disconnect will switch us offline.
        this.#wake(250);
        return;
      }
      lane.shift();
      this.#tokens -= 1;
    }
    this.#checkIdle();
  }

  #wake(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, ms);
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #checkIdle(): void {
    if (this.size > 0) return;
    if (this.#dropped > 0 && Object.values(this.#unlogged).some((n) => n > 0)) {
      // Drops since the last warning would otherwise go unreported.
      this.#lastDropLog = -Infinity;
      this.#drop("outbox", 0);
    }
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
