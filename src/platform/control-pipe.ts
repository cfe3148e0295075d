// The child's end of the control channel (see spawn-process.ts). Under a Bun
// supervisor it is Bun's IPC channel (process.send). Elsewhere it is file
// descriptor 3, a pipe the supervisor opens next to stdin/stdout/stderr:
// Bun and Node write to it directly; Deno's fs cannot address a raw fd it did
// not open, but its node:net Socket can. Either way nothing a plugin prints
// on stdout can pose as a control message.
import { writeSync } from "node:fs";
import { Socket } from "node:net";
import { runtime } from "./runtime.ts";
import { CONTROL_FD } from "./spawn-process.ts";

/** A writer for control messages; sends fail silently once the supervisor is gone (stdin's end-of-file stops the child). */
export function openControlWriter(fd = CONTROL_FD): (message: object) => void {
  const send = (process as { send?: (message: unknown) => unknown }).send;
  if (typeof send === "function") {
    // Only this writer keeps it: plugins share the process, and Bun's parent reads
    // each IPC message whole, so a plugin's process.send (or a library's "ready"
    // to its parent) could put any amount on the supervisor's channel and in its
    // memory, where fd 3 lines are cut at 64 KiB. Nor may they close it
    // (process.disconnect): the bot's syncs and counters would stop reaching the
    // supervisor without a word.
    Object.assign(process, { send: undefined, disconnect: undefined });
    return (message) => {
      try {
        send.call(process, message);
      } catch {
        // the channel closed with the supervisor: nothing to tell
      }
    };
  }
  const line = (message: object) => JSON.stringify(message) + "\n";
  if (runtime === "deno") {
    let socket: Socket | undefined;
    try {
      socket = new Socket({ fd, readable: false, writable: true });
      socket.on("error", () => {});
      socket.unref();
    } catch {
      return () => {};
    }
    return (message) => void socket!.write(line(message));
  }
  return (message) => {
    try {
      writeSync(fd, line(message));
    } catch {
      // no supervisor reading (closed pipe or not supervised): nothing to tell
    }
  };
}
