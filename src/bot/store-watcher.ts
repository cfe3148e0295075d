// Notices a sync made by another process (`seshet sync`, another bot's
// `!reloadtasks`, another host) within a poll: the store's version moves with
// every sync that changed something. On SQLite a poll is one `PRAGMA
// data_version` unless another connection committed, so polling often is cheap.

/** How often a bot asks the store whether its tasks changed. */
export const STORE_POLL_MS = 500;

export interface StoreWatcherDeps {
  version: () => Promise<number>;
  /** The tasks changed: rebuild (the watcher already knows the version it saw). */
  changed: () => Promise<void>;
  /** A poll or the rebuild it started failed (store unreachable); reported once per streak of failures. */
  failed: (error: unknown) => void;
  pollMs?: number;
}

export class StoreWatcher {
  #version: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;
  #failing = false;

  constructor(private readonly deps: StoreWatcherDeps) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.poll(), this.deps.pollMs ?? STORE_POLL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Records the version the queue is now built from (after a rebuild for another reason), so it is not rebuilt twice. */
  async sync(): Promise<void> {
    try {
      this.#version = await this.deps.version();
    } catch {
      // the next poll tries again
    }
  }

  /** One poll: calls `changed` if the version moved since the last one seen. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const version = await this.deps.version();
      this.#failing = false;
      if (this.#version === undefined) this.#version = version;
      else if (version !== this.#version) {
        await this.deps.changed();
        this.#version = version; // only now: a rebuild that failed is tried again on the next poll
      }
    } catch (error) {
      if (!this.#failing) this.deps.failed(error);
      this.#failing = true;
    } finally {
      this.#polling = false;
    }
  }
}
