// `seshet run` for the modes whose bots live in this process (`--bot NAME`,
// `--console`, `--one-process`), and the sync child (`--sync-only`): the
// configuration, the store and the startup sync.
import { loadBots, loadConfig } from "../config/load-config.ts";
import { openKyselyStore } from "../store/open-store.ts";
import { storeKindOf } from "../store/store-dialect.ts";
import { logSync, syncFiles } from "../sync/sync-files.ts";
import { formatIssue } from "../config/format-issue.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import type { RunIo, RunOptions } from "./run-command.ts";

export async function runInProcess(opts: RunOptions, io: RunIo, metrics: MetricsAddress | undefined): Promise<number> {
  const { log } = io;
  if (opts.syncOnly !== undefined && io.env.SESHET_SUPERVISED === "1") {
    // The supervisor's sync child: end of stdin means the supervisor is gone (even
    // killed with SIGKILL). A sync waiting on a store that does not answer must not
    // outlive it; one cut short rolls back, and the next start syncs again.
    process.stdin.on("end", () => process.exit(1));
    process.stdin.resume();
  }
  if (opts.oneProcess && storeKindOf(opts.db) === "postgres") {
    // Several hosts share a PostgreSQL store through bot leases, which the supervisor holds.
    log.error("--one-process cannot share a PostgreSQL store with other hosts (bot leases need the supervisor); use `seshet run`");
    return 1;
  }
  // The startup sync runs here: a bot started on its own reaches IRC sooner so
  // (a sync child would cost it ~90 ms, bench/footprint-bench.ts), and what the
  // sync leaves in memory its first firings would bring in anyway. Without a
  // sync (a bot started by the supervisor, whose sync child read the task
  // files) only the bot files are read: the tasks come from the store.
  const loaded = opts.sync ? await loadConfig({ botsDir: opts.bots, tasksDir: opts.tasks, env: io.env }) : await loadBots(opts.bots, io.env);
  // With a sync these come back in its summary: log them once.
  if (!opts.sync) for (const e of loaded.issues) log.warn(formatIssue(e));
  const bots = opts.bot === undefined ? loaded.bots : loaded.bots.filter((b) => b.name === opts.bot);
  if (bots.length === 0) {
    log.error(noBotsMessage(opts, loaded.bots));
    return 1;
  }
  const store = await openKyselyStore(opts.db);
  try {
    const paths = { botsDir: opts.bots, tasksDir: opts.tasks };
    if (opts.sync) {
      const r = await syncFiles(store, { ...paths, env: io.env, now: Date.now() });
      logSync(log, opts.syncOnly ?? "startup", r);
    }
    if (opts.syncOnly !== undefined) {
      io.out(JSON.stringify({ bots: bots.map((b) => b.name) }));
      return 0;
    }
    if (opts.console) {
      const { runConsole } = await import("./run-console.ts");
      return await runConsole(bots, store, paths, io);
    }
    if (opts.bot !== undefined) {
      const { runForeground } = await import("./run-foreground.ts");
      return await runForeground(bots[0]!, store, paths, io, metrics);
    }
    const { runTogether } = await import("./run-together.ts");
    return await runTogether(bots, store, paths, io, metrics);
  } finally {
    await store.close();
  }
}

function noBotsMessage(opts: RunOptions, found: { name: string }[]): string {
  if (opts.bot === undefined) return `no usable bot definitions in ${opts.bots}; \`seshet init\` writes an example`;
  return `no bot named '${opts.bot}' in ${opts.bots} (found: ${found.map((b) => b.name).join(", ") || "none"})`;
}
