// irc-framework trusts the server: a line with parameters missing (a 900
// without its mask, a CHGHOST without a host…) makes one of its handlers
// throw inside the socket's data callback, which ends the process, and a
// "line" that never ends grows its read buffer without limit. A broken or
// hostile server must cost at most that line: each incoming line is handled
// under a guard (the throw is logged, the line dropped, the connection kept),
// and a partial line beyond MAX_PARTIAL_BYTES ends the connection.
import type { Client } from "irc-framework";
import type { Logger } from "./logger-types.ts";

/** IRC lines are 512 bytes, 8 KiB more with message tags; anything near this is not IRC. */
export const MAX_PARTIAL_BYTES = 64 * 1024;
const LOG_EVERY_MS = 10_000;

interface Internals {
  addReadBuffer(line: string): void;
  transport?: { incoming_buffer?: { length: number }; socket?: { on(e: "data", fn: () => void): void } };
}

export function guardLines(client: Client, log: Logger, close: (reason: string) => void): void {
  const conn = client.connection as unknown as Internals;
  const handle = conn.addReadBuffer.bind(conn);
  let dropped = 0;
  let lastLog = -Infinity;
  conn.addReadBuffer = (line: string) => {
    try {
      handle(line);
    } catch (error) {
      dropped++;
      const now = Date.now();
      if (now - lastLog < LOG_EVERY_MS) return;
      lastLog = now;
      log.warn("ignored a line from the server that could not be handled", {
        line: String(line).slice(0, 200),
        error: String(error),
        droppedSinceLastWarning: dropped,
      });
      dropped = 0;
    }
  };
  client.connection.on("socket connected", () => {
    const transport = conn.transport;
    transport?.socket?.on("data", () => {
      const pending = transport.incoming_buffer?.length ?? 0;
      if (pending > MAX_PARTIAL_BYTES) close(`the server sent a line over ${MAX_PARTIAL_BYTES} bytes without an end`);
    });
  });
}
