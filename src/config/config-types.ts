// The validated shapes of bot and task files. Everything downstream (store,
// scheduler, bot runtime) works from these, never from raw TOML.
import type { RuleParts } from "../scheduler/rule-parts.ts";
import type { Catchup } from "../scheduler/catchup.ts";
import type { ScheduleExtras } from "../scheduler/recurrence/types.ts";

/** Where something was written: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** One problem in one file, printed as `FILE:LINE:COL: message`. */
export interface ConfigIssue extends SourceLocation {
  message: string;
}


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

export interface BotConfig {
  /** The file's base name without `.toml`: the bot's identity. */
  name: string;
  file: string;
  nick: string;
  /** Tried in order when the nick is taken; default `<nick>_`. */
  altNicks: string[];
  username: string;
  realname: string;
  channels: string[];
  /** `account:NAME` or a `nick!user@host` glob. */
  admins: string[];
  prefix: string;
  tz: string;
  /** Seconds between BOT_TICK events. */
  tick: number;
  /** Plugin paths, absolute (resolved against the bot file's folder). */
  modules: string[];
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
}

/** What every form of a task has: what to call, with what, and when. */
export interface TaskCore {
  name: string;
  /** `module:function`. */
  func: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Local wall time `YYYY-MM-DDTHH:MM:SS`, read in the task's zone. */
  start: string;
  catchup: Catchup;
  rrule: RuleParts | null;
  /** `cron`, `exdate`, `rdate`, `late_after`, and a reminder's offset; absent when none is given. */
  extras?: ScheduleExtras;
}

/** `before = ["15m"]` or `{ offset = "15m", args = [...] }`: a run that long before each occurrence. */
export interface Reminder {
  /** Milliseconds before the occurrence. */
  offset: number;
  /** The offset as written ("15m"): reminders are named `TASK@-15m`. */
  label: string;
  /** Own arguments; default the task's. */
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

/** A task as declared in a file, before it is bound to a bot. */
export interface TaskDefinition extends TaskCore {
  /** `null`: the task runs on every bot. */
  bot: string | null;
  /** `null`: the bot's tz, then UTC. */
  tz: string | null;
  /** Where it was declared; files are ordered by name, then position. */
  loc: SourceLocation;
  /** Position of the `[[task]]` in its file, from 0. */
  index: number;
  /** Bound as tasks of their own, named `NAME@-OFFSET`, sharing the schedule. */
  reminders?: Reminder[];
}

/** A task bound to one bot, with its zone resolved: what the store keeps. */
export interface BoundTask extends TaskCore {
  bot: string;
  tz: string;
  /** Source file path as given (relative to the tasks folder's parent when possible). */
  origin: string;
  /** Declaration order across all files: ties at one instant fire in this order. */
  order: number;
}


/**
 * Safe on ngIRCd (which allows a few lines ahead before it counts penalty
 * seconds), on solanum/charybdis (Libera: a burst of 5, then 2 lines/s) and
 * on most other networks.
 */
export const DEFAULT_FLOOD: FloodConfig = { burst: 5, rate: 1 };

/** A `!tasks` listing fits in the burst; a user then gets one line every 3 s. */
export const DEFAULT_REPLIES: ReplyLimits = { burst: 12, perMinute: 20, ctcpPerMinute: 6, queue: 100 };
