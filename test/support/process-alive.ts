import { readFileSync } from "node:fs";

/** Whether a process with this pid still runs: it exists (signal 0) and, where /proc tells, is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return true;
  }
}
