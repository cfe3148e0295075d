// The supervisor's syncs (at start and on SIGHUP) in a short-lived child of
// this same program, `run --sync-only` (supervisor/sync-child.ts): the
// supervisor never loads the configuration or the store, and never holds
// what reading every task file leaves behind.
import type { SpawnedProcess, Spawner } from "../platform/spawn-process.ts";
import { onSignal } from "../platform/signals.ts";
import { writeStderrLine } from "../platform/std-stream.ts";
import { runSyncChild, type SyncChildResult } from "../supervisor/sync-child.ts";
import type { RunIo, RunOptions } from "./run-command.ts";

/** The directories, the store and the log settings, as a child `run` takes them. */
export function fileArgsOf(opts: RunOptions): string[] {
  return ["--bots", opts.bots, "--tasks", opts.tasks, "--db", opts.db, ...opts.childArgs];
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
  let running: SpawnedProcess | undefined;
  let stopped = false;
  return {
    run(trigger: string): Promise<SyncChildResult> {
      if (waiting) return waiting;
      const next = queue.then(async (): Promise<SyncChildResult> => {
        waiting = undefined;
        if (stopped) return { code: 1, error: "stopped" };
        const r = await runSyncChild(spawn, args, trigger, writeStderrLine, (child) => (running = child));
        if (r.error && !stopped) io.log.error(`${trigger}: the task files could not be synced: ${r.error}`);
        return r;
      });
      queue = waiting = next;
      return next;
    },
    /** Stops the sync child running (its transaction rolls back) and runs no more. */
    stop(signal: "SIGTERM" | "SIGINT"): void {
      stopped = true;
      running?.signal(signal);
    },
  };
}

