// What one bot counts for `seshet run --metrics`: connection state, runs by
// outcome, firing lag, reconnects, the send queue and each declared task's
// last success. The bot process keeps the counters; a snapshot goes to the
// supervisor over the control channel, which serves them (metrics-text.ts).
// Labels only ever carry bot names and names of tasks declared in task files:
// never message text, and never the names of tasks created at run time
// (a plugin or a chat command may build those from what users typed).
import { RUNTIME_ORIGIN } from "../store/store-types.ts";
import { LAG_BUCKETS_S, MAX_TASK_SERIES, type MetricsSnapshot, type RunOutcome } from "../supervisor/metrics-snapshot.ts";

export { LAG_BUCKETS_S, MAX_TASK_SERIES, RUN_OUTCOMES, type MetricsSnapshot, type RunOutcome } from "../supervisor/metrics-snapshot.ts";

/** The bot's live state, read when a snapshot is taken. */
export interface MetricsSource {
  readonly connected: boolean;
  readonly ready: boolean;
  readonly queued: number;
  readonly sendQueue: number;
  readonly sendDropped: number;
}

/** What the task runner tells about runs (TaskRunnerDeps.observer). */
export interface RunObserver {
  fired(task: { name: string }, lagMs: number): void;
  finished(task: { name: string }, outcome: RunOutcome, at: number, occurrences?: number): void;
}

export class BotMetrics implements RunObserver {
  #registrations = 0;
  #runs: Record<RunOutcome, number> = { ok: 0, error: 0, skipped: 0, unresolved: 0 };
  #lagCounts: number[] = LAG_BUCKETS_S.map(() => 0);
  #lagCount = 0;
  #lagSum = 0;
  /** Insertion order is recency: a success moves the task to the end. */
  #lastSuccess = new Map<string, number>();

  constructor(private readonly source: MetricsSource) {}

  registered(): void {
    this.#registrations++;
  }

  fired(_task: { name: string }, lagMs: number): void {
    const s = Math.max(0, lagMs) / 1000;
    this.#lagCount++;
    this.#lagSum += s;
    LAG_BUCKETS_S.forEach((le, i) => {
      if (s <= le) this.#lagCounts[i]!++;
    });
  }

  finished(task: { name: string; origin?: string }, outcome: RunOutcome, at: number, occurrences = 1): void {
    this.#runs[outcome] += occurrences;
    if (outcome !== "ok" || task.origin === undefined || task.origin === RUNTIME_ORIGIN) return;
    this.#lastSuccess.delete(task.name);
    this.#lastSuccess.set(task.name, Math.floor(at / 1000));
    if (this.#lastSuccess.size > MAX_TASK_SERIES) this.#lastSuccess.delete(this.#lastSuccess.keys().next().value!);
  }

  snapshot(): MetricsSnapshot {
    const s = this.source;
    return {
      connected: s.connected,
      ready: s.ready,
      reconnects: Math.max(0, this.#registrations - 1),
      queued: s.queued,
      sendQueue: s.sendQueue,
      sendDropped: s.sendDropped,
      runs: { ...this.#runs },
      lag: { buckets: [...this.#lagCounts], count: this.#lagCount, sum: this.#lagSum },
      lastSuccess: Object.fromEntries(this.#lastSuccess),
    };
  }
}
