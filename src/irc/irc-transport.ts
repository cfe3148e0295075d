// The real IRC connection: irc-framework underneath, with what it lacks added
// here: an outer reconnect loop that also covers a failed first connect,
// flood control with bounded lanes, task lines before replies and an outbox
// kept while disconnected (SendQueue), CR/LF neutralised in everything sent,
// alternate nicks and nick regain, the services account of each sender, and
// a guard so a broken server line costs only that line.
import IRC from "irc-framework";
import type { Client, IrcMessage } from "irc-framework";
import { DEFAULT_REPLIES, type IrcConnectionConfig } from "./connection-config.ts";
import type { OutgoingCommand, Sender, TextCommand, Transport, TransportEvents, TransportSink } from "./transport.ts";
import type { Logger } from "./logger-types.ts";
import { SendQueue } from "./send-queue.ts";
import { sanitizeText } from "./sanitize.ts";
import { readClientCertificate } from "./client-certificate.ts";
import { clientOptions, warnAboutConnection } from "./client-options.ts";
import { ReconnectBackoff } from "./reconnect-backoff.ts";
import { NickKeeper } from "./nick-keeper.ts";
import { AccountTracker } from "./account-tracker.ts";
import { ChannelRoles } from "./channel-roles.ts";
import { ChannelJoiner } from "./channel-joiner.ts";
import { MessageLines } from "./message-lines.ts";
import { CtcpResponder } from "./ctcp-reply.ts";
import { guardLines } from "./line-guard.ts";
import { bindClient, quitClient } from "./client-binding.ts";
import type { IrcTransportOptions } from "./transport-options.ts";
import { Outbound } from "./outbound.ts";
import { caseFold, caseMappingOf } from "./case-mapping.ts";

export type { IrcTransportOptions } from "./transport-options.ts";

export class IrcTransport implements Transport {
  readonly #bot: IrcConnectionConfig;
  readonly #log: Logger;
  readonly #opts: IrcTransportOptions;
  readonly #queue: SendQueue;
  readonly #backoff: ReconnectBackoff;
  readonly #nicks: NickKeeper;
  readonly #accounts = new AccountTracker();
  readonly #roles = new ChannelRoles();
  readonly #channels: ChannelJoiner;
  readonly #messages: MessageLines;
  readonly #ctcp: CtcpResponder;
  readonly #outbound: Outbound;

