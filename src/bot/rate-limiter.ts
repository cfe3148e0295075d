// Per-user limits on what the bot does for users, keyed by who they are
// (services account, else host) rather than by nick, so a nick change does
// not reset them. Three budgets, all token buckets:
//
// - commands: how many commands a user may run (burst 5, then one per 2 s);
// - reply lines: how many lines the bot sends them (`[replies]` burst and
//   per_minute), counted by lines sent, so `!tasks` costs what it prints;
// - automatic notices (unknown command in private, refusals): one a minute.
import type { ReplyLimits } from "../irc/connection-config.ts";
import type { Sender } from "../irc/transport.ts";
import { TokenBuckets } from "../irc/token-bucket.ts";

/** The key a user's budgets are kept under. */
export function userKey(sender: Sender, fold: (s: string) => string): string {
  return sender.account ? `account:${fold(sender.account)}` : `host:${sender.hostname.toLowerCase()}`;
}

export class RateLimiter {
  readonly #buckets: TokenBuckets;

  constructor(burst = 5, perSecond = 0.5, now: () => number = Date.now) {
    this.#buckets = new TokenBuckets({ burst, perSecond, now });
  }

  /** "ok", "limited" (first refusal: tell the user), or "silent" (already told). */
  take(who: string): "ok" | "limited" | "silent" {
    if (this.#buckets.take(who) === 1) return "ok";
    return this.#buckets.firstRefusal(who) ? "limited" : "silent";
  }
}

/** Reply lines per user: `burst` at once, then `perMinute`. */
export class ReplyBudget {
  readonly limits: Pick<ReplyLimits, "burst" | "perMinute">;
  readonly #buckets: TokenBuckets;

  constructor(limits: Pick<ReplyLimits, "burst" | "perMinute">, now: () => number = Date.now) {
    this.limits = limits;
    this.#buckets = new TokenBuckets({ burst: limits.burst, perSecond: limits.perMinute / 60, now });
  }

  available(key: string): number {
    return this.#buckets.available(key);
  }

  spend(key: string, lines: number): void {
    this.#buckets.take(key, lines);
  }

  /** True once per spell of an empty budget: the moment to tell the user. */
  firstRefusal(key: string): boolean {
    return this.#buckets.firstRefusal(key);
  }

  secondsUntilLine(key: string): number {
    return Math.ceil(this.#buckets.msUntilToken(key) / 1000);
  }

  /** "12 lines at once, then 20 a minute" */
  describe(): string {
    return `${this.limits.burst} lines at once, then ${this.limits.perMinute} a minute`;
  }
}
