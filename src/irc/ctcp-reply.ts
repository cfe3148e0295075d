// Answers to the CTCP requests a bot is expected to answer; others get none.
// CTCP replies are automatic, so they have their own small allowance (all
// users together) and wait behind task output like any other reply: a CTCP
// flood can neither delay a due task's line nor make the bot flood.
import { sanitizeText } from "./sanitize.ts";
import { TokenBuckets } from "./token-bucket.ts";

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

export class CtcpResponder {
  readonly #allowance: TokenBuckets | null;
  readonly #version: string;

  /** `perMinute` replies at most (a burst of up to 3); 0 answers none. */
  constructor(perMinute: number, version: string, now?: () => number) {
    this.#version = version;
    this.#allowance = perMinute > 0 ? new TokenBuckets({ burst: Math.min(3, Math.ceil(perMinute)), perSecond: perMinute / 60, now }) : null;
  }

  /** The reply line to send, or null (not answered, or the allowance is spent). */
  answer(type: string, nick: string, message: string): string | null {
    const reply = ctcpReply(type, nick, message, this.#version);
    if (reply === null || !this.#allowance) return null;
    return this.#allowance.take("ctcp") === 1 ? reply : null;
  }
}
