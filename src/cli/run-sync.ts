// The startup sync (and the supervisor's SIGHUP syncs) in a short-lived child
// of this same program, `run --sync-only` (supervisor/sync-child.ts): the
// process that runs bots or watches them then never holds what reading every
// task file and computing every schedule leaves behind (~5 MB for a lone
// bot with one task; more with many; bench/footprint-bench.ts).
import { loadSpawner, type Spawner } from "../platform/spawn-process.ts";
import { onSignal } from "../platform/signals.ts";
import { signalChild } from "../platform/child-signal.ts";
import { writeStderrLine } from "../platform/std-stream.ts";
import { runSyncChild, type SyncChildResult } from "../supervisor/sync-child.ts";
import type { RunIo, RunOptions } from "./run-command.ts";

/** The directories, the store and the log settings, as a child `run` takes them. */
export function fileArgsOf(opts: RunOptions): string[] {
  return ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, ...opts.childArgs];
}

/**
 * The startup sync of bots that run in this process (`--bot`, `--one-process`):
 * undefined when the bots may start, else the exit code (the child said why).
 */
export async function syncBeforeBots(opts: RunOptions, io: RunIo): Promise<number | undefined> {
  const sync = serialSync(await loadSpawner(), fileArgsOf(opts), io);
  const early = startupSignals(sync);
  const first = await sync.run("startup");
  early.off();
  if (early.stopped()) {
    io.log.info(`${early.stopped()} before the bots started: none started; exiting`);
    return 0;
  }
  return first.bots ? undefined : first.code === 0 ? 1 : first.code;
}

/**
 * Until supervise() takes the signals over: the startup sync takes a child's
 * start-up, and a SIGHUP then (a reload right after `systemctl start`) must
 * not end the process, as it would by default: it syncs once more. A SIGTERM
 * or SIGINT then stops the supervisor before any bot starts.
 */
export function startupSignals(sync: ReturnType<typeof serialSync>) {
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
export function serialSync(spawn: Spawner, args: string[], io: RunIo) {
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

