// Per-user token bucket for commands, so one user cannot make the bot flood
// a channel on their behalf. Buckets of idle users are forgotten.

export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number; warned: boolean }>();

  constructor(
    private readonly burst = 5,
    private readonly perSecond = 0.5,
    private readonly now: () => number = Date.now,
  ) {}

  /** "ok", "limited" (first refusal: tell the user), or "silent" (already told). */
  take(who: string): "ok" | "limited" | "silent" {
    const now = this.now();
    const b = this.#buckets.get(who) ?? { tokens: this.burst, at: now, warned: false };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.#buckets.set(who, b);
    if (this.#buckets.size > 10_000) this.#forgetIdle(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.warned = false;
      return "ok";
    }
    if (b.warned) return "silent";
    b.warned = true;
    return "limited";
  }

  #forgetIdle(now: number): void {
    const full = (this.burst / this.perSecond) * 1000;
    for (const [k, b] of this.#buckets) if (now - b.at > full) this.#buckets.delete(k);
  }
}
