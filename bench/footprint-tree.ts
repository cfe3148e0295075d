// Memory of `seshet run` as a whole: the supervisor and its bot children,
// each bot joined to the channel with its tasks (one, or many in files of
// 100), measured once every JOIN has been seen by a separate client and the
// processes have settled.
import { makeProject, startSeshet, type SeshetProcess } from "../test/support/seshet-process.ts";
import type { IrcObserver } from "../test/support/irc-observer.ts";
import { BENCH_CHANNEL } from "./bench-project.ts";
import { type ProcMemory, procMemory, processTree, type TreeMemory, treeMemory } from "./proc-status.ts";

export interface FleetSample {
  bots: number;
  supervisor: ProcMemory;
  tree: TreeMemory;
  /** Each bot child's own figures. */
  children: ProcMemory[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A project with `bots` bot files (nicks fleet1…fleetN), each with `tasks` daily tasks, 100 to a file. */
function fleetProject(port: number, bots: number, tasks: number): { dir: string; remove(): void } {
  const files: Record<string, string> = {};
  for (let i = 1; i <= bots; i++) {
    const nick = `fleet${i}`;
    files[`bots/${nick}.toml`] = `nick = "${nick}"\nchannels = ["${BENCH_CHANNEL}"]\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;
    for (let t = 0; t < tasks; t++) {
      const file = `tasks/${nick}-${Math.floor(t / 100)}.toml`;
      files[file] = (files[file] ?? "") +
        `[[task]]\nname = "daily-${nick}-${t}"\nbot = "${nick}"\nfunc = "core:say"\nargs = ["${BENCH_CHANNEL}", "daily ${t}"]\nstart = 2030-01-01T09:00:00\ntz = "Europe/Berlin"\nrrule = { freq = "daily" }\n\n`;
    }
  }
  return makeProject(files);
}

/** `oneProcess`: `seshet run --one-process` (every bot in one process) instead of one process per bot. */
export async function fleetFootprint(binary: string, port: number, observer: IrcObserver, bots: number, settleMs: number, oneProcess = false, tasks = 1): Promise<FleetSample> {
  const project = fleetProject(port, bots, tasks);
  let seshet: SeshetProcess | undefined;
  try {
    const t0 = Date.now();
    seshet = startSeshet(["run", "--db", "seshet.db", ...(oneProcess ? ["--one-process"] : [])], { cwd: project.dir, command: [binary] });
    const joined = new Set<string>();
    await observer.waitForLine((l) => {
      const m = /^:(fleet\d+)!\S+ JOIN /.exec(l);
      if (m) joined.add(m[1]!);
      return joined.size >= bots;
    }, 15_000 + bots * 3000);
    await sleep(settleMs);
    // Each bot must hold its task (a file error would leave them idle and the figure flattering).
    const queued = seshet.output().match(new RegExp(`started: ${tasks} task\\(s\\) queued`, "g"))?.length ?? 0;
    if (queued !== bots) throw new Error(`expected ${bots} bots with ${tasks} task(s) queued each, saw ${queued}:\n${seshet.output()}`);
    const tree = treeMemory(seshet.pid);
    const children = processTree(seshet.pid).slice(1).map(procMemory);
    const expected = oneProcess ? 1 : bots + 1;
    if (tree.processes !== expected) throw new Error(`expected ${expected} processes, found ${tree.processes} (${Date.now() - t0} ms after start):\n${seshet.output()}`);
    return { bots, supervisor: procMemory(seshet.pid), tree, children };
  } finally {
    await seshet?.stop();
    await observer.waitForLine((l) => /^:fleet\d+!\S+ QUIT /.test(l), 5000).catch(() => {});
    observer.lines.splice(0);
    project.remove();
  }
}
