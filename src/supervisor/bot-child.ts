// One bot's process, as the supervisor sees it: started from this same
// executable with `run --bot NAME`, spoken to on stdin, heard on the control
// channel (platform/spawn-process.ts); its stdout and stderr are only output,
// handed on line by line.
import { selfCommand } from "../platform/runtime.ts";
import type { ChildSignal } from "../platform/child-signal.ts";
import type { Spawner } from "../platform/spawn-process.ts";
import { encode, readToSupervisor, streamLines, supervisorReader, type ToChild, type ToSupervisor } from "./control-channel.ts";

/** What the supervisor hears from a child. */
export interface ChildEvents {
  message(m: ToSupervisor): void;
  /** A line of output; `stream` says where it came from ("control" for a malformed control message). */
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

/**
 * Spawns real children: `run --bot NAME` plus `args`, with SESHET_SUPERVISED=1,
 * and SESHET_REPORT_METRICS=1 when the supervisor serves `--metrics`: a bot
 * sends its counters only when someone reads them.
 */
export function spawnBotChild(spawn: Spawner, args: string[], reportMetrics: boolean): SpawnChild {
  const { SESHET_REPORT_METRICS: _, ...inherited } = process.env;
  const env = { ...inherited, SESHET_SUPERVISED: "1", ...(reportMetrics ? { SESHET_REPORT_METRICS: "1" } : {}) };
  return (bot, events) => {
    const bad = (line: string) => events.output(line, "control");
    const controlLines = supervisorReader(events.message, bad);
    const out = streamLines((line) => events.output(line, "stdout"));
    const err = streamLines((line) => events.output(line, "stderr"));
    const proc = spawn([...selfCommand(), "run", "--bot", bot, ...args], { env, control: true }, {
      output: (chunk, stream) => (stream === "stdout" ? out : err)(chunk),
      control: (m) => {
        if ("text" in m) return controlLines(m.text);
        const message = readToSupervisor(m.value);
        if (message) events.message(message);
        else bad(JSON.stringify(m.value)?.slice(0, 200) ?? String(m.value));
      },
      exit: (code, signal, error) => {
        // A last line without its newline (a dying write) is still the child's last word: hand it on before the exit.
        out("\n");
        err("\n");
        events.exit(code, signal, error);
      },
    });
    return {
      get pid() {
        return proc.pid;
      },
      send: (message) => proc.write(encode(message)),
      signal: (signal) => proc.signal(signal),
    };
  };
}
