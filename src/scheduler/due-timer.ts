// Wakes the bot at the earliest due time so a task fires within milliseconds
// rather than at the next tick. The delay is clamped: a long sleep would miss
// wall-clock jumps and suspend/resume, so we wake at least every MAX_SLEEP_MS
// and the caller re-checks `now >= due` itself.

export const MAX_SLEEP_MS = 30_000;

export class DueTimer {
  #handle: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;
  #onWake: () => void;
  #now: () => number;

  constructor(onWake: () => void, now: () => number = Date.now) {
    this.#onWake = onWake;
    this.#now = now;
  }

  /** Arms for `due` (epoch ms); a later call for an earlier time re-arms. */
  arm(due: number | undefined): void {
    if (due === undefined) return this.cancel();
    if (this.#handle !== undefined && due >= this.#armedFor) return;
    this.cancel();
    this.#armedFor = due;
    const delay = Math.min(Math.max(due - this.#now(), 0), MAX_SLEEP_MS);
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.#armedFor = Infinity;
      this.#onWake();
    }, delay);
  }

  cancel(): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#armedFor = Infinity;
  }
}
