// `seshet run`: the supervisor with one child per bot (default), one bot in the
// foreground (`--bot NAME`), or every bot in-process against the terminal
// (`--console`). Each mode's module is imported only when chosen: the
// supervisor never loads the bot or the IRC client, a bot never the supervisor.
import type { Logger } from "../log/logger.ts";
import { loadConfig } from "../config/load-config.ts";
import { openKyselyStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import { logSync, syncFiles } from "../sync/sync-files.ts";
import { formatIssue } from "../config/format-issue.ts";
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
  /** Arguments passed on to children (log settings). */
  childArgs: string[];
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
  const loaded = await loadConfig({ botsDir: opts.bots, tasksDir: opts.tasks, env: io.env });
  // With a sync these come back in its summary: log them once.
  if (!opts.sync) for (const e of loaded.issues) log.warn(formatIssue(e));
  const bots = opts.bot === undefined ? loaded.bots : loaded.bots.filter((b) => b.name === opts.bot);
  if (bots.length === 0) {
    log.error(noBotsMessage(opts, loaded.bots));
    return 1;
  }
  if (opts.oneProcess && storeKindOf(opts.db) === "postgres") {
    // Several hosts share a PostgreSQL store through bot leases, which the supervisor holds.
    log.error("--one-process cannot share a PostgreSQL store with other hosts (bot leases need the supervisor); use `seshet run`");
    return 1;
  }
  const store = await openKyselyStore(opts.db);
  try {
    const paths = { botsDir: opts.bots, tasksDir: opts.tasks };
    if (opts.sync) {
      const r = await syncFiles(store, { ...paths, env: io.env, now: Date.now() });
      logSync(log, "startup", r);
    }
    if (opts.console) {
      const { runConsole } = await import("./run-console.ts");
      return await runConsole(bots, store, paths, io);
    }
    if (opts.bot !== undefined) {
      const { runForeground } = await import("./run-foreground.ts");
      return await runForeground(bots[0]!, store, paths, io, metrics);
    }
    if (opts.oneProcess) {
      const { runTogether } = await import("./run-together.ts");
      return await runTogether(bots, store, paths, io, metrics);
    }
    const { supervise } = await import("../supervisor/supervise.ts");
    const { fleetSettings } = await import("../fleet/fleet-member.ts");
    return await supervise({
      bots: bots.map((b) => b.name),
      childArgs: ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, "--no-sync", ...opts.childArgs],
      store,
      paths,
      env: io.env,
      log,
      forward: (line) => process.stderr.write(line + "\n"),
      // A PostgreSQL store may be shared by several hosts: each bot then runs on one of them.
      fleet: fleetSettings(opts.db, io.env),
      metrics,
    });
  } finally {
    await store.close();
  }
}

function noBotsMessage(opts: RunOptions, found: { name: string }[]): string {
  if (opts.bot === undefined) return `no usable bot definitions in ${opts.bots}; \`seshet init\` writes an example`;
  return `no bot named '${opts.bot}' in ${opts.bots} (found: ${found.map((b) => b.name).join(", ") || "none"})`;
}
