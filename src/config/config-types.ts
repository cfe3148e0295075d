// The validated shapes of bot and task files. Everything downstream (store,
// scheduler, bot runtime) works from these, never from raw TOML.
import type { RuleParts } from "../scheduler/rule-parts.ts";
import type { Catchup } from "../scheduler/catchup.ts";
import type { ScheduleExtras } from "../scheduler/recurrence/types.ts";
import type { FloodConfig, IrcConnectionConfig } from "../irc/connection-config.ts";

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

/** A bot file, validated: its IRC connection and what runs on top of it. */
export interface BotConfig extends IrcConnectionConfig {
  file: string;
  /** `account:NAME` or a `nick!user@host` glob. */
  admins: string[];
  prefix: string;
  tz: string;
  /** Seconds between BOT_TICK events. */
  tick: number;
  /** Plugin paths, absolute: resolved against the project folder (the parent of `bots/`), as the README says. */
  modules: string[];
  /** Limits of scheduling from IRC (`[schedule]`); absent: DEFAULT_SCHEDULE_LIMITS. */
  schedule?: ScheduleLimits;
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

/** Who may create recurring tasks in a channel from IRC. */
export type ScheduleRole = "anyone" | "voice" | "op" | "admin";

/** Per-bot limits of chat scheduling (`[schedule]`); admins are bound only by `maxTextBytes`. */
export interface ScheduleLimits {
  /** Who may create recurring channel tasks. */
  recurring: ScheduleRole;
  /** Active tasks per user. */
  maxTasks: number;
  /** Shortest interval between occurrences of a recurring task, for non-admins. */
  minIntervalMs: number;
  /** Longest task text, in UTF-8 bytes. */
  maxTextBytes: number;
  /** How far ahead a one-shot may be. */
  maxAheadMs: number;
}

export const DEFAULT_SCHEDULE_LIMITS: ScheduleLimits = {
  recurring: "op",
  maxTasks: 10,
  minIntervalMs: 15 * 60_000,
  maxTextBytes: 400,
  maxAheadMs: 365 * 86_400_000,
};
