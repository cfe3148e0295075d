// node:child_process's spawner (Deno, Node; see spawn-process.ts). Control
// messages come on a pipe of their own at fd 3 (the child writes to it,
// platform/control-pipe.ts), never on stdout, which plugins print to.
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { signalChild } from "./child-signal.ts";
import { CONTROL_FD, OUTPUT_DRAIN_MS, type ProcessEvents, type SpawnOptions, type SpawnedProcess } from "./spawn-process.ts";


export function spawnNode(argv: string[], opts: SpawnOptions, events: ProcessEvents): SpawnedProcess {
  const [cmd, ...args] = argv;
  const proc: ChildProcess = spawn(cmd!, args, { stdio: opts.control ? ["pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"], env: opts.env });
  proc.stdout!.setEncoding("utf8").on("data", (t: string) => events.output(t, "stdout"));
  proc.stderr!.setEncoding("utf8").on("data", (t: string) => events.output(t, "stderr"));
  const control = opts.control ? (proc.stdio[CONTROL_FD] as Readable | null) : null;
  control?.setEncoding("utf8").on("data", (text: string) => events.control({ text }));
  control?.on("error", () => {});
  proc.stdin!.on("error", () => {}); // a dying child closes its end; the exit report deals with it
  // A spawn that fails (executable gone, out of processes) emits "error" and maybe never "exit":
  // unhandled, it would take the parent down with it.
  let exited = false;
  const exit = (code: number | null, signal: string | null, error?: string) => {
    if (exited) return;
    exited = true;
    events.exit(code, signal, error);
  };
  // "close" follows "exit" once stdout and stderr are read to their end.
  proc.on("exit", (code, signal) => setTimeout(() => exit(code, signal), OUTPUT_DRAIN_MS).unref?.());
  proc.on("close", (code, signal) => exit(code, signal));
  proc.on("error", (error) => {
    if (proc.pid === undefined || proc.exitCode !== null) exit(proc.exitCode ?? 1, null, `could not start: ${error.message}`);
  });
  return {
    get pid() {
      return proc.pid;
    },
    write: (text) => {
      if (proc.stdin?.writable) proc.stdin.write(text);
    },
    end: () => void proc.stdin?.end(),
    // exitCode/signalCode are set on "exit", when the child is reaped, before its output is drained.
    signal: (signal) => signalChild(proc.pid, proc.exitCode !== null || proc.signalCode !== null, signal),
  };
}
