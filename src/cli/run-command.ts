// `seshet run`: the supervisor with one child per bot (default), one bot in the
// foreground (`--bot NAME`), or every bot in-process against the terminal
// (`--console`) or on IRC (`--one-process`). Each mode's module is imported
// only when chosen: the supervisor (run-supervised.ts) loads no configuration,
// store or IRC client, a bot never the supervisor (run-in-process.ts).
import type { Logger, LogFormat } from "../log/logger.ts";
import { isLoopback, parseMetricsAddress } from "../supervisor/metrics-address.ts";

export interface RunOptions {
  bots: string;
  tasks: string;
  db: string;
  bot?: string;
  console?: boolean;
  /** Every bot on IRC in this process, without the supervisor (run-together.ts). */
  oneProcess?: boolean;
  /** Internal: a supervised child skips the startup sync (the supervisor did it). */
  sync: boolean;
  /** Internal (the supervisor's sync child): sync, print the bots' names as JSON on stdout, exit. Names the trigger logged. */
  syncOnly?: string;
  /** Arguments passed on to children (log settings). */
  childArgs: string[];
  /** `--log-format`: the supervisor hands children's lines on in it. */
  logFormat?: LogFormat;
  /** `--metrics ADDR`: serve /metrics and /healthz. */
  metrics?: string;
}

export interface RunIo {
  out: (line: string) => void;
  log: Logger;
  env: Record<string, string | undefined>;
}

export async function runRun(opts: RunOptions, io: RunIo): Promise<number> {
  const { log } = io;
  const metrics = opts.metrics === undefined ? undefined : parseMetricsAddress(opts.metrics);
  if (typeof metrics === "string") {
    log.error(metrics);
    return 2;
  }
  if (metrics && opts.console) log.warn("--metrics is ignored with --console (there is no IRC connection to report on)");
  if (metrics && !isLoopback(metrics.host)) log.warn(`metrics served on ${metrics.host}, beyond this machine: anyone who can reach it sees bot and task names`);
  if (!opts.console && !opts.oneProcess && opts.bot === undefined && opts.syncOnly === undefined) {
    const { runSupervised } = await import("./run-supervised.ts");
    return await runSupervised(opts, io, metrics);
  }
  const { runInProcess } = await import("./run-in-process.ts");
  return await runInProcess(opts, io, metrics);
}
