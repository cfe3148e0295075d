// From a message to a command run: parse, limit, check admin rights, run,
// and answer within the user's budget. What users can make the bot say is
// bounded here (the send queue bounds the total):
//
// - commands per user (RateLimiter) and reply lines per user (ReplyBudget),
//   keyed by account or host, so changing nick resets nothing;
// - a reply longer than what is left is cut, with one notice saying so;
// - automatic answers (unknown command in private, refusals) are NOTICEs, at
//   most one a minute per user, and NOTICEs are never answered: two bots
//   cannot keep each other talking.
import type { ReplyLimits } from "../irc/connection-config.ts";
import type { Logger } from "../log/logger.ts";
import type { IncomingMessage, Sender, Transport } from "../irc/transport.ts";
import type { CommandDefinition } from "../modules/module-types.ts";
import { TokenBuckets } from "../irc/token-bucket.ts";
import { parseCommand, type ParsedCommand } from "./command-parse.ts";
import { isAdmin, isAdminByAccount, isAdminByMask } from "./admin-check.ts";
import { RateLimiter, ReplyBudget, userKey } from "./rate-limiter.ts";
import { CommandLanes } from "./command-lanes.ts";

export interface RouterOptions {
  prefix: string;
  admins: readonly string[];
  replies: ReplyLimits;
  transport: Pick<Transport, "nick" | "reply" | "verifyAccount" | "caseFold">;
  command(name: string): (CommandDefinition & { module: string }) | undefined;
  log: Logger;
  now?: () => number;
  /** How long a user's command waits for their previous one (default LANE_WAIT_MS). */
  laneWaitMs?: number;
}

/** Longest command name echoed back in "unknown command". */
const ECHO_MAX = 32;

export class CommandRouter {
  readonly #o: RouterOptions;
  readonly #commands: RateLimiter;
  readonly #lines: ReplyBudget;
  readonly #notices: TokenBuckets;
  readonly #lanes: CommandLanes;

  constructor(opts: RouterOptions) {
    this.#o = opts;
    this.#lanes = new CommandLanes(opts.laneWaitMs);
    const now = opts.now ?? Date.now;
    this.#commands = new RateLimiter(opts.replies.commands, opts.replies.commandsPerMinute / 60, now);
    this.#lines = new ReplyBudget(opts.replies, now);
    this.#notices = new TokenBuckets({ burst: 1, perSecond: 1 / 60, now });
  }

