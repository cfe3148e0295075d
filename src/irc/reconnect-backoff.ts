// When to try the server again after a connection ends. irc-framework's own
// reconnect gives up after a few tries and never retries a failed first
// connect, so the loop is ours; the delay grows so that a server that is down
// is not hammered, and shrinks again once a connection has proved stable.

export interface ReconnectOptions {
  minMs?: number;
  maxMs?: number;
  stableMs?: number;
}

export class ReconnectBackoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #stableMs: number;
  #attempt = 0;
  #registeredAt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: ReconnectOptions = {}) {
    this.#minMs = options.minMs ?? 1000;
    this.#maxMs = options.maxMs ?? 60_000;
    this.#stableMs = options.stableMs ?? 60_000;
  }

  /** Failed or short-lived connections since the last stable one. */
  get attempt(): number {
    return this.#attempt;
  }

  registered(): void {
    this.#registeredAt = Date.now();
  }

  /** Runs `reconnect` after the next delay and returns that delay. */
  schedule(wasRegistered: boolean, reconnect: () => void): number {
    if (wasRegistered && Date.now() - this.#registeredAt >= this.#stableMs) this.#attempt = 0;
    const delay = this.#delay();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      reconnect();
    }, delay);
    return delay;
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #delay(): number {
    const ceiling = Math.min(this.#maxMs, this.#minMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    // "Equal jitter": never less than half the step, so a restarted server is not hammered by every bot at once.
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
