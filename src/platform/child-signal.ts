// Signals a child process by pid. Deno's node:child_process `kill()` closes
// the child's stdin before signalling and then reports the exit as killed by
// that signal even when the child handled it and exited 0; process.kill on the
// pid behaves the same on Bun, Deno and Node.
export type ChildSignal = "SIGTERM" | "SIGKILL" | "SIGINT" | "SIGHUP";

/** Signals `pid` unless it is unknown or already reported gone (its number may have been reused). */
export function signalChild(pid: number | undefined, exited: boolean, signal: ChildSignal): void {
  if (pid === undefined || exited) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone: its exit report follows
  }
}
