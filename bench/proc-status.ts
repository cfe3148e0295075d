// Memory of a running process (Linux): /proc/PID/status for the resident set
// and its peak, /proc/PID/smaps_rollup for the proportional set size (Pss:
// pages shared with N processes count 1/N), which is the figure that adds up
// over a process tree whose processes all map the same binary.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcMemory {
  /** Resident set now, MB (VmRSS). */
  rssMB: number;
  /** Peak resident set so far, MB (VmHWM). */
  hwmMB: number;
  /** Resident anonymous memory, MB (RssAnon): the heap, private to the process. */
  anonMB: number;
  /** Resident file-backed memory, MB (RssFile): pages of the binary, shared with its other processes. */
  fileMB: number;
  /** Proportional set size, MB (Pss, smaps_rollup). */
  pssMB: number;
}

function kbField(text: string, field: string, where: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  if (!m) throw new Error(`no ${field} in ${where}`);
  return Number(m[1]) / 1024;
}

export function procMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const s = (f: string) => kbField(status, f, `/proc/${pid}/status`);
  return {
    rssMB: s("VmRSS"),
    hwmMB: s("VmHWM"),
    anonMB: s("RssAnon"),
    fileMB: s("RssFile"),
    pssMB: kbField(rollup, "Pss", `/proc/${pid}/smaps_rollup`),
  };
}

/** The pid and every descendant (children of every thread, recursively). */
export function processTree(pid: number): number[] {
  const out = [pid];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // gone meanwhile
  }
  for (const tid of tasks) {
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8");
    } catch {
      continue;
    }
    for (const c of children.split(/\s+/).filter(Boolean)) out.push(...processTree(Number(c)));
  }
  return out;
}

export interface TreeMemory extends ProcMemory {
  processes: number;
}

/** Sums over a process tree. VmHWM is summed too (an upper bound of the tree's peak). */
export function treeMemory(pid: number): TreeMemory {
  const sum: TreeMemory = { rssMB: 0, hwmMB: 0, anonMB: 0, fileMB: 0, pssMB: 0, processes: 0 };
  for (const p of processTree(pid)) {
    const m = procMemory(p);
    sum.rssMB += m.rssMB;
    sum.hwmMB += m.hwmMB;
    sum.anonMB += m.anonMB;
    sum.fileMB += m.fileMB;
    sum.pssMB += m.pssMB;
    sum.processes++;
  }
  return sum;
}
