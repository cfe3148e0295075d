// The supervisor and a bot child talk in JSON: supervisor → child in lines on
// the child's stdin, child → supervisor on a channel of its own (Bun's IPC
// channel, or JSON lines on a pipe at fd 3 elsewhere: platform/spawn-process.ts
// and platform/control-pipe.ts). The child's stdout and stderr are only output,
// forwarded to the log: a plugin printing `{"type":"synced"}` is a log line.
// When the supervisor dies the child sees end-of-file on stdin and shuts down:
// no orphan keeps a nick.

import { readSnapshot, type MetricsSnapshot } from "./metrics-snapshot.ts";

export type ToChild = { type: "rebuild" } | { type: "stop" };
export type SyncedMessage = { type: "synced"; added: number; changed: number; retired: number; errors: number };
/** The bot's counters (bot-metrics.ts), sent when they change, at most once a second. */
export type MetricsMessage = { type: "metrics"; snapshot: MetricsSnapshot };
export type ToSupervisor = SyncedMessage | MetricsMessage;

/** Longest line kept whole; a longer one (a runaway print without newline) is cut there, so memory stays bounded. */
export const MAX_LINE_BYTES = 64 * 1024;

export function encode(message: ToChild | ToSupervisor): string {
  return JSON.stringify(message) + "\n";
}

/** A control message from a child, checked: a known message, or undefined. */
export function readToSupervisor(value: unknown): ToSupervisor | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === "synced" && ["added", "changed", "retired", "errors"].every((k) => Number.isSafeInteger(m[k]))) {
    return { type: "synced", added: m.added as number, changed: m.changed as number, retired: m.retired as number, errors: m.errors as number };
  }
  const snapshot = m.type === "metrics" ? readSnapshot(m.snapshot) : undefined;
  return snapshot ? { type: "metrics", snapshot } : undefined;
}

/** Reads JSON lines a child sends on the control pipe (fd 3); anything that is not a known message goes to `bad` (logged). */
export function supervisorReader(onMessage: (m: ToSupervisor) => void, bad: (line: string) => void): (chunk: Buffer | string) => void {
  return streamLines((line) => {
    const m = readToSupervisor(parse(line));
    if (m) onMessage(m);
    else bad(line);
  });
}

/** Reads what the supervisor sends on stdin. */
export function childReader(onMessage: (m: ToChild) => void, bad: (line: string) => void = () => {}): (chunk: Buffer | string) => void {
  return streamLines((line) => {
    const m = parse(line);
    if (m && (m.type === "rebuild" || m.type === "stop")) onMessage({ type: m.type });
    else bad(line);
  });
}

function parse(line: string): { type?: unknown } | undefined {
  try {
    const m: unknown = JSON.parse(line);
    return typeof m === "object" && m !== null ? (m as { type?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a stream into text lines (for forwarding a child's output); a line longer than `max` characters is cut into pieces. */
export function streamLines(onLine: (line: string) => void, max = MAX_LINE_BYTES): (chunk: Buffer | string) => void {
  let buffer = "";
  return (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    while (buffer.length > max) {
      lines.push(buffer.slice(0, max));
      buffer = buffer.slice(max);
    }
    for (const line of lines) if (line.trim()) onLine(line.length > max ? line.slice(0, max) + " …(cut)" : line);
  };
}
