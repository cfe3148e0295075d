// The Prometheus text format (version 0.0.4) of every bot's counters, and the
// health verdict behind /healthz. Pure: the supervisor's view in, text out.
import { LAG_BUCKETS_S, RUN_OUTCOMES, type MetricsSnapshot } from "./metrics-snapshot.ts";

export interface BotView {
  bot: string;
  /** Whether this host is meant to run it (always, outside a fleet). */
  leased: boolean;
  running: boolean;
  givenUp: boolean;
  restarts: number;
  /** The child's latest counters; undefined before its first report or after it exited. */
  snapshot: MetricsSnapshot | undefined;
}

/** `\`, `"` and newlines escaped, as the text format wants in label values. */
function label(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN";
}

export function metricsText(views: readonly BotView[]): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string, rows: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) out.push(`${name}${labels} ${num(value)}`);
  };
  const per = (f: (v: BotView, s: MetricsSnapshot | undefined) => number): [string, number][] =>
    views.map((v) => [`{bot="${label(v.bot)}"}`, f(v, v.snapshot)]);
  family("seshet_bot_up", "gauge", "1 while the bot's process runs on this host.", per((v) => (v.running ? 1 : 0)));
  family("seshet_bot_connected", "gauge", "1 while the bot is registered on its IRC server.", per((_, s) => (s?.connected ? 1 : 0)));
  family("seshet_bot_ready", "gauge", "1 while the bot is connected and in its channels (tasks fire).", per((_, s) => (s?.ready ? 1 : 0)));
  family("seshet_bot_restarts_total", "counter", "Times the supervisor restarted the bot's process.", per((v) => v.restarts));
  family("seshet_bot_reconnects_total", "counter", "Reconnections to the IRC server since the process started.", per((_, s) => s?.reconnects ?? 0));
  family("seshet_tasks_queued", "gauge", "Tasks in the bot's queue.", per((_, s) => s?.queued ?? 0));
  family("seshet_send_queue_lines", "gauge", "Lines waiting in the bot's send queue.", per((_, s) => s?.sendQueue ?? 0));
  family("seshet_send_queue_dropped_total", "counter", "Lines dropped because a send-queue lane was full.", per((_, s) => s?.sendDropped ?? 0));
  family(
    "seshet_task_runs_total",
    "counter",
    "Task occurrences by outcome: ok, error (the function failed), skipped (missed, by catchup or late_after), unresolved (unknown function).",
    views.flatMap((v) => RUN_OUTCOMES.map((o): [string, number] => [`{bot="${label(v.bot)}",outcome="${o}"}`, v.snapshot?.runs[o] ?? 0])),
  );
  const lagRows: [string, number][] = [];
  for (const v of views) {
    const b = `bot="${label(v.bot)}"`;
    const lag = v.snapshot?.lag;
    LAG_BUCKETS_S.forEach((le, i) => lagRows.push([`_bucket{${b},le="${le}"}`, lag?.buckets[i] ?? 0]));
    lagRows.push([`_bucket{${b},le="+Inf"}`, lag?.count ?? 0], [`_sum{${b}}`, lag?.sum ?? 0], [`_count{${b}}`, lag?.count ?? 0]);
  }
  family("seshet_task_firing_lag_seconds", "histogram", "How late task functions were called after their due time.", lagRows);
  family(
    "seshet_task_last_success_timestamp_seconds",
    "gauge",
    "When a task declared in the task files last ran successfully (Unix time).",
    views.flatMap((v) => Object.entries(v.snapshot?.lastSuccess ?? {}).map(([t, at]): [string, number] => [`{bot="${label(v.bot)}",task="${label(t)}"}`, at])),
  );
  return out.join("\n") + "\n";
}

/** Healthy when every bot this host runs is ready; otherwise the reasons, one per bot. */
export function health(views: readonly BotView[]): { ok: boolean; text: string } {
  const problems: string[] = [];
  const mine = views.filter((v) => v.leased || v.givenUp);
  for (const v of mine) {
    const why = problem(v);
    if (why) problems.push(`bot '${v.bot}': ${why}`);
  }
  if (problems.length > 0) return { ok: false, text: problems.join("\n") + "\n" };
  return { ok: true, text: `ok: ${mine.length} bot(s) ready\n` };
}

function problem(v: BotView): string | undefined {
  if (v.givenUp) return "given up after crashing repeatedly";
  if (!v.running) return "not running (restarting)";
  const s = v.snapshot;
  if (!s) return "starting";
  if (!s.connected) return "not connected to its IRC server";
  if (!s.ready) return "connected, not yet in its channels";
  return undefined;
}
