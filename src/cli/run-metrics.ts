// The bot side of `--metrics`: counters for one bot (BotMetrics) fed by its
// transport and task runner, reported to the supervisor when they change (at
// most once a second, and at once when the connection state changes), or
// served directly by `seshet run --bot NAME --metrics ADDR`.
import { BotMetrics } from "../bot/bot-metrics.ts";
import { Bot, type BotOptions } from "../bot/bot.ts";
import { IrcTransport } from "../irc/irc-transport.ts";
import type { Logger } from "../log/logger.ts";
import type { MetricsMessage } from "../supervisor/control-channel.ts";
import type { MetricsAddress, MetricsServer } from "../supervisor/metrics-server.ts";

export const REPORT_INTERVAL_MS = 1000;

/** Counters reading live state from the transport and (once it exists) the bot. */
export function botMetrics(transport: IrcTransport, bot: () => Bot | undefined): BotMetrics {
  return new BotMetrics({
    get connected() {
      return transport.connected;
    },
    get ready() {
      return transport.ready;
    },
    get queued() {
      return bot()?.runner.queue.size ?? 0;
    },
    get sendQueue() {
      return transport.pending;
    },
    get sendDropped() {
      return transport.dropped;
    },
  });
}

/** Sends snapshots on the control channel; returns a stop function. */
export function reportMetrics(bot: Bot, metrics: BotMetrics, send: (message: MetricsMessage) => void): () => void {
  let last = "";
  const report = () => {
    const message: MetricsMessage = { type: "metrics", snapshot: metrics.snapshot() };
    const text = JSON.stringify(message);
    if (text !== last) send(message);
    last = text;
  };
  bot.dispatcher.on("registered", () => metrics.registered(), "metrics");
  // Connection changes reach /healthz at once; the transport's state is already updated when its events fire.
  for (const event of ["registered", "ready", "disconnected"]) bot.dispatcher.on(event, () => queueMicrotask(report), "metrics");
  const timer = setInterval(report, REPORT_INTERVAL_MS);
  timer.unref?.();
  report();
  return () => clearInterval(timer);
}

/** `run --bot NAME` or `run --one-process` with `--metrics ADDR`: the bots in this process, served by it. Call before the bots start. */
export async function serveBotMetrics(addr: MetricsAddress, bots: readonly { bot: Bot; metrics: BotMetrics }[], log: Logger): Promise<MetricsServer> {
  for (const { bot, metrics } of bots) bot.dispatcher.on("registered", () => metrics.registered(), "metrics");
  // Loaded only here: a supervised bot (the common case) never needs an HTTP server.
  const { serveMetrics } = await import("../supervisor/metrics-server.ts");
  const server = await serveMetrics(addr, () =>
    bots.map(({ bot, metrics }) => ({ bot: bot.config.name, leased: true, running: true, givenUp: false, restarts: 0, snapshot: metrics.snapshot() })),
  );
  log.info(`metrics on http://${addr.host.includes(":") ? `[${addr.host}]` : addr.host}:${server.port}/metrics and /healthz`);
  return server;
}

/** A bot on IRC with its counters: the transport, the metrics reading it and the bot, made together. */
export function ircBot(opts: Omit<BotOptions, "transport" | "observer">): { bot: Bot; metrics: BotMetrics } {
  const transport = new IrcTransport(opts.config, opts.log);
  let created: Bot | undefined;
  const metrics = botMetrics(transport, () => created);
  const bot = new Bot({ ...opts, transport, observer: metrics });
  created = bot;
  return { bot, metrics };
}
