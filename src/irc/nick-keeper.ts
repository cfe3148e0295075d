// The bot's nick: registering under an alternate when the configured one is
// taken, and taking the configured one back as soon as it is free (a QUIT or
// NICK from its holder, MONITOR where the server offers it, else polling), so
// that users and services find the bot where they expect it.
import type { Client, IrcMessage } from "irc-framework";
import type { IrcConnectionConfig } from "./connection-config.ts";
import type { Logger } from "./logger-types.ts";
import type { SendQueue } from "./send-queue.ts";
import { targetProblem } from "./sanitize.ts";

const NICK_ERRORS = new Set(["432", "433", "436", "437"]);

export class NickKeeper {
  readonly #wanted: string;
  readonly #candidates: string[];
  readonly #log: Logger;
  readonly #queue: Pick<SendQueue, "enqueueControl">;
  readonly #isRegistered: () => boolean;
  readonly #regainMs: number;
  #nick: string;
  #attempt = 0;
  #regainTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    bot: Pick<IrcConnectionConfig, "nick" | "altNicks">,
    logger: Logger,
    queue: Pick<SendQueue, "enqueueControl">,
    isRegistered: () => boolean,
    regainMs = 30_000,
  ) {
    this.#wanted = bot.nick;
    const alts = bot.altNicks.length > 0 ? bot.altNicks : [`${bot.nick}_`];
    this.#candidates = [bot.nick, ...alts.filter((n) => targetProblem(n) === null)];
    this.#nick = bot.nick;
    this.#log = logger;
    this.#queue = queue;
    this.#isRegistered = isRegistered;
    this.#regainMs = regainMs;
  }

  get nick(): string {
    return this.#nick;
  }

  /** The nick to register with. */
  get first(): string {
    return this.#candidates[0] ?? this.#wanted;
  }

  /** Our nick may change (regain) before a queued line leaves: the longest it can be. */
  get longest(): number {
    return Math.max(this.#nick.length, ...this.#candidates.map((n) => n.length));
  }

  isSelf(client: Client, nick: string): boolean {
    return client.caseCompare(nick, this.#nick);
  }

  connecting(): void {
    this.#attempt = 0;
    this.#nick = this.#wanted;
  }

  registered(client: Client, nick: string): void {
    this.#nick = nick;
    if (!client.caseCompare(nick, this.#wanted)) {
      this.#regainTimer = setInterval(() => this.#regain(), this.#regainMs);
    }
  }

  disconnected(): void {
    this.#stopPolling();
  }

  onNick(client: Client, oldNick: string, newNick: string): void {
    if (client.caseCompare(oldNick, this.#nick)) {
      // A malformed NICK for us (no new nick, or one no server would give) is
      // ignored: believing it would leave every command addressed to a nick
      // that is not ours, or no nick at all.
      if (typeof newNick !== "string" || targetProblem(newNick) !== null) {
        this.#log.warn("ignored a NICK change for the bot to an invalid nick", { nick: String(newNick) });
        return;
      }
      this.#nick = newNick;
      this.#log.info("nick changed", { nick: newNick });
      if (client.caseCompare(newNick, this.#wanted)) this.#stopPolling();
    } else {
      this.#regainIfFreed(client, oldNick);
    }
  }

  onQuit(client: Client, nick: string): void {
    this.#regainIfFreed(client, nick);
  }

  onRaw(client: Client, msg: IrcMessage): void {
    const cmd = msg.command;
    if (cmd === "731" && this.#isRegistered() && this.#nick !== this.#wanted) {
      // MONITOR: a watched nick went offline.
      const nicks = (msg.params[1] ?? "").split(",").map((m) => m.split("!")[0] ?? "");
      if (nicks.some((n) => client.caseCompare(n, this.#wanted))) this.#regain();
    } else if ((cmd === "376" || cmd === "422") && this.#isRegistered() && this.#nick !== this.#wanted) {
      // After the MOTD ISUPPORT is known: watch the wanted nick where the server can.
      if (client.network.supports("MONITOR")) this.#queue.enqueueControl(`MONITOR + ${this.#wanted}`);
    } else if (NICK_ERRORS.has(cmd) && !this.#isRegistered()) {
      this.#next(client, msg.params[1] ?? "");
    }
  }

  #next(client: Client, refused: string): void {
    this.#attempt++;
    let next = this.#candidates[this.#attempt];
    if (!next) {
      // Every configured nick is taken: a numbered one rather than never registering.
      next = `${this.#wanted.slice(0, 12)}${Math.floor(1000 + Math.random() * 9000)}`;
    }
    this.#log.warn("nick unavailable, trying another", { refused, next });
    this.#nick = next;
    client.changeNick(next);
  }

  #stopPolling(): void {
    if (this.#regainTimer) clearInterval(this.#regainTimer);
    this.#regainTimer = null;
  }

  #regainIfFreed(client: Client, nick: string): void {
    if (this.#nick !== this.#wanted && client.caseCompare(nick, this.#wanted)) this.#regain();
  }

  #regain(): void {
    if (!this.#isRegistered() || this.#nick === this.#wanted) return;
    // One attempt in flight at a time is enough.
    this.#queue.enqueueControl(`NICK ${this.#wanted}`);
  }
}
