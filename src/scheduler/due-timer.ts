// Wakes the bot at the earliest due time so a task fires within milliseconds
// rather than at the next tick. The delay is clamped: a long sleep would miss
// wall-clock jumps and suspend/resume, so we wake at least every MAX_SLEEP_MS
// and the caller re-checks `now >= due` itself.
import { systemClock, type Clock } from "./clock.ts";

export const MAX_SLEEP_MS = 30_000;

export class DueTimer {
  #cancel: (() => void) | undefined;
  #armedFor = Infinity;
  readonly #onWake: () => void;
  readonly #clock: Clock;

  constructor(onWake: () => void, clock: Clock = systemClock) {
    this.#onWake = onWake;
    this.#clock = clock;
  }

  /** Arms for `due` (epoch ms); a later call for an earlier time re-arms, one for a later time keeps the earlier wake. */
  arm(due: number | undefined): void {
    if (due === undefined) return this.cancel();
    if (this.#cancel !== undefined && due >= this.#armedFor) return;
    this.cancel();
    this.#armedFor = due;
    const delay = Math.min(Math.max(due - this.#clock.now(), 0), MAX_SLEEP_MS);
    this.#cancel = this.#clock.after(delay, () => {
      this.#cancel = undefined;
      this.#armedFor = Infinity;
      this.#onWake();
    });
  }

  get armedFor(): number | undefined {
    return this.#cancel === undefined ? undefined : this.#armedFor;
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#armedFor = Infinity;
  }
}
