// `seshet run` under the supervisor: the startup sync in a child (which also
// names the bots), then one child per bot. This process loads no
// configuration, store or IRC client; on a PostgreSQL store shared by several
// hosts it opens the store for the fleet's leases only.
import { loadSpawner, type Spawner } from "../platform/spawn-process.ts";
import { onSignal } from "../platform/signals.ts";
import { signalChild } from "../platform/child-signal.ts";
import { writeStderrLine } from "../platform/std-stream.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import { runSyncChild, type SyncChildResult } from "../supervisor/sync-child.ts";
import { storeKindOf } from "../store/store-kind.ts";
import type { RunIo, RunOptions } from "./run-command.ts";

export async function runSupervised(opts: RunOptions, io: RunIo, metrics: MetricsAddress | undefined): Promise<number> {
  const { log } = io;
  const spawn = await loadSpawner();
  const fileArgs = ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, ...opts.childArgs];
  const sync = serialSync(spawn, fileArgs, io);
  const early = startupSignals(sync);
  const first = await sync.run("startup");
  const fleet = first.bots && !early.stopped() ? await fleetOf(opts, io) : undefined;
  const { supervise } = await import("../supervisor/supervise.ts");
  early.off();
  if (early.stopped()) {
    log.info(`${early.stopped()} before the bots started: none started; supervisor exiting`);
    await fleet?.store.close();
    return 0;
  }
  if (!first.bots) return first.code === 0 ? 1 : first.code;
  try {
    return await supervise({
      bots: first.bots,
      childArgs: [...fileArgs, "--no-sync"],
      spawn,
      sync: async (trigger) => {
        const r = await sync.run(trigger);
        const now = r.bots?.join(", ");
        if (now !== undefined && now !== first.bots!.join(", ")) log.warn(`the bots in ${opts.bots} are now: ${now || "none"}; restart \`seshet run\` to start or stop bots`);
        return r.bots !== undefined;
      },
      log,
      forward: writeStderrLine,
      format: opts.logFormat,
      fleet,
      metrics,
    });
  } finally {
    // A SIGHUP's sync child still running must not outlive the supervisor (it may wait on the store).
    sync.stop("SIGTERM");
    await fleet?.store.close();
  }
}

/**
 * Until supervise() takes the signals over: the startup sync takes a child's
 * start-up, and a SIGHUP then (a reload right after `systemctl start`) must
 * not end the process, as it would by default: it syncs once more. A SIGTERM
 * or SIGINT then stops the supervisor before any bot starts.
 */
function startupSignals(sync: ReturnType<typeof serialSync>) {
  let stopped: string | undefined;
  // The sync child is stopped too: it may wait on a store that does not answer.
  const stop = (signal: "SIGTERM" | "SIGINT") => {
    stopped = signal;
    sync.stop(signal);
  };
  const offs = [
    onSignal("SIGHUP", () => void sync.run("SIGHUP")),
    onSignal("SIGTERM", () => stop("SIGTERM")),
    onSignal("SIGINT", () => stop("SIGINT")),
  ];
  return { stopped: () => stopped, off: () => offs.forEach((off) => off()) };
}

/**
 * Sync children one at a time: a SIGHUP during a sync runs one more after it,
 * not a second at once; any more SIGHUPs before that one starts join it (it
 * reads the files as they are when it starts), so a burst costs two syncs.
 */
function serialSync(spawn: Spawner, args: string[], io: RunIo) {
  let queue: Promise<unknown> = Promise.resolve();
  let waiting: Promise<SyncChildResult> | undefined;
  type Child = { pid: number | undefined; done: boolean };
  let running: Child | undefined;
  let stopped = false;
  return {
    run(trigger: string): Promise<SyncChildResult> {
      if (waiting) return waiting;
      const next = queue.then(async (): Promise<SyncChildResult> => {
        waiting = undefined;
        if (stopped) return { code: 1, error: "stopped" };
        const child: Child = (running = { pid: undefined, done: false });
        const r = await runSyncChild(spawn, args, trigger, writeStderrLine, (pid) => (child.pid = pid));
        child.done = true;
        if (r.error && !stopped) io.log.error(`${trigger}: the task files could not be synced: ${r.error}`);
        return r;
      });
      queue = waiting = next;
      return next;
    },
    /** Stops the sync child running (its transaction rolls back) and runs no more. */
    stop(signal: "SIGTERM" | "SIGINT"): void {
      stopped = true;
      if (running) signalChild(running.pid, running.done, signal);
    },
  };
}

/** A PostgreSQL store is shared by the hosts of a fleet: each bot then runs on one of them, by lease. */
async function fleetOf(opts: RunOptions, io: RunIo) {
  if (storeKindOf(opts.db) !== "postgres") return undefined;
  const { fleetSettings } = await import("../fleet/fleet-member.ts");
  const { openKyselyStore } = await import("../store/open-store.ts");
  const settings = fleetSettings(opts.db, io.env)!;
  return { settings, store: await openKyselyStore(opts.db) };
}
