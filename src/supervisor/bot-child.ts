// One bot's process, as the supervisor sees it: started from this same
// executable with `run --bot NAME`, spoken to on stdin, heard on the control
// pipe (fd 3); its stdout and stderr are only output, handed on line by line.
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { selfCommand } from "../platform/runtime.ts";
import { signalChild, type ChildSignal } from "../platform/child-signal.ts";
import { CHILD_STDIO, CONTROL_FD } from "../platform/control-pipe.ts";
import { encode, streamLines, supervisorReader, type ToChild, type ToSupervisor } from "./control-channel.ts";

/** What the supervisor hears from a child. */
export interface ChildEvents {
  message(m: ToSupervisor): void;
  /** A line of output; `stream` says where it came from ("control" for a malformed control line). */
  output(line: string, stream: "stdout" | "stderr" | "control"): void;
  /** Called once, when the process is gone (or could not be started). */
  exit(code: number | null, signal: string | null, error?: string): void;
}

/** A running bot child: what the supervisor does to it. */
export interface BotChild {
  readonly pid: number | undefined;
  send(message: ToChild): void;
  signal(signal: ChildSignal): void;
}

export type SpawnChild = (bot: string, events: ChildEvents) => BotChild;

/** Spawns real children: `run --bot NAME` plus `args`, with SESHET_SUPERVISED=1. */
export function spawnBotChild(args: string[]): SpawnChild {
  return (bot, events) => {
    const [cmd, ...pre] = selfCommand();
    const proc: ChildProcess = spawn(cmd!, [...pre, "run", "--bot", bot, ...args], {
      stdio: [...CHILD_STDIO],
      env: { ...process.env, SESHET_SUPERVISED: "1" },
    });
    proc.stdout!.on("data", streamLines((line) => events.output(line, "stdout")));
    proc.stderr!.on("data", streamLines((line) => events.output(line, "stderr")));
    const control = proc.stdio[CONTROL_FD] as Readable | null;
    control?.on("data", supervisorReader(events.message, (line) => events.output(line, "control")));
    control?.on("error", () => {});
    proc.stdin!.on("error", () => {}); // a dying child closes its end; the exit handler deals with it
    // A spawn that fails (executable gone, out of processes) emits "error" and maybe never "exit":
    // unhandled, it would take the supervisor and every other bot down with it.
    let exited = false;
    const exit = (code: number | null, signal: string | null, error?: string) => {
      if (exited) return;
      exited = true;
      events.exit(code, signal, error);
    };
    proc.on("exit", (code, signal) => exit(code, signal));
    proc.on("error", (error) => {
      if (proc.pid === undefined || proc.exitCode !== null) exit(proc.exitCode ?? 1, null, `could not start: ${error.message}`);
    });
    return {
      get pid() {
        return proc.pid;
      },
      send: (message) => {
        if (proc.stdin?.writable) proc.stdin.write(encode(message));
      },
      signal: (signal) => signalChild(proc, signal),
    };
  };
}
