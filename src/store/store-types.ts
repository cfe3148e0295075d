// What the rest of Seshet asks of the task store. One implementation
// (kysely-task-store.ts) serves SQLite and PostgreSQL behind this interface.
import type { BoundTask, ConfigIssue, TaskCore } from "../config/config-types.ts";
import type { Catchup } from "../scheduler/catchup.ts";
import type { ScheduleExtras } from "../scheduler/recurrence/types.ts";
import type { RuleParts } from "../scheduler/rule-parts.ts";
import type { ChatStore } from "./chat-store-types.ts";

export type TaskState = "active" | "retired" | "done";

/** The origin of tasks created at run time (by a module or command), which file sync never touches. */
export const RUNTIME_ORIGIN = "runtime";
/** Runtime tasks sort after every file task when they fall due at one instant. */
export const RUNTIME_ORDER = 1_000_000_000;

/** What the runner needs to know of a task, stored or in memory. */
export interface RunnableTask extends TaskCore {
  tz: string;
  remaining: number | null;
  nextDue: number | null;
  order: number;
  /** Store id; absent for in-memory tasks. */
  id?: number;
  hash?: string;
}

/** What identifies a stored task in a queue: the rest is read when it comes due. */
export interface TaskHead {
  id: number;
  name: string;
  /** `module:function`, for messages about the task before its row is read. */
  func: string;
  nextDue: number | null;
  order: number;
}

export interface StoredTask {
  id: number;
  bot: string;
  name: string;
  func: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  start: string;
  tz: string;
  rrule: RuleParts | null;
  /** cron, exdate, rdate, reminder offset, late_after; absent when none. */
  extras?: ScheduleExtras;
  catchup: Catchup;
  /** Occurrences left when the rule has a `count`; null when unbounded. */
  remaining: number | null;
  /** Epoch ms of the next occurrence to fire; null when none is left. */
  nextDue: number | null;
  /** Epoch ms when the last run finished. */
  lastRun: number | null;
  /** The task file it came from, or "runtime" for tasks created at run time. */
  origin: string;
  state: TaskState;
  order: number;
  hash: string;
}

export interface SyncCounts {
  added: number;
  changed: number;
  retired: number;
  unchanged: number;
}

export interface SyncReport extends SyncCounts {
  errors: ConfigIssue[];
}

export type RunOutcome = "started" | "ok" | "error" | "skipped" | "interrupted";

export interface RunRecord {
  id: number;
  taskId: number;
  due: number;
  fired: number | null;
  finished: number | null;
  outcome: RunOutcome;
  error: string | null;
}

/** The state a task moves to when one of its occurrences is claimed. */
export interface Advance {
  nextDue: number | null;
  remaining: number | null;
  /**
   * Missed occurrences this claim passes over without running them (its
   * catchup policy drops them): recorded in the same transaction as one
   * `skipped` run, due at the first of them, whose text says how many.
   */
  skipped?: { first: number; count: number };
}

/** The text of a `skipped` run: how many occurrences it stands for. */
export function skippedText(count: number): string {
  return `${count} missed occurrence${count === 1 ? "" : "s"} skipped`;
}

export interface TaskStore {
  /**
   * Makes the store match the files, in one transaction. `tasks` are all the
   * bound tasks of files that parsed; declarations from `brokenOrigins` are
   * left exactly as they were. Runtime tasks are never touched.
   */
  sync(tasks: BoundTask[], brokenOrigins: string[], now: number): Promise<SyncCounts>;
  /** Active tasks of one bot with a next due time, in declaration order. */
  activeTasks(bot: string): Promise<StoredTask[]>;
  /** The same tasks, only what a queue needs until one comes due (a bot's rebuild). */
  activeTaskHeads(bot: string): Promise<TaskHead[]>;
  listTasks(filter?: { bot?: string; includeRetired?: boolean }): Promise<StoredTask[]>;
  getTask(bot: string, name: string): Promise<StoredTask | undefined>;
  /**
   * Claims occurrence `due` of a task and moves it to `advance`, in one
   * transaction, recording a run with `outcome` ("started" before firing,
   * "skipped" for a missed run the catchup policy drops). Returns the run id,
   * or null when the task's next due is no longer `due` (already claimed:
   * do not fire).
   */
  claim(taskId: number, due: number, now: number, outcome: "started" | "skipped", advance: Advance): Promise<number | null>;
  /** Records how a started run ended. */
  finish(runId: number, outcome: "ok" | "error", now: number, error?: string): Promise<void>;
  /** Runs left "started" by a process that died are marked "interrupted"; returns how many. */
  markInterrupted(bot: string, now: number): Promise<number>;
  /** Adds a task created at run time (origin "runtime"); it survives restarts. */
  addRuntimeTask(task: Omit<BoundTask, "origin" | "order">, nextDue: number | null, now: number): Promise<StoredTask>;
  history(bot: string, name: string, limit: number): Promise<RunRecord[]>;
  /** Tasks made from IRC, pause state and users' zones. */
  readonly chat: ChatStore;
  /** A number every sync that changed something moves: polled to notice a sync by another process. */
  version(): Promise<number>;
  close(): Promise<void>;
}
