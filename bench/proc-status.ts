// Resident memory of a running process, from /proc/PID/status (Linux).
import { readFileSync } from "node:fs";

export interface ProcMemory {
  /** Resident set now, MB. */
  rssMB: number;
  /** Peak resident set so far, MB. */
  hwmMB: number;
}

export function procMemory(pid: number): ProcMemory {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(m[1]) / 1024;
  };
  return { rssMB: kb("VmRSS"), hwmMB: kb("VmHWM") };
}
