// Starting a child process of this program and hearing it, the cheapest way
// each runtime has. Under Bun that is Bun.spawn with Bun's IPC channel for
// control messages: no Node module is loaded, and a supervisor built on it
// holds ~27 MB where one on node:child_process holds ~35 MB (compiled
// binaries that only spawn a child; bench/footprint-bench.ts). Elsewhere
// (Deno, Node) node:child_process, with control messages on a pipe at fd 3.
// Either way the child's stdout and stderr are only output.
import { runtime } from "./runtime.ts";
import type { ChildSignal } from "./child-signal.ts";

/** What the parent hears from a child. */
export interface ProcessEvents {
  /** A chunk of the child's stdout or stderr, as text. */
  output(chunk: string, stream: "stdout" | "stderr"): void;
  /** A message on the control channel: a parsed value (Bun's IPC) or a chunk of JSON lines (fd 3). */
  control(message: { value: unknown } | { text: string }): void;
  /** Called once, when the process is gone (or could not be started), after its output was read. */
  exit(code: number | null, signal: string | null, error?: string): void;
}

/** A started child: its pid, and its stdin to write to. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** Writes to the child's stdin; a child already gone is not an error. */
  write(text: string): void;
  /** Closes the child's stdin (end-of-file). */
  end(): void;
  /**
   * Signals the child unless it is already reaped, even while its last output
   * is still being read (its pid may then belong to another process).
   */
  signal(signal: ChildSignal): void;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  /** Open the control channel (child → parent messages). */
  control: boolean;
}

export type Spawner = (argv: string[], opts: SpawnOptions, events: ProcessEvents) => SpawnedProcess;

/** The spawner of this runtime; only its own module is loaded. */
export async function loadSpawner(): Promise<Spawner> {
  if (runtime === "bun") return (await import("./spawn-bun.ts")).spawnBun;
  return (await import("./spawn-node.ts")).spawnNode;
}

/** The descriptor a child writes control messages to when there is no IPC channel (spawn-node.ts, control-pipe.ts). */
export const CONTROL_FD = 3;

/** How long the exit report waits for the rest of a dead child's output (a grandchild may hold the pipe open). */
export const OUTPUT_DRAIN_MS = 1000;
