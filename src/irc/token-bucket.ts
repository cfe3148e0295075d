// Keyed token buckets: `burst` tokens at most per key, refilled at `perSecond`.
// Pure arithmetic on a clock passed in; keys whose bucket is full again are
// forgotten when the map grows, so memory is bounded by recent senders.

export interface BucketOptions {
  burst: number;
  perSecond: number;
  now?: () => number;
  /** Keys kept before idle (full) buckets are swept; default 10 000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Set when a refusal was reported; cleared once tokens are taken again. */
  warned: boolean;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #burst: number;
  readonly #rate: number;
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(opts: BucketOptions) {
    this.#burst = Math.max(1, opts.burst);
    // A zero rate would never refill: treat it as the slowest sensible one.
    this.#rate = opts.perSecond > 0 ? opts.perSecond : 1 / 3600;
    this.#now = opts.now ?? Date.now;
    this.#maxKeys = opts.maxKeys ?? 10_000;
  }

  /** Keys remembered now. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Whole tokens `key` may spend now. */
  available(key: string): number {
    return Math.floor(this.#bucket(key).tokens + 1e-9);
  }

  /** Spends up to `n` tokens; returns how many were spent. */
  take(key: string, n = 1): number {
    const b = this.#bucket(key);
    const spent = Math.max(0, Math.min(n, Math.floor(b.tokens + 1e-9)));
    b.tokens -= spent;
    if (spent > 0) b.warned = false;
    return spent;
  }

  /** True the first time a refusal is reported for `key` since it last had tokens. */
  firstRefusal(key: string): boolean {
    const b = this.#bucket(key);
    if (b.warned) return false;
    b.warned = true;
    return true;
  }

  /** Milliseconds until `key` has one whole token again (0 if it has one). */
  msUntilToken(key: string): number {
    const b = this.#bucket(key);
    return b.tokens >= 1 - 1e-9 ? 0 : Math.ceil(((1 - b.tokens) / this.#rate) * 1000);
  }

  #bucket(key: string): Bucket {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= this.#maxKeys) this.#sweep(now);
      b = { tokens: this.#burst, at: now, warned: false };
      this.#buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(this.#burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.#rate);
    b.at = now;
    return b;
  }

  #sweep(now: number): void {
    const refillMs = (this.#burst / this.#rate) * 1000;
    for (const [k, b] of this.#buckets) if (now - b.at >= refillMs) this.#buckets.delete(k);
    // Still full of active keys: forget the oldest half rather than grow without bound.
    if (this.#buckets.size >= this.#maxKeys) {
      let drop = Math.ceil(this.#buckets.size / 2);
      for (const k of this.#buckets.keys()) {
        if (drop-- <= 0) break;
        this.#buckets.delete(k);
      }
    }
  }
}
