// The real IRC connection: irc-framework underneath, with what it lacks added
// here: an outer reconnect loop that also covers a failed first connect,
// flood control and an outbox kept while disconnected (SendQueue), CR/LF
// neutralised in everything sent, alternate nicks and nick regain, and the
// services account of each sender.
import IRC from "irc-framework";
import type { Client, ClientOptions, IrcMessage, MessageEvent } from "irc-framework";
import type { BotConfig } from "../config/config-types.ts";
import type { OutgoingCommand, Transport, TransportEvents, TransportSink } from "./transport.ts";
import type { Logger } from "./logger-types.ts";
import { SendQueue, type QueueClock } from "./send-queue.ts";
import { sanitizeText, targetProblem, textLines } from "./sanitize.ts";
import { maxTextBytes, splitText } from "./split-text.ts";
import { readClientCertificate } from "./client-certificate.ts";

export interface IrcTransportOptions {
  /** Reconnect backoff: `minMs` doubling to `maxMs` (with jitter); reset after `stableMs` registered. */
  reconnect?: { minMs?: number; maxMs?: number; stableMs?: number };
  /** How often to try to take back the configured nick while using another (default 30 s). */
  nickRegainMs?: number;
  /** Longest wait for channel JOINs before the outbox is released anyway (default 10 s). */
  joinTimeoutMs?: number;
  /** Longest wait from connecting to registration before the attempt is abandoned (default 60 s). */
  registrationTimeoutMs?: number;
  /** Client certificate (PEM) for SASL EXTERNAL / CertFP. */
  clientCertificate?: { certificate: string; privateKey: string };
  /** CTCP VERSION reply. */
  version?: string;
  clock?: QueueClock;
}

// WHOX reply token: any 1-3 digit number irc-framework does not use for its own
// WHO requests (it counts up from 1 and ignores replies with unknown tokens).
const WHOX_TOKEN = "745";
const JOIN_ERRORS = new Set(["403", "405", "437", "471", "473", "474", "475", "476", "477", "479", "489", "520"]);
const NICK_ERRORS = new Set(["432", "433", "436", "437"]);
// Worst-case lengths of our user and host part before the server has told us ours.
const USERLEN_GUESS = 11;
const HOSTLEN_GUESS = 63;

type Account = string | null;

export class IrcTransport implements Transport {
  readonly #bot: BotConfig;
  readonly #log: Logger;
  readonly #opts: IrcTransportOptions;
  readonly #queue: SendQueue;
  readonly #wanted: string;
  readonly #candidates: string[];
  /** Channels to be in, keyed by lower-cased name. */
  readonly #channels = new Map<string, string>();

  #sink: TransportSink | null = null;
  #client: Client | null = null;
  #stopping = false;
  #registered = false;
  #registeredAt = 0;
  #nick: string;
  #nickAttempt = 0;
  #attempt = 0;
  #lastReason = "";
  #selfUser: string | null = null;
  #selfHost: string | null = null;
  #pendingJoins = new Set<string>();
  #accounts = new Map<string, Account>();
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #registrationTimer: ReturnType<typeof setTimeout> | null = null;
  #joinTimer: ReturnType<typeof setTimeout> | null = null;
  #regainTimer: ReturnType<typeof setInterval> | null = null;

