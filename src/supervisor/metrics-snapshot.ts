// The counters a bot process reports to its supervisor for `--metrics`
// (a JSON line on the control channel, see control-channel.ts), and the check
// the supervisor applies to each before serving it. Shared by both sides, so
// it lives with the control channel; the counting is in bot/bot-metrics.ts.

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