  isAdmin(sender: Sender): boolean {
    return isAdmin(sender, this.#o.admins, this.#fold);
  }

  async handle(m: IncomingMessage): Promise<void> {
    const t = this.#o.transport;
    // Never answer notices (RFC 2812: that is how bots avoid loops), nor ourselves.
    if (m.kind === "notice" || this.#fold(m.nick) === this.#fold(t.nick)) return;
    const cmd = parseCommand(m.text, this.#o.prefix, t.nick, m.isPrivate);
    if (!cmd) return;
    const key = userKey(m, this.#fold);
    const def = this.#o.command(cmd.name);
    if (!def) {
      // In a channel an unknown command may be another bot's; in private, help the user once a minute.
      if (m.isPrivate) this.#autoNotice(m, key, `unknown command '${cmd.name.slice(0, ECHO_MAX)}'; try 'help'`);
      return;
    }
    const who = `${m.nick}!${m.ident}@${m.hostname}`;
    // Admitted on arrival (so a flood queues at most the command burst), run in the user's lane.
    if (!this.#admitted(m, key, who, cmd.name)) return;
    return this.#lanes.run(key, () => this.#run(m, key, who, cmd, def));
  }

  async #run(m: IncomingMessage, key: string, who: string, cmd: ParsedCommand, def: CommandDefinition & { module: string }): Promise<void> {
    const admin = await this.#adminNow(m);
    if (def.admin && !admin) {
      this.#log("refused admin command", { command: cmd.name, from: who, account: m.account });
      const as = m.account ? `account '${m.account}' and ` : "";
      this.#autoNotice(m, key, `${m.nick}: '${cmd.name}' is for admins of this bot, and ${as}${who} is not one.`);
      return;
    }
    // Lines cut while the command runs are announced once at its end; later (async) ones at once.
    let running = true;
    let withheld = 0;
    const reply = (text: string) => {
      const cut = this.#reply(m, key, text);
      if (running) withheld += cut;
      else this.#tellWithheld(m, key, cut);
    };
    try {
      await def.run({ message: m, args: cmd.args, rest: cmd.rest, reply, isAdmin: admin });
    } catch (error) {
      this.#o.log.error(`command '${cmd.name}' failed`, { module: def.module, error });
      reply(`${m.nick}: '${cmd.name}' failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
      this.#tellWithheld(m, key, withheld);
    }
  }

  /** Whether the user may run a command now (commands and reply lines left); tells them once if not. */
  #admitted(m: IncomingMessage, key: string, who: string, name: string): boolean {
    const limit = this.#commands.take(key);
    if (limit !== "ok") {
      this.#log("rate-limited commands", { from: who, command: name });
      if (limit === "limited") {
        const { commands, commandsPerMinute } = this.#o.replies;
        this.#notice(m, `${m.nick}: slow down, please: at most ${commands} commands at once, then ${commandsPerMinute} a minute.`);
      }
      return false;
    }
    if (this.#lines.available(key) >= 1) return true;
    this.#log("reply budget spent", { from: who, command: name });
    if (this.#lines.firstRefusal(key)) {
      this.#notice(m, `you have had your share of replies (${this.#lines.describe()}); try again in ${this.#lines.secondsUntilLine(key)} s.`);
    }
    return false;
  }

  /** Admin rights as of now: a mask match, or an account the server confirms (WHOIS without account-tag). */
  async #adminNow(m: IncomingMessage): Promise<boolean> {
    const { admins } = this.#o;
    if (isAdminByMask(m, admins, this.#fold)) return true;
    if (!isAdminByAccount(m.account, admins, this.#fold)) return false;
    const confirmed = await this.#o.transport.verifyAccount(m.nick);
    if (isAdminByAccount(confirmed, admins, this.#fold)) return true;
    this.#log("services account not confirmed by the server", { nick: m.nick, cached: m.account, server: confirmed });
    return false;
  }

  /** A reply within the user's line budget; returns the lines that did not fit. */
  #reply(m: IncomingMessage, key: string, text: string): number {
    const left = this.#lines.available(key);
    const total = this.#o.transport.reply({ kind: "privmsg", target: m.replyTarget, text }, left);
    this.#lines.spend(key, Math.min(total, left));
    return Math.max(0, total - left);
  }

  /** Says once per spell of an empty budget that lines were not sent, and why. */
  #tellWithheld(m: IncomingMessage, key: string, lines: number): void {
    if (lines <= 0) return;
    this.#log("reply cut to the user's budget", { nick: m.nick, withheld: lines });
    if (!this.#lines.firstRefusal(key)) return;
    this.#notice(m, `${lines} more ${lines === 1 ? "line" : "lines"} not sent: replies to you are limited to ${this.#lines.describe()}.`);
  }

  /** An automatic answer: at most one a minute per user, and only within the line budget. */
  #autoNotice(m: IncomingMessage, key: string, text: string): void {
    if (this.#notices.take(key) !== 1 || this.#lines.available(key) < 1) return;
    this.#lines.spend(key, this.#notice(m, text));
  }

  /** One NOTICE to the user (never to a channel); returns the lines it took. */
  #notice(m: IncomingMessage, text: string): number {
    return Math.min(1, this.#o.transport.reply({ kind: "notice", target: m.nick, text }, 1));
  }

  #log(msg: string, fields: Record<string, unknown>): void {
    this.#o.log.warn(msg, fields);
  }

  #fold = (s: string): string => this.#o.transport.caseFold(s);
}
