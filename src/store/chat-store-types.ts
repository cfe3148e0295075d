// What chat scheduling asks of the store: tasks made from IRC (with their
// owner), pause state for any task, and each user's time zone.
import type { TaskCore } from "../config/config-types.ts";
import type { StoredTask } from "./store-types.ts";

/** A stored task with what chat scheduling adds to it (migration 0003). */
export interface ChatTask extends StoredTask {
  /** "account:NAME" or "nick:name" of whoever made it from IRC; null for file and module tasks. */
  owner: string | null;
  /** The owner's nick when it was made. */
  ownerNick: string | null;
  /** "account:NAME" or "host:HOST" it was made from (0005); null for older and file tasks. */
  quotaKey: string | null;
  paused: boolean;
}

/** A task to create from IRC; its name is given by the store ("chat-ID"). */
export interface NewChatTask extends Omit<TaskCore, "name"> {
  bot: string;
  tz: string;
  owner: string;
  ownerNick: string;
  /**
   * Whose quota it counts against, when not the owner: "host:HOST" for an
   * unidentified user (owned by nick), so changing nick brings no new quota.
   */
  quotaKey?: string;
}

export interface ChatPage {
  tasks: ChatTask[];
  /** How many match in all, beyond this page. */
  total: number;
}

export interface ChatStore {
  /**
   * Adds a task made from IRC, unless its owner already has `maxPerOwner`
   * active tasks (checked in the same transaction, so two racing commands
   * cannot both pass). Returns the task, or how many the owner has.
   */
  add(task: NewChatTask, nextDue: number, now: number, maxPerOwner: number | null): Promise<ChatTask | { refused: number }>;
  /** A task by `#ID`/`ID` (any task of the bot) or by name; retired ones too. */
  find(bot: string, ref: string): Promise<ChatTask | undefined>;
  /** The owner's active tasks (paused ones too), soonest first. */
  owned(bot: string, owner: string, limit: number, offset: number): Promise<ChatPage>;
  /** Every active task of the bot (file, module and chat; paused ones too), soonest first. */
  active(bot: string, limit: number, offset: number): Promise<ChatPage>;
  /** Pauses or resumes an active task, setting its next due; false when it is no longer active. */
  setPaused(taskId: number, paused: boolean, nextDue: number | null, now: number): Promise<boolean>;
  /** Cancels a task made at run time: retired, kept with its history, off the queue. */
  cancel(taskId: number, now: number): Promise<boolean>;
  /** Records an extra run (`!run`): the history shows it, the schedule is untouched. */
  recordRun(taskId: number, at: number, outcome: "ok" | "error", error?: string): Promise<void>;
  /** The owner's task that fired most recently (for `!snooze`), with when. */
  lastFired(bot: string, owner: string): Promise<{ task: ChatTask; fired: number } | undefined>;
  /** Tasks made at run time (chat and modules), not cancelled, of one bot or all. */
  runtime(bot?: string): Promise<ChatTask[]>;
  /** Every task (file and run time) with owner and pause state, as `listTasks` orders them. */
  list(filter?: { bot?: string; includeRetired?: boolean }): Promise<ChatTask[]>;
  zone(bot: string, user: string): Promise<string | undefined>;
  setZone(bot: string, user: string, tz: string, now: number): Promise<void>;
}
