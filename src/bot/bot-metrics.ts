// What one bot counts for `seshet run --metrics`: connection state, runs by
// outcome, firing lag, reconnects, the send queue and each declared task's
// last success. The bot process keeps the counters; a snapshot goes to the
// supervisor over the control channel, which serves them (metrics-text.ts).
// Labels only ever carry bot names and names of tasks declared in task files:
// never message text, and never the names of tasks created at run time
// (a plugin or a chat command may build those from what users typed).
import { RUNTIME_ORIGIN } from "../store/store-types.ts";

/** Upper bounds (seconds) of the firing-lag histogram's buckets. */
export const LAG_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60] as const;
export const RUN_OUTCOMES = ["ok", "error", "skipped", "unresolved"] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];
/** Per-task series kept per bot (the most recently successful): bounds the control line and the scrape. */
export const MAX_TASK_SERIES = 200;

export interface MetricsSnapshot {
  connected: boolean;
  ready: boolean;
  /** Registrations after the first one. */
  reconnects: number;
  /** Tasks in the bot's queue. */
  queued: number;
  /** Lines waiting in the send queue, and dropped from it so far. */
  sendQueue: number;
  sendDropped: number;
  runs: Record<RunOutcome, number>;
  /** Cumulative counts per LAG_BUCKETS_S bound, then the total count and sum (seconds). */
  lag: { buckets: number[]; count: number; sum: number };
  /** Declared task name → epoch seconds of its last successful run. */
  lastSuccess: Record<string, number>;
}

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

/** A snapshot from the control channel, checked field by field; undefined when it is not one. */
export function readSnapshot(v: unknown): MetricsSnapshot | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const count = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  const flag = (x: unknown): x is boolean => typeof x === "boolean";
  if (!flag(o.connected) || !flag(o.ready)) return undefined;
  if (![o.reconnects, o.queued, o.sendQueue, o.sendDropped].every(count)) return undefined;
  const runs = o.runs as Record<string, unknown> | undefined;
  if (typeof runs !== "object" || runs === null || !RUN_OUTCOMES.every((k) => count(runs[k]))) return undefined;
  const lag = o.lag as { buckets?: unknown; count?: unknown; sum?: unknown } | undefined;
  if (typeof lag !== "object" || lag === null || !Array.isArray(lag.buckets) || lag.buckets.length !== LAG_BUCKETS_S.length) return undefined;
  if (!lag.buckets.every(count) || !count(lag.count) || typeof lag.sum !== "number" || !Number.isFinite(lag.sum)) return undefined;
  const last = o.lastSuccess as Record<string, unknown> | undefined;
  if (typeof last !== "object" || last === null) return undefined;
  const entries = Object.entries(last);
  if (entries.length > MAX_TASK_SERIES || !entries.every(([k, t]) => /^\S{1,100}$/.test(k) && count(t))) return undefined;
  return {
    connected: o.connected,
    ready: o.ready,
    reconnects: o.reconnects as number,
    queued: o.queued as number,
    sendQueue: o.sendQueue as number,
    sendDropped: o.sendDropped as number,
    runs: Object.fromEntries(RUN_OUTCOMES.map((k) => [k, runs[k] as number])) as Record<RunOutcome, number>,
    lag: { buckets: lag.buckets as number[], count: lag.count as number, sum: lag.sum },
    lastSuccess: Object.fromEntries(entries) as Record<string, number>,
  };
}
