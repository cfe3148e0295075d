// `seshet run --one-process`: every bot on IRC in this one process, without
// the supervisor. Opt-in, for the smallest machines: ten bots then share one
// runtime (bench/footprint-bench.ts measures both ways). The price is one crash
// domain: a bot cannot be restarted alone, and a crash of the process takes
// every bot with it (run it under systemd with Restart=on-failure). Plugin
// errors stay with their bot as in a bot process of its own: a command's or a
// task's error is caught and reported by that bot, and a stray async error is
// logged with the module found in its stack and ends nothing.
import type { BotConfig } from "../config/config-types.ts";
import type { TaskStore } from "../store/store-types.ts";
import type { Bot } from "../bot/bot.ts";
import { onSignal } from "../platform/signals.ts";
import { onStrayError } from "../platform/stray-errors.ts";
import { StrayErrorLog } from "../bot/stray-error-log.ts";
import type { RunIo } from "./run-command.ts";
import type { BotMetrics } from "../bot/bot-metrics.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import { ircBot, serveBotMetrics } from "./run-metrics.ts";
import { once, reportReload, type RunPaths } from "./run-reload.ts";

export async function runTogether(configs: BotConfig[], store: TaskStore, paths: RunPaths, io: RunIo, metricsAt?: MetricsAddress): Promise<number> {
  const bots: Bot[] = [];
  const counted: { bot: Bot; metrics: BotMetrics }[] = [];
  for (const config of configs) {
    const log = io.log.child(config.name);
    const made = ircBot({
      config,
      store,
      log,
      paths,
      env: io.env,
      // One bot's !reloadtasks synced the files for all: the others rebuild their queues.
      onSynced: () => {
        for (const other of bots) if (other !== made.bot) other.post({ type: "rebuild" });
      },
    });
    bots.push(made.bot);
    counted.push(made);
  }
  const server = metricsAt ? await serveBotMetrics(metricsAt, counted, io.log) : undefined;
  const strays = new StrayErrorLog(io.log, (stack) => bots.map((b) => b.modules.moduleInStack(stack)).find((m) => m !== undefined));
  const offStrays = onStrayError((error, kind) => strays.report(error, kind));
  const stopped = new Promise<void>((resolve) => {
    const stop = once(async (why: string) => {
      io.log.info(`${why}: shutting down ${bots.length} bot(s)`);
      await Promise.allSettled(bots.map((b) => b.stop()));
      resolve();
    });
    onSignal("SIGINT", () => void stop("SIGINT"));
    onSignal("SIGTERM", () => void stop("SIGTERM"));
    // One sync for all (the first bot's); the others rebuild through onSynced.
    onSignal("SIGHUP", () => void reportReload(bots[0]!, io.log));
  });
  io.log.info(`${bots.length} bot(s) in one process (pid ${process.pid})`);
  await Promise.all(bots.map((b) => b.start()));
  await stopped;
  await server?.close();
  offStrays();
  return 0;
}
