// What a bot needs from a connection, whether it is a real IRC server or the
// terminal. Both transports deliver the events below and accept the commands.

/** Who sent something, as far as the network told us. */
export interface Sender {
  nick: string;
  ident: string;
  hostname: string;
  /** Services account (IRCv3 account-tag/account-notify/extended-join or WHOX); null if not logged in or unknown. */
  account: string | null;
}

export interface IncomingMessage extends Sender {
  kind: "privmsg" | "notice" | "action";
  /** Channel name, or the bot's nick for a private message. */
  target: string;
  text: string;
  /** True when sent to the bot directly rather than to a channel. */
  isPrivate: boolean;
  /** Where a reply to this message goes: the channel, or the sender in private. */
  replyTarget: string;
}

export type TextCommand = { kind: "privmsg" | "notice" | "action"; target: string; text: string };

export type OutgoingCommand =
  | { kind: "privmsg" | "notice" | "action"; target: string; text: string }
  | { kind: "join"; channel: string }
  | { kind: "part"; channel: string; reason?: string };

/** Events a transport reports; names are the dispatcher's event names. */
export interface TransportEvents {
  registered: { nick: string };
  message: IncomingMessage;
  join: Sender & { channel: string };
  part: Sender & { channel: string; reason: string };
  disconnected: { reason: string };
  /** Registered and in its channels (or given up waiting for them): lines sent now go straight out. */
  ready: Record<string, never>;
}

export type TransportSink = <K extends keyof TransportEvents>(
  event: K,
  payload: TransportEvents[K],
) => void;

export interface Transport {
  /** Begins connecting (and reconnecting, for ever) and reports events to `sink`. */
  start(sink: TransportSink): void;
  /** Sends QUIT (where connected), stops reconnecting, resolves once closed or after a bound. */
  stop(reason: string): Promise<void>;
  /** Queues a command; never throws, never sends CR/LF/NUL. Kept while disconnected. */
  send(command: OutgoingCommand): void;
  /**
   * Queues an answer to a user behind all task output: at most `maxLines` of
   * the lines `command` makes. Returns how many lines the whole text makes.
   */
  reply(command: TextCommand, maxLines: number): number;
  /**
   * The services account now behind `nick`, asked of the server when no
   * account-tag vouches for each message (WHOIS); null if none or no answer.
   */
  verifyAccount(nick: string): Promise<string | null>;
  /** Folds a nick or mask to lower case by the server's CASEMAPPING (rfc1459 until told). */
  caseFold(text: string): string;
  /** The nick in use now (may differ from the configured one while it is taken). */
  readonly nick: string;
  readonly connected: boolean;
  /** Connected and joined: what is sent now leaves at once rather than waiting in the outbox. */
  readonly ready: boolean;
  /** A user's standing in a channel the bot is in ("none" where not known); absent: never known. */
  channelRole?(channel: string, nick: string): "op" | "voice" | "none";
}
