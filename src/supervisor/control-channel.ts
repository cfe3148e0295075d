// The supervisor and a bot child talk in JSON lines: supervisor → child on the
// child's stdin, child → supervisor on the child's stdout (logs go to stderr).
// Plain pipes work the same on Bun, Deno and Node, and when the supervisor dies
// the child sees end-of-file on stdin and shuts down: no orphan keeps a nick.

export type ToChild = { type: "rebuild" } | { type: "stop" };
export type ToSupervisor = { type: "ready" } | { type: "synced"; added: number; changed: number; retired: number; errors: number };

export function encode(message: ToChild | ToSupervisor): string {
  return JSON.stringify(message) + "\n";
}

/** Splits a byte stream into lines and hands each parsed message on; other lines go to `other`. */
export function lineReader<T>(onMessage: (m: T) => void, other: (line: string) => void = () => {}): (chunk: Buffer | string) => void {
  return textLines((line) => {
    if (!line.trim()) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return other(line);
    }
    // A plugin printing JSON of its own is output, not a control message.
    if (typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string") onMessage(message as T);
    else other(line);
  });
}

/** Splits a stream into text lines (for forwarding a child's log). */
export function textLines(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let buffer = "";
  return (chunk) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line) onLine(line);
  };
}
