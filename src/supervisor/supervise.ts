// `seshet run` without `--bot`: a Supervisor with real children, driven by
// signals (SIGINT/SIGTERM stop, SIGHUP syncs the task files once for every
// bot) and, on a shared PostgreSQL store, by this host's fleet leases.
import type { Logger, LogFormat } from "../log/logger.ts";
import { onSignal } from "../platform/signals.ts";
import type { Spawner } from "../platform/spawn-process.ts";
import type { FleetMember, FleetSettings, FleetStore } from "../fleet/fleet-member.ts";
import { Supervisor } from "./supervisor.ts";
import { spawnBotChild } from "./bot-child.ts";
import type { MetricsSnapshot } from "./metrics-snapshot.ts";
import type { MetricsAddress } from "./metrics-address.ts";
import type { MetricsServer } from "./metrics-server.ts";

export interface SupervisorOptions {
  bots: string[];
  /** Arguments every child gets after `run --bot NAME`. */
  childArgs: string[];
  spawn: Spawner;
  /** Applies the task files to the store (a sync child); false when it failed (it said why). */
  sync: (trigger: string) => Promise<boolean>;
  log: Logger;
  /** Where children's log lines go (with the bot name in front). */
  forward: (line: string) => void;
  /** The log's format (`--log-format`): children's lines are handed on in it. */
  format?: LogFormat;
  /** Fleet mode (a PostgreSQL store shared by several hosts): run only the bots whose lease this host holds. */
  fleet?: { settings: FleetSettings; store: FleetStore };
  /** Serve /metrics and /healthz there (`--metrics`). */
  metrics?: MetricsAddress;
}

export async function supervise(opts: SupervisorOptions): Promise<number> {
  const { log } = opts;
  let fleet: FleetMember | undefined;
  const snapshots = new Map<string, MetricsSnapshot>();
  const supervisor = new Supervisor({
    onMetrics: (bot, snapshot) => (snapshot ? snapshots.set(bot, snapshot) : snapshots.delete(bot)),
    bots: opts.bots,
    spawn: spawnBotChild(opts.spawn, opts.childArgs, opts.metrics !== undefined),
    log,
    forward: opts.forward,
    format: opts.format,
    startAll: !opts.fleet,
    onGiveUp: (bot) => void fleet?.giveUp(bot),
  });
  if (opts.fleet) fleet = await fleetFor(opts, opts.fleet, supervisor);
  let stopping = false;
  const shutdown = (why: string) => {
    stopping = true;
    supervisor.shutdown(why);
  };
  const reload = async () => {
    if (stopping) return;
    if (await opts.sync("SIGHUP")) supervisor.broadcast({ type: "rebuild" });
  };
  const offs = [
    onSignal("SIGINT", () => shutdown("SIGINT")),
    onSignal("SIGTERM", () => shutdown("SIGTERM")),
    onSignal("SIGHUP", () => void reload()),
  ];
  let server: MetricsServer | undefined;
  if (opts.metrics) {
    server = await serveFor(opts.metrics, supervisor, snapshots, log);
    if (!server) {
      for (const off of offs) off();
      return 1;
    }
  }
  supervisor.start();
  fleet?.start();
  const code = await supervisor.done;
  await server?.close();
  await fleet?.leave();
  for (const off of offs) off();
  log.info(code === 0 ? "every bot stopped; supervisor exiting" : "supervisor exiting after forcing bots down", { code });
  return code;
}

/** This host's part of a fleet: it starts and stops the bots whose leases it takes. */
async function fleetFor(opts: SupervisorOptions, fleet: { settings: FleetSettings; store: FleetStore }, supervisor: Supervisor): Promise<FleetMember> {
  const { FleetMember } = await import("../fleet/fleet-member.ts");
  return new FleetMember(
    fleet.store,
    fleet.settings,
    opts.bots,
    {
      start: (bot) => supervisor.lease(bot),
      stop: (bot) => supervisor.release(bot),
      rebuild: () => supervisor.broadcast({ type: "rebuild" }),
    },
    opts.log,
  );
}

/** `--metrics`: the endpoint, or undefined (logged) when it cannot listen. */
async function serveFor(
  address: MetricsAddress,
  supervisor: Supervisor,
  snapshots: Map<string, MetricsSnapshot>,
  log: Logger,
): Promise<MetricsServer | undefined> {
  const views = () => supervisor.status().map((s) => ({ bot: s.name, leased: s.leased, running: s.running, givenUp: s.givenUp, restarts: s.restarts, snapshot: snapshots.get(s.name) }));
  try {
    const { serveMetrics } = await import("./metrics-server.ts");
    const server = await serveMetrics(address, views);
    const host = address.host.includes(":") ? `[${address.host}]` : address.host;
    log.info(`metrics on http://${host}:${server.port}/metrics and /healthz`);
    return server;
  } catch (error) {
    log.error(`cannot serve metrics on ${address.host}:${address.port}`, { error });
    return undefined;
  }
}