  constructor(bot: BotConfig, logger: Logger, options: IrcTransportOptions = {}) {
    this.#bot = bot;
    this.#log = logger;
    this.#opts = { ...options, clientCertificate: options.clientCertificate ?? readClientCertificate(bot.server) };
    this.#wanted = bot.nick;
    const alts = bot.altNicks.length > 0 ? bot.altNicks : [`${bot.nick}_`];
    this.#candidates = [bot.nick, ...alts.filter((n) => targetProblem(n) === null)];
    this.#nick = bot.nick;
    for (const ch of bot.channels) {
      const problem = targetProblem(ch);
      if (problem) this.#log.warn("ignoring invalid channel name", { channel: ch, problem });
      else this.#channels.set(ch.toLowerCase(), ch);
    }
    this.#queue = new SendQueue({
      flood: bot.flood,
      outboxLimit: bot.outboxLimit,
      logger,
      clock: options.clock,
      write: (line) => this.#writeLine(line),
    });
  }

  get nick(): string {
    return this.#nick;
  }

  get connected(): boolean {
    return this.#registered && (this.#client?.connected ?? false);
  }

  /** Lines waiting to be sent (both lanes). */
  get pending(): number {
    return this.#queue.size;
  }

  /** Resolves true once everything queued has been sent, false after `timeoutMs`. */
  async whenIdle(timeoutMs = 10_000): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = this.#queue.whenIdle().then(() => true);
    const result = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return result;
  }

  start(sink: TransportSink): void {
    if (this.#sink) return;
    this.#sink = sink;
    const { server } = this.#bot;
    if (server.tls && !server.verifyTls) {
      this.#log.warn("TLS certificate verification is turned off: the server's identity is not checked", {
        host: server.host,
      });
    }
    if (!server.tls && (this.#bot.sasl?.mechanism === "PLAIN" || server.password)) {
      this.#log.warn("sending a password over a connection without TLS", { host: server.host });
    }
    this.#connect();
  }

  async stop(reason: string): Promise<void> {
    this.#stopping = true;
    this.#clearTimers();
    this.#clearConnectionTimers();
    this.#queue.clear();
    this.#queue.setMode("offline");
    const client = this.#client;
    this.#client = null;
    this.#registered = false;
    if (!client) return;
    if (client.connected) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const closed = new Promise<void>((resolve) => {
        client.once("close", () => resolve());
        timer = setTimeout(resolve, 2000);
      });
      client.quit(sanitizeText(reason));
      await closed;
      clearTimeout(timer);
    }
    // Whatever state it is in (connecting, half-closed), the socket goes now.
    client.connection.end(null, true);
    client.removeAllListeners();
    this.#log.info("disconnected", { reason: "stopped" });
  }

  send(command: OutgoingCommand): void {
    try {
      this.#send(command);
    } catch (error) {
      this.#log.error("could not queue an outgoing command", { kind: command?.kind, error: String(error) });
    }
  }

  #send(command: OutgoingCommand): void {
    switch (command.kind) {
      case "privmsg":
      case "notice":
      case "action": {
        const problem = targetProblem(command.target);
        if (problem) {
          this.#log.warn("dropped a message to an invalid target", { target: command.target, problem });
          return;
        }
        const verb = command.kind === "notice" ? "NOTICE" : "PRIVMSG";
        const wrap = command.kind === "action" ? 9 : 0;
        const max = this.#maxTextBytes(verb, command.target, wrap);
        for (const line of textLines(command.text)) {
          for (const piece of splitText(line, max)) {
            const text = command.kind === "action" ? `\x01ACTION ${piece}\x01` : piece;
            this.#queue.enqueue(`${verb} ${command.target} :${text}`);
          }
        }
        return;
      }
      case "join": {
        const problem = targetProblem(command.channel);
        if (problem) {
          this.#log.warn("refused to join an invalid channel name", { channel: command.channel, problem });
          return;
        }
        this.#channels.set(command.channel.toLowerCase(), command.channel);
        if (this.#registered) this.#queue.enqueueControl(`JOIN ${command.channel}`);
        return;
      }
      case "part": {
        const problem = targetProblem(command.channel);
        if (problem) {
          this.#log.warn("refused to part an invalid channel name", { channel: command.channel, problem });
          return;
        }
        this.#channels.delete(command.channel.toLowerCase());
        if (this.#registered) {
          const reason = command.reason ? ` :${sanitizeText(command.reason)}` : "";
          this.#queue.enqueueControl(`PART ${command.channel}${reason}`);
        }
        return;
      }
    }
  }

  #maxTextBytes(command: string, target: string, wrapBytes: number): number {
    // Our nick may change (regain) before the line leaves: count the longest.
    const nickLen = Math.max(this.#nick.length, ...this.#candidates.map((n) => n.length));
    return maxTextBytes({
      nick: "n".repeat(nickLen),
      user: this.#selfUser ?? "u".repeat(USERLEN_GUESS),
      host: this.#selfHost ?? "h".repeat(HOSTLEN_GUESS),
      command,
      target,
      wrapBytes,
    });
  }

  #writeLine(line: string): boolean {
    const client = this.#client;
    if (!client || !client.connected) return false;
    client.raw(line);
    return true;
  }

  #emit<K extends keyof TransportEvents>(event: K, payload: TransportEvents[K]): void {
    try {
      this.#sink?.(event, payload);
    } catch (error) {
      this.#log.error("event handler threw", { event, error: String(error) });
    }
  }

  // ---- connection lifecycle -------------------------------------------------

  #clientOptions(): ClientOptions {
    const { server, sasl } = this.#bot;
    const options: ClientOptions = {
      host: server.host,
      port: server.port,
      tls: server.tls,
      rejectUnauthorized: server.verifyTls,
      nick: this.#candidates[0] ?? this.#wanted,
      username: this.#bot.username,
      gecos: this.#bot.realname,
      encoding: "utf8",
      // We reconnect ourselves: irc-framework gives up after a few tries and never retries a failed first connect.
      auto_reconnect: false,
      // CTCP replies go through our flood control instead.
      version: null,
      enable_chghost: true,
      ping_interval: 30,
      ping_timeout: 120,
      // Without an explicit account irc-framework would send the server password as SASL PLAIN.
      account: {},
    };
    if (server.password) options.password = server.password;
    if (sasl?.mechanism === "PLAIN") {
      options.account = { account: sasl.account, password: sasl.password ?? "" };
      options.sasl_mechanism = "PLAIN";
    } else if (sasl?.mechanism === "EXTERNAL") {
      options.sasl_mechanism = "EXTERNAL";
    }
    const cert = this.#opts.clientCertificate;
    if (cert) options.client_certificate = { certificate: cert.certificate, private_key: cert.privateKey };
    return options;
  }

  #connect(): void {
    if (this.#stopping) return;
    const client = new IRC.Client();
    this.#client = client;
    this.#registered = false;
    this.#nickAttempt = 0;
    this.#nick = this.#wanted;
    this.#lastReason = "";
    this.#accounts.clear();
    this.#bind(client);
    const { host, port, tls } = this.#bot.server;
    this.#log.info("connecting", { host, port, tls, attempt: this.#attempt + 1 });
    const regMs = this.#opts.registrationTimeoutMs ?? 60_000;
    this.#registrationTimer = setTimeout(() => {
      if (client !== this.#client || this.#registered) return;
      this.#lastReason = `not registered within ${Math.round(regMs / 1000)} s`;
      client.connection.end(null, true);
    }, regMs);
    try {
      client.connect(this.#clientOptions());
    } catch (error) {
      this.#lastReason = String(error);
      this.#onClose(client);
    }
  }

  #onClose(client: Client): void {
    if (client !== this.#client) return;
    client.removeAllListeners();
    this.#client = null;
    const wasRegistered = this.#registered;
    this.#registered = false;
    this.#clearConnectionTimers();
    this.#queue.setMode("offline");
    const reason = this.#lastReason || "connection closed";
    if (this.#stopping) return;
    const stableMs = this.#opts.reconnect?.stableMs ?? 60_000;
    if (wasRegistered && Date.now() - this.#registeredAt >= stableMs) this.#attempt = 0;
    const delay = this.#backoff();
    if (wasRegistered) {
      this.#log.warn("disconnected", { reason, reconnectInMs: delay });
      this.#emit("disconnected", { reason });
    } else {
      this.#log.warn("connection attempt failed", { reason, reconnectInMs: delay });
    }
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect();
    }, delay);
  }

  #backoff(): number {
    const min = this.#opts.reconnect?.minMs ?? 1000;
    const max = this.#opts.reconnect?.maxMs ?? 60_000;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    // "Equal jitter": never less than half the step, so a restarted server is not hammered by every bot at once.
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  #clearConnectionTimers(): void {
    if (this.#registrationTimer) clearTimeout(this.#registrationTimer);
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    if (this.#regainTimer) clearInterval(this.#regainTimer);
    this.#registrationTimer = this.#joinTimer = this.#regainTimer = null;
  }

  #clearTimers(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  #bind(client: Client): void {
    const mine = () => client === this.#client;

    client.on("close", () => this.#onClose(client));
    client.on("socket close", (err) => {
      if (mine() && err && !this.#lastReason) this.#lastReason = err.message;
    });
    client.connection.on("message", (msg: IrcMessage) => {
      if (mine()) this.#onRaw(client, msg);
    });
    client.on("registered", (e) => {
      if (mine()) this.#onRegistered(client, e.nick);
    });
    client.on("sasl failed", (e) => {
      if (mine()) this.#log.error("SASL authentication failed", { reason: e.reason, message: e.message });
    });
    client.on("loggedin", (e) => {
      if (mine() && client.caseCompare(e.nick, this.#nick)) this.#log.info("logged in to services", { account: e.account });
    });

    client.on("privmsg", (e) => mine() && this.#onMessage(client, "privmsg", e));
    client.on("notice", (e) => mine() && this.#onMessage(client, "notice", e));
    client.on("action", (e) => mine() && this.#onMessage(client, "action", e));
    client.on("ctcp request", (e) => {
      if (!mine() || e.from_server || targetProblem(e.nick)) return;
      // Bounded: a CTCP flood must not grow our queue or get us killed for flooding.
      if (this.#queue.controlSize >= 3) return;
      const type = (e.type ?? "").toUpperCase();
      if (type === "VERSION") {
        this.#queue.enqueueControl(`NOTICE ${e.nick} :\x01VERSION ${sanitizeText(this.#opts.version ?? "Seshet")}\x01`);
      } else if (type === "PING") {
        const arg = sanitizeText(e.message.slice(5)).slice(0, 64);
        this.#queue.enqueueControl(`NOTICE ${e.nick} :\x01PING ${arg}\x01`);
      }
    });

    client.on("join", (e) => {
      if (!mine()) return;
      const self = client.caseCompare(e.nick, this.#nick);
      if (e.account !== undefined) this.#setAccount(client, e.nick, e.account || null);
      if (self) this.#onSelfJoin(client, e.channel, e.ident, e.hostname);
      this.#emit("join", { ...this.#sender(client, e), channel: e.channel });
    });
    client.on("part", (e) => {
      if (!mine()) return;
      this.#emit("part", { ...this.#sender(client, e), channel: e.channel, reason: e.message });
    });
    client.on("kick", (e) => {
      if (!mine()) return;
      if (client.caseCompare(e.kicked, this.#nick)) {
        this.#log.warn("kicked from channel", { channel: e.channel, by: e.nick, reason: e.message });
      }
      // A kick is a part the user did not choose; the kicked user's ident/host are not in the KICK line.
      this.#emit("part", {
        nick: e.kicked,
        ident: "",
        hostname: "",
        account: this.#accounts.get(client.caseLower(e.kicked)) ?? null,
        channel: e.channel,
        reason: `kicked by ${e.nick}: ${e.message}`,
      });
    });
    client.on("quit", (e) => {
      if (!mine()) return;
      this.#accounts.delete(client.caseLower(e.nick));
      if (this.#nick !== this.#wanted && client.caseCompare(e.nick, this.#wanted)) this.#regainNick();
    });
    client.on("nick", (e) => {
      if (!mine()) return;
      const oldKey = client.caseLower(e.nick);
      if (this.#accounts.has(oldKey)) {
        this.#accounts.set(client.caseLower(e.new_nick), this.#accounts.get(oldKey) ?? null);
        this.#accounts.delete(oldKey);
      }
      if (client.caseCompare(e.nick, this.#nick)) {
        this.#nick = e.new_nick;
        this.#log.info("nick changed", { nick: e.new_nick });
        if (client.caseCompare(e.new_nick, this.#wanted) && this.#regainTimer) {
          clearInterval(this.#regainTimer);
          this.#regainTimer = null;
        }
      } else if (this.#nick !== this.#wanted && client.caseCompare(e.nick, this.#wanted)) {
        this.#regainNick();
      }
    });
    client.on("account", (e) => {
      if (mine()) this.#setAccount(client, e.nick, e.account || null);
    });
  }

  #onRaw(client: Client, msg: IrcMessage): void {
    const cmd = msg.command;
    if (cmd === "ERROR") {
      this.#lastReason = msg.params[msg.params.length - 1] ?? "ERROR";
      return;
    }
    if (cmd === "354" && msg.params[1] === WHOX_TOKEN) {
      // WHO #chan %tnuhaf,token → me token user host nick flags account
      const nick = msg.params[4];
      const account = msg.params[6];
      if (nick && account !== undefined) this.#setAccount(client, nick, account === "0" ? null : account);
      return;
    }
    if (cmd === "731" && this.#registered && this.#nick !== this.#wanted) {
      // MONITOR: a watched nick went offline.
      const nicks = (msg.params[1] ?? "").split(",").map((m) => m.split("!")[0] ?? "");
      if (nicks.some((n) => client.caseCompare(n, this.#wanted))) this.#regainNick();
      return;
    }
    if ((cmd === "376" || cmd === "422") && this.#registered && this.#nick !== this.#wanted) {
      // After the MOTD ISUPPORT is known: watch the wanted nick where the server can.
      if (client.network.supports("MONITOR")) this.#queue.enqueueControl(`MONITOR + ${this.#wanted}`);
      return;
    }
    const arg = msg.params[1] ?? "";
    if (JOIN_ERRORS.has(cmd) && client.network.isChannelName(arg)) {
      this.#log.warn("could not join channel", { channel: arg, numeric: cmd, message: msg.params[msg.params.length - 1] });
      this.#joinSettled(arg.toLowerCase());
      return;
    }
    if (NICK_ERRORS.has(cmd) && !this.#registered) this.#nextNick(client, arg);
  }

  #nextNick(client: Client, refused: string): void {
    this.#nickAttempt++;
    let next = this.#candidates[this.#nickAttempt];
    if (!next) {
      // Every configured nick is taken: a numbered one rather than never registering.
      next = `${this.#wanted.slice(0, 12)}${Math.floor(1000 + Math.random() * 9000)}`;
    }
    this.#log.warn("nick unavailable, trying another", { refused, next });
    this.#nick = next;
    client.changeNick(next);
  }

  #onRegistered(client: Client, nick: string): void {
    if (this.#registrationTimer) clearTimeout(this.#registrationTimer);
    this.#registrationTimer = null;
    this.#registered = true;
    this.#registeredAt = Date.now();
    this.#nick = nick;
    this.#log.info("registered", { nick, server: this.#bot.server.host });
    // A task's line must leave at once, not wait for an ACK under Nagle's algorithm.
    (client.connection as { transport?: { socket?: { setNoDelay?(on: boolean): void } } }).transport?.socket?.setNoDelay?.(true);
    this.#queue.setMode("control");

    this.#pendingJoins = new Set(this.#channels.keys());
    for (const line of joinLines([...this.#channels.values()])) this.#queue.enqueueControl(line);
    if (this.#pendingJoins.size === 0) {
      this.#queue.setMode("open");
    } else {
      this.#joinTimer = setTimeout(() => {
        this.#joinTimer = null;
        if (this.#pendingJoins.size > 0) {
          this.#log.warn("channels not joined in time; sending queued messages anyway", {
            channels: [...this.#pendingJoins],
          });
          this.#pendingJoins.clear();
        }
        if (this.#registered) this.#queue.setMode("open");
      }, this.#opts.joinTimeoutMs ?? 10_000);
    }

    if (!client.caseCompare(nick, this.#wanted)) {
      this.#regainTimer = setInterval(() => this.#regainNick(), this.#opts.nickRegainMs ?? 30_000);
    }
    this.#emit("registered", { nick });
  }

  #onSelfJoin(client: Client, channel: string, ident: string, hostname: string): void {
    if (ident) this.#selfUser = ident;
    if (hostname) this.#selfHost = hostname;
    const cap = client.network.cap;
    // Users already in the channel: without account-tag on each message, ask once who is logged in as what.
    if (!cap.isEnabled("account-tag") && client.network.supports("WHOX")) {
      this.#queue.enqueueControl(`WHO ${channel} %tnuhaf,${WHOX_TOKEN}`);
    }
    this.#joinSettled(channel.toLowerCase());
  }

  #joinSettled(key: string): void {
    if (!this.#pendingJoins.delete(key) || this.#pendingJoins.size > 0) return;
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    this.#joinTimer = null;
    if (this.#registered) this.#queue.setMode("open");
  }

  #regainNick(): void {
    if (!this.#registered || this.#nick === this.#wanted) return;
    // One attempt in flight at a time is enough.
    this.#queue.enqueueControl(`NICK ${this.#wanted}`);
  }

  #setAccount(client: Client, nick: string, account: Account): void {
    this.#accounts.set(client.caseLower(nick), account);
  }

  #sender(client: Client, e: { nick: string; ident: string; hostname: string; tags?: Record<string, string | true> }) {
    let account: Account;
    if (client.network.cap.isEnabled("account-tag") && e.tags) {
      // account-tag: present on everything a logged-in user sends, absent otherwise.
      const tag = e.tags.account;
      account = typeof tag === "string" && tag ? tag : null;
      this.#setAccount(client, e.nick, account);
    } else {
      account = this.#accounts.get(client.caseLower(e.nick)) ?? null;
    }
    return { nick: e.nick, ident: e.ident, hostname: e.hostname, account };
  }

  #onMessage(client: Client, kind: "privmsg" | "notice" | "action", e: MessageEvent): void {
    if (e.from_server || !e.nick) return; // server notices are not messages from anyone
    const isPrivate = !client.network.isChannelName(e.target);
    this.#emit("message", {
      ...this.#sender(client, e),
      kind,
      target: e.target,
      text: e.message,
      isPrivate,
      replyTarget: isPrivate ? e.nick : e.target,
    });
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
