// PRIVMSG/NOTICE/ACTION lines cut so that each still fits in 512 bytes after
// the server has put our `nick!user@host` in front of it for the receivers.
// Until the server has shown us our own user and host, the longest they could
// be is assumed, so no line is ever cut off by the server.
//
// A long text is split at spaces, and the piece after a break would be text
// the sender chose: `A×440 !op mallory` would put `!op mallory` at the start
// of a line, where other bots and services' fantasy commands act on it. So
// every continuation line starts with a fixed marker instead.
import type { TextCommand } from "./transport.ts";
import { textLines } from "./sanitize.ts";
import { maxTextBytes, splitText, utf8Length } from "./split-text.ts";

/** What begins every line after the first of a text that had to be split. */
export const CONTINUATION = "\u2026 ";
const CONTINUATION_BYTES = utf8Length(CONTINUATION);

// Worst-case lengths of our user and host part before the server has told us ours.
const USERLEN_GUESS = 11;
const HOSTLEN_GUESS = 63;

export class MessageLines {
  readonly #nickLength: () => number;
  #user: string | null = null;
  #host: string | null = null;

  /** `nickLength`: the longest our nick may be when the line leaves. */
  constructor(nickLength: () => number) {
    this.#nickLength = nickLength;
  }

  /** Our user and host as the server shows them (from our own JOIN); empty values are ignored. */
  learnSelf(user: string, host: string): void {
    if (user) this.#user = user;
    if (host) this.#host = host;
  }

  /** The lines that send `command`, its target already checked. */
  lines(command: TextCommand): string[] {
    const verb = command.kind === "notice" ? "NOTICE" : "PRIVMSG";
    const wrapBytes = command.kind === "action" ? 9 : 0;
    const max = maxTextBytes({
      nick: "n".repeat(this.#nickLength()),
      user: this.#user ?? "u".repeat(USERLEN_GUESS),
      host: this.#host ?? "h".repeat(HOSTLEN_GUESS),
      command: verb,
      target: command.target,
      wrapBytes,
    });
    const out: string[] = [];
    for (const line of textLines(command.text)) {
      const pieces = utf8Length(line) <= max ? [line] : splitText(line, max - CONTINUATION_BYTES);
      pieces.forEach((piece, i) => {
        const body = i === 0 ? piece : CONTINUATION + piece;
        const text = command.kind === "action" ? `\x01ACTION ${body}\x01` : body;
        out.push(`${verb} ${command.target} :${text}`);
      });
    }
    return out;
  }
}
