// `seshet run` under the supervisor: the startup sync in a child (which also
// names the bots), then one child per bot. This process loads no
// configuration, store or IRC client; on a PostgreSQL store shared by several
// hosts it opens the store for the fleet's leases only.
import { loadSpawner } from "../platform/spawn-process.ts";
import { writeStderrLine } from "../platform/std-stream.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import { storeKindOf } from "../store/store-kind.ts";
import type { RunIo, RunOptions } from "./run-command.ts";
import { fileArgsOf, serialSync, startupSignals } from "./run-sync.ts";

export async function runSupervised(opts: RunOptions, io: RunIo, metrics: MetricsAddress | undefined): Promise<number> {
  const { log } = io;
  const spawn = await loadSpawner();
  const fileArgs = fileArgsOf(opts);
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

/** A PostgreSQL store is shared by the hosts of a fleet: each bot then runs on one of them, by lease. */
async function fleetOf(opts: RunOptions, io: RunIo) {
  if (storeKindOf(opts.db) !== "postgres") return undefined;
  const { fleetSettings } = await import("../fleet/fleet-member.ts");
  const { openKyselyStore } = await import("../store/open-store.ts");
  const settings = fleetSettings(opts.db, io.env)!;
  return { settings, store: await openKyselyStore(opts.db) };
}
