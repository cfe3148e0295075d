// Signals a child process by pid. Deno's node:child_process `kill()` closes
// the child's stdin before signalling and then reports the exit as killed by
// that signal even when the child handled it and exited 0; process.kill on the
// pid behaves the same on Bun, Deno and Node.
import type { ChildProcess } from "node:child_process";

export type ChildSignal = "SIGTERM" | "SIGKILL" | "SIGINT" | "SIGHUP";

export function signalChild(child: ChildProcess, signal: ChildSignal): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // already gone: its exit event follows
  }
}
