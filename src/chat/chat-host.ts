// What chat scheduling needs from its bot, and nothing more.
import type { BotConfig, ScheduleLimits } from "../config/config-types.ts";
import { DEFAULT_SCHEDULE_LIMITS } from "../config/config-types.ts";
import type { Sender } from "../irc/transport.ts";
import type { ChatStore, ChatTask } from "../store/chat-store-types.ts";
import type { Recurrence } from "../scheduler/recurrence/recurrence.ts";
import type { RunnableTask } from "../store/store-types.ts";

/** A user's standing in a channel, for who may create recurring channel tasks. */
export type ChannelRole = "op" | "voice" | "none";

export interface ChatHost {
  readonly config: BotConfig;
  readonly chat: ChatStore;
  now(): number;
  /** The task's queue entry now matches the store (added, paused, resumed, cancelled). */
  refresh(task: ChatTask): Promise<void>;
  recurrence(task: RunnableTask): Recurrence;
  /** Calls the task's function once now, outside its schedule; rejects with its error. */
  runNow(task: ChatTask): Promise<void>;
  /** The sender's standing in a channel (op, voice or none); "none" where not known. */
  roleIn(channel: string, nick: string): ChannelRole;
  /** Tasks plugins queued in memory only (not in the store), for `!tasks`. */
  memoryTasks?(): RunnableTask[];
}

export function limitsOf(config: BotConfig): ScheduleLimits {
  return config.schedule ?? DEFAULT_SCHEDULE_LIMITS;
}

/** Whose a task is: the services account when identified, else the nick (case-folded). */
export function userKey(sender: Sender): string {
  return sender.account ? `account:${sender.account}` : `nick:${sender.nick.toLowerCase()}`;
}

/**
 * Whose quota a new task counts against: the account, else the host (as the
 * reply budget). An unidentified user owns tasks by nick, but a new nick must
 * not bring a new quota.
 */
export function quotaKey(sender: Sender): string {
  return sender.account ? `account:${sender.account}` : `host:${sender.hostname.toLowerCase()}`;
}

/**
 * Whether `sender` owns the task: the same account; or, not identified, the
 * same nick from the host the task was made from (a nick alone is taken by
 * anyone once its owner leaves).
 */
export function isOwner(task: Pick<ChatTask, "owner" | "quotaKey">, sender: Sender): boolean {
  if (task.owner !== userKey(sender)) return false;
  if (sender.account !== null || !task.quotaKey?.startsWith("host:")) return true;
  return task.quotaKey === quotaKey(sender);
}

/** The speaker's zone (`!tz`), else the bot's. */
export async function zoneOf(host: ChatHost, sender: Sender): Promise<string> {
  return (await host.chat.zone(host.config.name, userKey(sender))) ?? host.config.tz;
}
