// One dispatcher per bot: IRC events and the synthetic BOT_TICK flow through it,
// so modules subscribe to both the same way. A handler that throws is isolated:
// the error is reported and the other handlers still run.

export type Handler<T = unknown> = (payload: T) => void | Promise<void>;

export interface HandlerError {
  event: string;
  owner: string;
  error: unknown;
}

export class EventDispatcher {
  #handlers = new Map<string, { owner: string; fn: Handler<any> }[]>();
  #onError: (e: HandlerError) => void;

  constructor(onError: (e: HandlerError) => void) {
    this.#onError = onError;
  }

  /** Subscribes; `owner` names the module so its handlers can be removed together. Returns an unsubscribe function. */
  on<T>(event: string, fn: Handler<T>, owner = "core"): () => void {
    const list = this.#handlers.get(event) ?? [];
    const entry = { owner, fn };
    list.push(entry);
    this.#handlers.set(event, list);
    return () => {
      const current = this.#handlers.get(event);
      if (current) this.#handlers.set(event, current.filter((h) => h !== entry));
    };
  }

  /** Removes every handler that `owner` added (used when a module is reloaded). */
  removeOwner(owner: string): void {
    for (const [event, list] of this.#handlers) {
      this.#handlers.set(event, list.filter((h) => h.owner !== owner));
    }
  }

  /** Runs every handler in subscription order; resolves when all have settled. */
  async emit<T>(event: string, payload: T): Promise<void> {
    const list = this.#handlers.get(event);
    if (!list || list.length === 0) return;
    // A copy: handlers may subscribe or unsubscribe while we run.
    for (const { owner, fn } of [...list]) {
      try {
        const result = fn(payload);
        if (result instanceof Promise) await result.catch((error) => this.#onError({ event, owner, error }));
      } catch (error) {
        this.#onError({ event, owner, error });
      }
    }
  }

  listenerCount(event: string): number {
    return this.#handlers.get(event)?.length ?? 0;
  }
}
