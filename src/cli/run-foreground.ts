// `seshet run --bot NAME`: one bot on IRC in this process; under a supervisor
// (SESHET_SUPERVISED=1) it also speaks the control channel.
import type { BotConfig } from "../config/config-types.ts";
import type { TaskStore } from "../store/store-types.ts";
import { onSignal } from "../platform/signals.ts";
import { onStrayError } from "../platform/stray-errors.ts";
import { StrayErrorLog } from "../bot/stray-error-log.ts";
import { childReader } from "../supervisor/control-channel.ts";
import { openControlWriter } from "../platform/control-pipe.ts";
import type { RunIo } from "./run-command.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import { ircBot, reportMetrics, serveBotMetrics } from "./run-metrics.ts";
import { once, reportReload, type RunPaths } from "./run-reload.ts";

/** One bot on IRC; under a supervisor it also speaks the control channel. */
export async function runForeground(config: BotConfig, store: TaskStore, paths: RunPaths, io: RunIo, metricsAt?: MetricsAddress): Promise<number> {
  const log = io.log.child(config.name);
  const supervised = io.env.SESHET_SUPERVISED === "1";
  // Control messages go on their own channel, never stdout, which plugins print to.
  const toSupervisor = supervised ? openControlWriter() : undefined;
  const { bot, metrics } = ircBot({
    config,
    store,
    log,
    paths,
    env: io.env,
    onSynced: (r) => {
      toSupervisor?.({ type: "synced", added: r.added, changed: r.changed, retired: r.retired, errors: r.errors.length });
    },
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = once(async (why: string) => {
      log.info(`${why}: shutting down`);
      await bot.stop();
      resolve();
    });
    onSignal("SIGINT", () => void stop("SIGINT"));
    onSignal("SIGTERM", () => void stop("SIGTERM"));
    // Under a supervisor the SIGHUP that counts is the supervisor's: it syncs once and tells
    // every bot. A hangup sent to the whole process group must not sync once more per bot.
    onSignal("SIGHUP", () =>
      supervised ? log.info(`SIGHUP ignored: the supervisor (pid ${process.ppid}) reloads the tasks for every bot`) : void reportReload(bot, log),
    );
    if (supervised) {
      process.stdin.on(
        "data",
        childReader(
          (m) => (m.type === "stop" ? void stop("supervisor") : bot.post(m)),
          (line) => log.warn("ignored a malformed message from the supervisor", { line: line.slice(0, 200) }),
        ),
      );
      // End of stdin means the supervisor is gone: exit rather than live on as an orphan.
      process.stdin.on("end", () => void stop("supervisor gone"));
    }
  });
  // A plugin's stray async error is logged with its stack; it does not end the bot (nor, repeated, make the supervisor give up on it).
  // Counters go to the supervisor, which serves them; a lone bot serves its own.
  const stopReports = toSupervisor && io.env.SESHET_REPORT_METRICS === "1" ? reportMetrics(bot, metrics, toSupervisor) : undefined;
  const server = !supervised && metricsAt ? await serveBotMetrics(metricsAt, [{ bot, metrics }], log) : undefined;
  const strays = new StrayErrorLog(log, (stack) => bot.modules.moduleInStack(stack));
  const offStrays = onStrayError((error, kind) => strays.report(error, kind));
  await bot.start();
  await stopped;
  stopReports?.();
  await server?.close();
  offStrays();
  return 0;
}
