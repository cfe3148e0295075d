// The channels the bot should be in, joined again on every connection. The
// outbox is held until those joins have settled, because a message queued
// for a channel while disconnected would otherwise reach the server before
// the JOIN and be refused (+n).
import type { Client, IrcMessage } from "irc-framework";
import type { Logger } from "./logger-types.ts";
import type { SendQueue } from "./send-queue.ts";
import { sanitizeText, targetProblem } from "./sanitize.ts";

const JOIN_ERRORS = new Set(["403", "405", "437", "471", "473", "474", "475", "476", "477", "479", "489", "520"]);

export class ChannelJoiner {
  /** Channels to be in, keyed by lower-cased name. */
  readonly #channels = new Map<string, string>();
  readonly #log: Logger;
  readonly #queue: Pick<SendQueue, "enqueueControl" | "setMode">;
  readonly #isRegistered: () => boolean;
  readonly #timeoutMs: number;
  #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #rejoins = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #rejoinDelayMs: number;

  constructor(
    channels: readonly string[],
    logger: Logger,
    queue: Pick<SendQueue, "enqueueControl" | "setMode">,
    isRegistered: () => boolean,
    timeoutMs = 10_000,
    rejoinDelayMs = 5_000,
  ) {
    this.#rejoinDelayMs = rejoinDelayMs;
    this.#log = logger;
    this.#queue = queue;
    this.#isRegistered = isRegistered;
    this.#timeoutMs = timeoutMs;
    for (const ch of channels) {
      const problem = targetProblem(ch);
      if (problem) this.#log.warn("ignoring invalid channel name", { channel: ch, problem });
      else this.#channels.set(ch.toLowerCase(), ch);
    }
  }

  join(channel: string): void {
    const problem = targetProblem(channel);
    if (problem) {
      this.#log.warn("refused to join an invalid channel name", { channel, problem });
      return;
    }
    this.#channels.set(channel.toLowerCase(), channel);
    if (this.#isRegistered()) this.#queue.enqueueControl(`JOIN ${channel}`);
  }

  part(channel: string, reason: string | undefined): void {
    const problem = targetProblem(channel);
    if (problem) {
      this.#log.warn("refused to part an invalid channel name", { channel, problem });
      return;
    }
    this.#channels.delete(channel.toLowerCase());
    if (this.#isRegistered()) {
      const suffix = reason ? ` :${sanitizeText(reason)}` : "";
      this.#queue.enqueueControl(`PART ${channel}${suffix}`);
    }
  }

  /** Joins every channel and opens the outbox once they have settled (or after the timeout). */
  rejoin(): void {
    this.#pending = new Set(this.#channels.keys());
    for (const line of joinLines([...this.#channels.values()])) this.#queue.enqueueControl(line);
    if (this.#pending.size === 0) {
      this.#queue.setMode("open");
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#pending.size > 0) {
        this.#log.warn("channels not joined in time; sending queued messages anyway", { channels: [...this.#pending] });
        this.#pending.clear();
      }
      if (this.#isRegistered()) this.#queue.setMode("open");
    }, this.#timeoutMs);
  }

  joined(channel: string): void {
    this.#settled(channel.toLowerCase());
  }

  /** Takes in a refused JOIN; true when `msg` was one. */
  onRaw(client: Client, msg: IrcMessage): boolean {
    const arg = msg.params[1] ?? "";
    if (!JOIN_ERRORS.has(msg.command) || !client.network.isChannelName(arg)) return false;
    this.#log.warn("could not join channel", { channel: arg, numeric: msg.command, message: msg.params[msg.params.length - 1] });
    this.#settled(arg.toLowerCase());
    return true;
  }

  /**
   * After a kick, tries to rejoin a channel it is meant to be in once a short
   * pause has passed (an immediate rejoin reads as defiance and trips
   * anti-rejoin bans); a refusal is logged like any failed JOIN.
   */
  kicked(channel: string): void {
    const key = channel.toLowerCase();
    const wanted = this.#channels.get(key);
    if (!wanted || this.#rejoins.has(key)) return;
    this.#log.info(`rejoining in ${this.#rejoinDelayMs / 1000} s`, { channel: wanted });
    this.#rejoins.set(
      key,
      setTimeout(() => {
        this.#rejoins.delete(key);
        if (this.#isRegistered() && this.#channels.has(key)) this.#queue.enqueueControl(`JOIN ${wanted}`);
      }, this.#rejoinDelayMs),
    );
  }

  disconnected(): void {
    this.#stopWaiting();
    // Every wanted channel is joined again on the next registration anyway.
    for (const t of this.#rejoins.values()) clearTimeout(t);
    this.#rejoins.clear();
  }

  #settled(key: string): void {
    if (!this.#pending.delete(key) || this.#pending.size > 0) return;
    this.#stopWaiting();
    if (this.#isRegistered()) this.#queue.setMode("open");
  }
  #stopWaiting(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** JOIN lines for `channels`, several per line but each line well under 512 bytes. */
function joinLines(channels: string[]): string[] {
  const lines: string[] = [];
  let cur: string[] = [];
  let len = 0;
  for (const ch of channels) {
    if (cur.length > 0 && len + ch.length + 1 > 400) {
      lines.push(`JOIN ${cur.join(",")}`);
      cur = [];
      len = 0;
    }
    cur.push(ch);
    len += ch.length + 1;
  }
  if (cur.length > 0) lines.push(`JOIN ${cur.join(",")}`);
  return lines;
}
