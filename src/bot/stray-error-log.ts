// What a bot does with an error nobody caught (a plugin's forgotten promise, a
// throw in its timer): log it with its stack and the module it most likely
// came from, and go on. A plugin throwing in a tight loop must not flood the
// log: at most LOG_BUDGET reports per minute, then one line saying how many
// were left out.
import type { Logger } from "../log/logger.ts";
import type { StrayKind } from "../platform/stray-errors.ts";

export const LOG_BUDGET = 10;
const WINDOW_MS = 60_000;

export class StrayErrorLog {
  #windowStart = -Infinity;
  #logged = 0;
  #dropped = 0;
  /** Every stray error seen, logged or not. */
  count = 0;

  constructor(
    private readonly log: Logger,
    /** The module whose file shows up in the stack, if any. */
    private readonly blame: (stack: string) => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  report(error: unknown, kind: StrayKind): void {
    this.count++;
    const now = this.now();
    if (now - this.#windowStart >= WINDOW_MS) {
      if (this.#dropped > 0) this.log.warn(`${this.#dropped} more stray error(s) in the last minute were not logged`);
      this.#windowStart = now;
      this.#logged = 0;
      this.#dropped = 0;
    }
    if (this.#logged >= LOG_BUDGET) {
      this.#dropped++;
      return;
    }
    this.#logged++;
    const module = error instanceof Error && error.stack ? this.blame(error.stack) : undefined;
    const from = module ? ` from module '${module}'` : "";
    this.log.error(`${kind}${from}; the bot keeps running`, { error: error instanceof Error ? error : new Error(String(error)) });
  }
}
