// When a bot child that exited comes back: exponential backoff with jitter,
// reset once the child has stayed up a while, and a crash loop (too many
// exits in a window) given up on. Pure apart from the injected clock.

export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;
/** A child that stayed up this long is healthy again: its backoff resets. */
export const STABLE_AFTER_MS = 60_000;
/** Crashes within CRASH_WINDOW_MS after which a bot is given up on. */
export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 120_000;

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; crashes: number };

export class RestartPolicy {
  #crashes: number[] = [];
  #backoff = BACKOFF_START_MS;
  #startedAt = 0;

  constructor(
    private readonly now: () => number,
    /** In [0, 1): spreads restarts so bots that crashed together do not return together. */
    private readonly random: () => number = Math.random,
  ) {}

  started(): void {
    this.#startedAt = this.now();
  }

  /** A fresh start (the lease came back, or an operator asked): forget past crashes. */
  reset(): void {
    this.#crashes = [];
    this.#backoff = BACKOFF_START_MS;
  }

  /** The child exited unasked: restart after `delayMs`, or give up on a crash loop. */
  exited(): RestartDecision {
    const now = this.now();
    if (now - this.#startedAt > STABLE_AFTER_MS) this.#backoff = BACKOFF_START_MS;
    this.#crashes = [...this.#crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.#crashes.length >= CRASH_LIMIT) return { restart: false, crashes: this.#crashes.length };
    const delayMs = Math.round(this.#backoff * (0.8 + this.random() * 0.4));
    this.#backoff = Math.min(this.#backoff * 2, BACKOFF_MAX_MS);
    return { restart: true, delayMs };
  }
}
