// What the IRC layer needs to know to connect, and no more: the rest of a
// bot file (tasks, modules, admins) is the bot's business, not the wire's.

export interface ServerConfig {
  host: string;
  port: number;
  tls: boolean;
  /** TLS certificate verification; turning it off logs a warning. */
  verifyTls: boolean;
  /** Server password (PASS), resolved from the environment. */
  password?: string;
  /** Client certificate and key (PEM file paths) for SASL EXTERNAL / CertFP. */
  clientCert?: string;
  clientKey?: string;
}

export interface SaslConfig {
  mechanism: "PLAIN" | "EXTERNAL";
  account: string;
  /** Resolved from the environment; never logged. */
  password?: string;
}

export interface FloodConfig {
  /** Lines that may go out back to back. */
  burst: number;
  /** Lines per second after the burst is spent. */
  rate: number;
}

export interface IrcConnectionConfig {
  /** The bot's name, for logs. */
  name: string;
  nick: string;
  /** Tried in order when the nick is taken; default `<nick>_`. */
  altNicks: string[];
  username: string;
  realname: string;
  channels: string[];
  server: ServerConfig;
  sasl?: SaslConfig;
  flood: FloodConfig;
  /** Lines of task and module output queued at most (connected or not), oldest dropped beyond this. */
  outboxLimit: number;
  /** Limits on answers to users; DEFAULT_REPLIES where absent. */
  replies?: ReplyLimits;
}

/** How much the bot says in answer to users (`[replies]` in a bot file). */
export interface ReplyLimits {
  /** Reply lines one user (services account, else host) may get back to back. */
  burst: number;
  /** Reply lines per minute per user once the burst is spent. */
  perMinute: number;
  /** CTCP replies (VERSION, PING) per minute, all users together. */
  ctcpPerMinute: number;
  /** Reply lines waiting to be sent, all users together; more are dropped. */
  queue: number;
  /** Commands one user may run back to back. */
  commands: number;
  /** Commands per minute per user once those are spent. */
  commandsPerMinute: number;
}

/** A `!tasks` listing fits in the burst; a user then gets one line every 3 s. */
export const DEFAULT_REPLIES: ReplyLimits = { burst: 12, perMinute: 20, ctcpPerMinute: 6, queue: 100, commands: 5, commandsPerMinute: 30 };