  #sink: TransportSink | null = null;
  #client: Client | null = null;
  #stopping = false;
  #registered = false;
  #lastReason = "";
  #registrationTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(bot: IrcConnectionConfig, logger: Logger, options: IrcTransportOptions = {}) {
    this.#bot = bot;
    this.#log = logger;
    this.#opts = { ...options, clientCertificate: options.clientCertificate ?? readClientCertificate(bot.server) };
    const replies = bot.replies ?? DEFAULT_REPLIES;
    this.#ctcp = new CtcpResponder(replies.ctcpPerMinute, options.version ?? "Seshet");
    this.#queue = new SendQueue({
      flood: bot.flood,
      outboxLimit: bot.outboxLimit,
      replyLimit: replies.queue,
      logger,
      clock: options.clock,
      write: (line) => this.#writeLine(line),
    });
    const isRegistered = () => this.#registered;
    this.#backoff = new ReconnectBackoff(options.reconnect);
    this.#nicks = new NickKeeper(bot, logger, this.#queue, isRegistered, options.nickRegainMs);
    // The joiner opens the outbox once the channels are joined: that is when the bot is ready.
    const joinerQueue = {
      enqueueControl: (line: string) => this.#queue.enqueueControl(line),
      setMode: (mode: Parameters<SendQueue["setMode"]>[0]) => {
        const opening = mode === "open" && this.#queue.mode !== "open";
        this.#queue.setMode(mode);
        if (opening) this.#emit("ready", {});
      },
    };
    this.#channels = new ChannelJoiner(bot.channels, logger, joinerQueue, isRegistered, options.joinTimeoutMs, options.rejoinAfterKickMs);
    this.#messages = new MessageLines(() => this.#nicks.longest);
    this.#outbound = new Outbound(this.#queue, this.#messages, this.#channels, logger);
  }

  get nick(): string {
    return this.#nicks.nick;
  }

  get ready(): boolean {
    return this.connected && this.#queue.mode === "open";
  }

  /** A user's standing in a channel the bot is in, from NAMES and MODE. */
  channelRole(channel: string, nick: string): "op" | "voice" | "none" {
    return this.#client ? this.#roles.role(this.#client, channel, nick) : "none";
  }

  get connected(): boolean {
    return this.#registered && (this.#client?.connected ?? false);
  }

  /** Lines waiting to be sent (both lanes). */
  get pending(): number {
    return this.#queue.size;
  }

  /** Lines dropped so far because a send-queue lane was full. */
  get dropped(): number {
    return this.#queue.dropped;
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
    warnAboutConnection(this.#bot, this.#log);
    this.#connect();
  }

  async stop(reason: string): Promise<void> {
    this.#stopping = true;
    this.#backoff.cancel();
    // What tasks and commands already queued goes out before QUIT, within a bound
    // that keeps the supervisor's 10 s shutdown promise.
    if (this.connected && !(await this.whenIdle(this.#opts.stopDrainMs ?? 5_000))) {
      this.#log.warn("stopping with lines still queued; they are dropped", { lines: this.#queue.size });
    }
    this.#clearConnectionTimers();
    this.#queue.clear();
    this.#queue.setMode("offline");
    const client = this.#client;
    this.#client = null;
    this.#registered = false;
    if (!client) return;
    await quitClient(client, sanitizeText(reason));
    this.#log.info("disconnected", { reason: "stopped" });
  }

  send(command: OutgoingCommand): void {
    this.#outbound.send(command);
  }

  reply(command: TextCommand, maxLines: number): number {
    return this.#outbound.reply(command, maxLines);
  }

  verifyAccount(nick: string): Promise<string | null> {
    const client = this.#client;
    if (!client || !this.connected) return Promise.resolve(null);
    return this.#accounts.verify(client, nick, (line) => this.#queue.enqueueControl(line));
  }

  caseFold(text: string): string {
    return caseFold(text, caseMappingOf(this.#client?.network.options.CASEMAPPING));
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

  #connect(): void {
    if (this.#stopping) return;
    const client = new IRC.Client();
    this.#client = client;
    this.#registered = false;
    this.#nicks.connecting();
    this.#lastReason = "";
    this.#accounts.clear();
    this.#roles.clear();
    this.#bind(client);
    guardLines(client, this.#log, (reason) => {
      if (client !== this.#client) return;
      this.#lastReason = reason;
      client.connection.end(null, true);
    });
    const { host, port, tls } = this.#bot.server;
    this.#log.info("connecting", { host, port, tls, attempt: this.#backoff.attempt + 1 });
    const regMs = this.#opts.registrationTimeoutMs ?? 60_000;
    this.#registrationTimer = setTimeout(() => {
      if (client !== this.#client || this.#registered) return;
      this.#lastReason = `not registered within ${Math.round(regMs / 1000)} s`;
      client.connection.end(null, true);
    }, regMs);
    try {
      client.connect(clientOptions(this.#bot, this.#nicks.first, this.#opts.clientCertificate));
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
    const delay = this.#backoff.schedule(wasRegistered, () => this.#connect());
    if (wasRegistered) {
      this.#log.warn("disconnected", { reason, reconnectInMs: delay });
      this.#emit("disconnected", { reason });
    } else {
      this.#log.warn("connection attempt failed", { reason, reconnectInMs: delay });
    }
  }

  #clearConnectionTimers(): void {
    if (this.#registrationTimer) clearTimeout(this.#registrationTimer);
    this.#registrationTimer = null;
    this.#channels.disconnected();
    this.#nicks.disconnected();
  }

  #bind(client: Client): void {
    const mine = () => client === this.#client;
    bindClient(client, {
      mine,
      log: this.#log,
      nicks: this.#nicks,
      accounts: this.#accounts,
      roles: this.#roles,
      ctcp: this.#ctcp,
      closed: () => this.#onClose(client),
      socketError: (message) => {
        if (mine() && !this.#lastReason) this.#lastReason = message;
      },
      raw: (msg) => this.#onRaw(client, msg),
      registered: (nick) => this.#onRegistered(client, nick),
      enqueueReply: (line) => void this.#queue.enqueueReply(line),
      selfJoined: (channel, ident, hostname) => this.#onSelfJoin(client, channel, ident, hostname),
      selfKicked: (channel) => this.#channels.kicked(channel),
      sender: (e) => this.#sender(client, e),
      emit: (event, payload) => this.#emit(event, payload),
    });
  }

  #onRaw(client: Client, msg: IrcMessage): void {
    if (msg.command === "ERROR") {
      this.#lastReason = msg.params[msg.params.length - 1] ?? "ERROR";
      return;
    }
    // 437 is both a channel and a nick error: the channel reading goes first.
    if (this.#accounts.onRaw(client, msg) || this.#channels.onRaw(client, msg)) return;
    this.#nicks.onRaw(client, msg);
  }

  #onRegistered(client: Client, nick: string): void {
    if (this.#registrationTimer) clearTimeout(this.#registrationTimer);
    this.#registrationTimer = null;
    this.#registered = true;
    this.#backoff.registered();
    this.#nicks.registered(client, nick);
    this.#log.info("registered", { nick, server: this.#bot.server.host });
    // A task's line must leave at once, not wait for an ACK under Nagle's algorithm.
    (client.connection as { transport?: { socket?: { setNoDelay?(on: boolean): void } } }).transport?.socket?.setNoDelay?.(true);
    this.#queue.setMode("control");
    this.#channels.rejoin();
    this.#emit("registered", { nick });
  }

  #onSelfJoin(client: Client, channel: string, ident: string, hostname: string): void {
    this.#messages.learnSelf(ident, hostname);
    // Users already in the channel: without account-tag on each message, ask once who is logged in as what.
    const who = this.#accounts.whoRequest(client, channel);
    if (who !== null) this.#queue.enqueueControl(who);
    this.#channels.joined(channel);
  }

  #sender(client: Client, e: { nick: string; ident: string; hostname: string; tags?: Record<string, string | true> }): Sender {
    return { nick: e.nick, ident: e.ident, hostname: e.hostname, account: this.#accounts.of(client, e) };
  }
}
