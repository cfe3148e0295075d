// The child's end of the control channel: file descriptor 3, a pipe the
// supervisor opens next to stdin/stdout/stderr. Keeping control messages off
// stdout means nothing a plugin prints can pose as one. Each runtime reaches
// an inherited descriptor its own way: Bun (and Node) write to it directly;
// Deno's fs cannot address a raw fd it did not open, but its node:net Socket can.
import { writeSync } from "node:fs";
import { Socket } from "node:net";
import { runtime } from "./runtime.ts";

/** The descriptor the supervisor passes for child → supervisor messages. */
export const CONTROL_FD = 3;

/** The `stdio` layout of a supervised child: stdin (supervisor → child), stdout, stderr, control (child → supervisor). */
export const CHILD_STDIO = ["pipe", "pipe", "pipe", "pipe"] as const;

/** A writer for the control descriptor; writes fail silently once the supervisor is gone (stdin's end-of-file stops the child). */
export function openControlWriter(fd = CONTROL_FD): (text: string) => void {
  if (runtime === "deno") {
    let socket: Socket | undefined;
    try {
      socket = new Socket({ fd, readable: false, writable: true });
      socket.on("error", () => {});
      socket.unref();
    } catch {
      return () => {};
    }
    return (text) => void socket!.write(text);
  }
  return (text) => {
    try {
      writeSync(fd, text);
    } catch {
      // no supervisor reading (closed pipe or not supervised): nothing to tell
    }
  };
}
