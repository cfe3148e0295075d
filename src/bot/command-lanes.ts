// One lane per user: a user's commands run one after another, in the order
// they arrived, so `!in 3s x` then `!tasks mine` lists the new task, and a
// `!cancel` typed after `!pause` sees the pause. Different users' commands
// still run side by side (one slow `!run` holds up only its user).

/** How long a command waits for the one before it: a command that never ends (a plugin bug, a hung store) must not silence its user for good. */
export const LANE_WAIT_MS = 30_000;

export class CommandLanes {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waitMs: number;

  constructor(waitMs = LANE_WAIT_MS) {
    this.#waitMs = waitMs;
  }

  /** Runs `work` after every earlier piece of work of `key` has settled (or waitMs passed); settles as it does (its error is the caller's). */
  run(key: string, work: () => Promise<void>): Promise<void> {
    const before = this.#tails.get(key);
    const result = (before ? this.#bounded(before) : Promise.resolve()).then(work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    // The last in a lane removes it, so idle users cost nothing.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Users with work queued or running (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }

  #bounded(before: Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#waitMs)));
    return Promise.race([before, late]).finally(() => clearTimeout(timer));
  }
}
