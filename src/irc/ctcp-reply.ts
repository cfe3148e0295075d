// Answers to the CTCP requests a bot is expected to answer; others get none.
import { sanitizeText } from "./sanitize.ts";

/** The NOTICE that answers a CTCP `type` request from `nick`, or null for requests we ignore. */
export function ctcpReply(type: string, nick: string, message: string, version: string): string | null {
  switch (type.toUpperCase()) {
    case "VERSION":
      return `NOTICE ${nick} :\x01VERSION ${sanitizeText(version)}\x01`;
    case "PING":
      return `NOTICE ${nick} :\x01PING ${sanitizeText(message.slice(5)).slice(0, 64)}\x01`;
    default:
      return null;
  }
}
