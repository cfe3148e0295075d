// The bot's queue of due times: a binary min-heap ordered by (due, order), so
// tasks due at the same instant pop in declaration order. Replacing or removing
// a key is O(log n) via lazy deletion: stale heap entries are skipped on pop.

export interface QueueEntry<T> {
  key: string;
  due: number;
  order: number;
  value: T;
}

interface Slot<T> extends QueueEntry<T> {
  seq: number;
  popped: boolean;
}

export class TaskQueue<T> {
  #heap: Slot<T>[] = [];
  #live = new Map<string, Slot<T>>();
  #seq = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds or replaces the entry for `key`. */
  push(key: string, due: number, order: number, value: T): void {
    const slot: Slot<T> = { key, due, order, value, seq: this.#seq++, popped: false };
    const prev = this.#live.get(key);
    if (!prev || prev.popped) this.#size++;
    this.#live.set(key, slot);
    this.#heap.push(slot);
    this.#up(this.#heap.length - 1);
    // Many replacements leave many dead slots: compact when they dominate.
    if (this.#heap.length > 64 && this.#heap.length > 2 * this.#size) this.#rebuild();
  }

  /** Takes a key off the queue (a task cancelled or paused); false if it was not queued. */
  remove(key: string): boolean {
    const s = this.#live.get(key);
    if (!s || s.popped) return false;
    this.#size--;
    return this.#live.delete(key);
  }

  get(key: string): QueueEntry<T> | undefined {
    const s = this.#live.get(key);
    return s && !s.popped ? s : undefined;
  }

  /** The earliest live entry, without removing it. */
  peek(): QueueEntry<T> | undefined {
    this.#dropStale();
    return this.#heap[0];
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue(now: number): QueueEntry<T> | undefined {
    const top = this.peek();
    if (!top || top.due > now) return undefined;
    this.#popTop();
    // Marked, not deleted: delete-then-set of one key leaves tombstones in the
    // key's hash chain (JSC and V8 alike) until the Map rehashes.
    (top as Slot<T>).popped = true;
    this.#size--;
    if (this.#live.size > 64 && this.#live.size > 2 * this.#size) this.#rebuild();
    return top;
  }

  clear(): void {
    this.#heap = [];
    this.#live = new Map();
    this.#size = 0;
  }

  #dropStale(): void {
    while (this.#heap.length > 0 && (this.#heap[0]!.popped || this.#live.get(this.#heap[0]!.key) !== this.#heap[0])) this.#popTop();
  }

  #popTop(): void {
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
  }

  #rebuild(): void {
    this.#heap = [...this.#live.values()].filter((s) => !s.popped);
    this.#live = new Map(this.#heap.map((s) => [s.key, s]));
    for (let i = (this.#heap.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #up(i: number): void {
    const h = this.#heap;
    const item = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(h[parent]!, item) <= 0) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = item;
  }

  #down(i: number): void {
    const h = this.#heap;
    const n = h.length;
    const item = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && compare(h[child + 1]!, h[child]!) < 0) child++;
      if (compare(h[child]!, item) >= 0) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = item;
  }
}

function compare(a: { due: number; order: number; seq?: number }, b: { due: number; order: number; seq?: number }): number {
  return a.due - b.due || a.order - b.order || (a.seq ?? 0) - (b.seq ?? 0);
}
