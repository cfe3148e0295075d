// `seshet run` under the supervisor: the startup sync in a child (which also
// names the bots), then one child per bot. This process loads no
// configuration, store or IRC client; on a PostgreSQL store shared by several
// hosts it opens the store for the fleet's leases only.
import { loadSpawner, type Spawner } from "../platform/spawn-process.ts";
import { writeStderrLine } from "../platform/std-stream.ts";
import type { MetricsAddress } from "../supervisor/metrics-address.ts";
import { runSyncChild } from "../supervisor/sync-child.ts";
import { storeKindOf } from "../store/store-kind.ts";
import type { RunIo, RunOptions } from "./run-command.ts";

export async function runSupervised(opts: RunOptions, io: RunIo, metrics: MetricsAddress | undefined): Promise<number> {
  const { log } = io;
  const spawn = await loadSpawner();
  const fileArgs = ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, ...opts.childArgs];
  const sync = serialSync(spawn, fileArgs, io);
  const first = await sync.run("startup");
  if (!first.bots) return first.code === 0 ? 1 : first.code;
  const fleet = await fleetOf(opts, io);
  try {
    const { supervise } = await import("../supervisor/supervise.ts");
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
      fleet,
      metrics,
    });
  } finally {
    await fleet?.store.close();
  }
}

/** Sync children one at a time: a SIGHUP during a sync runs one more after it, not a second at once. */
function serialSync(spawn: Spawner, args: string[], io: RunIo) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(trigger: string) {
      const next = queue.then(async () => {
        const r = await runSyncChild(spawn, args, trigger, writeStderrLine);
        if (r.error) io.log.error(`${trigger}: the task files could not be synced: ${r.error}`);
        return r;
      });
      queue = next;
      return next;
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
