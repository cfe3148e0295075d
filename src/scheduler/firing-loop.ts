// The timing half of firing tasks, apart from what a task is and how it is
// stored: wake a little before the earliest due time (DueTimer), hand each
// entry due within the claim lead to `run` (which claims it in the store and
// waits with `waitUntil` for the exact instant), then re-arm. An entry whose
// run throws (the store is locked, full or restarting) stays queued and is
// tried again after a growing pause, so a store error never loses a task.
import { DueTimer } from "./due-timer.ts";
import type { Clock } from "./clock.ts";
import { TaskQueue, type QueueEntry } from "./task-queue.ts";

/**
 * An occurrence is claimed this long before it is due, so the store's commit
 * is not on the path from the due instant to the wire.
 */
export const CLAIM_LEAD_MS = 25;
/** Pauses before trying a failed entry again: doubling from the first to the last. */
export const RETRY_FIRST_MS = 250;
export const RETRY_MAX_MS = 30_000;

export interface FiringLoopDeps<T> {
  clock: Clock;
  /** While false nothing is taken off the queue (the bot is between connections). */
  canFire?: () => boolean;
  /** Fires one entry; `attempt` counts earlier tries that threw (0 on the first). */
  run: (entry: QueueEntry<T>, now: number, attempt: number) => Promise<void>;
  /** `entry` threw and goes back on the queue for another try in `delayMs`. */
  onRetry: (entry: QueueEntry<T>, error: unknown, attempt: number, delayMs: number) => void;
}

export class FiringLoop<T> {
  readonly queue = new TaskQueue<T>();
  readonly #deps: FiringLoopDeps<T>;
  readonly #timer: DueTimer;
  /** Failed tries per key, until one succeeds. */
  readonly #attempts = new Map<string, number>();
  #busy: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deps: FiringLoopDeps<T>) {
    this.#deps = deps;
    this.#timer = new DueTimer(() => void this.wake(), deps.clock);
  }

  /** Fires what is due, then sleeps until a little before the next due time (not at all while firing cannot happen). */
  async wake(): Promise<void> {
    if (this.#stopped) return;
    await this.fireDue();
    if (this.#stopped) return;
    if (this.#deps.canFire?.() ?? true) this.#timer.arm(this.nextWake());
    else this.#timer.cancel();
  }

  /** Earliest due time in the queue (for a retried entry: when it is tried next). */
  nextDue(): number | undefined {
    return this.queue.peek()?.due;
  }

  /** When the timer should wake: a little before the earliest due time, to claim it. */
  nextWake(): number | undefined {
    const due = this.nextDue();
    return due === undefined ? undefined : due - CLAIM_LEAD_MS;
  }

  /** Re-arms after the queue changed from outside (a task added). */
  rearm(): void {
    if (!this.#stopped && (this.#deps.canFire?.() ?? true)) this.#timer.arm(this.nextWake());
  }

  /** Fires everything due now (claiming what is due within CLAIM_LEAD_MS), in due then declaration order. */
  fireDue(): Promise<void> {
    return this.serial(async () => {
      while (this.#deps.canFire?.() ?? true) {
        const now = this.#deps.clock.now();
        const entry = this.queue.popDue(now + CLAIM_LEAD_MS);
        if (!entry) return;
        const attempt = this.#attempts.get(entry.key) ?? 0;
        try {
          await this.#deps.run(entry, now, attempt);
          this.#attempts.delete(entry.key);
        } catch (error) {
          this.#retry(entry, error, attempt);
        }
      }
    });
  }

  /** Empties the queue (before a rebuild); pending retries are forgotten with it. */
  clear(): void {
    this.queue.clear();
    this.#attempts.clear();
  }

  /** Stops waking; what is running finishes. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#timer.cancel();
    return this.#busy;
  }

  /** Runs `work` after everything queued before it, so the queue is never changed mid-fire. */
  serial(work: () => Promise<void>): Promise<void> {
    const run = this.#busy.then(work, work);
    this.#busy = run.catch(() => {});
    return run;
  }

  #retry(entry: QueueEntry<T>, error: unknown, attempt: number): void {
    const delayMs = retryDelay(attempt);
    this.#attempts.set(entry.key, attempt + 1);
    // Keyed by when to try again; the entry's own due time travels in its value.
    this.queue.push(entry.key, this.#deps.clock.now() + delayMs, entry.order, entry.value);
    this.#deps.onRetry(entry, error, attempt + 1, delayMs);
  }
}

/** The pause before try `attempt + 1`: 250 ms, 500 ms, 1 s, … up to 30 s. */
export function retryDelay(attempt: number): number {
  return Math.min(RETRY_FIRST_MS * 2 ** Math.min(attempt, 20), RETRY_MAX_MS);
}

/** Runs `work`, and again after 250 ms, 500 ms, … while it throws, `tries` times in all; throws the last error. */
export async function withRetries<T>(work: () => Promise<T>, clock: Clock, tries: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt + 1 >= tries) throw error;
      await new Promise<void>((resolve) => clock.after(retryDelay(attempt), resolve));
    }
  }
}

/**
 * Resolves at `at`, never before: a timer for all but the last couple of
 * milliseconds (timers fire late, not early), then a short spin, so the
 * occurrence goes out within a millisecond of its due time.
 */
export async function waitUntil(at: number, now: () => number): Promise<void> {
  const SPIN_MS = 2;
  while (now() < at) {
    const left = at - now();
    if (left > SPIN_MS) {
      await new Promise((r) => setTimeout(r, left - SPIN_MS));
      continue;
    }
    // Spin for at most SPIN_MS of real time, then yield (the clock may be a test's).
    const until = performance.now() + SPIN_MS;
    while (now() < at && performance.now() < until) {
      // spin
    }
    if (now() < at) await new Promise((r) => setTimeout(r, 1));
  }
}
