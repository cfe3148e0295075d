// The API a module (core or plugin) receives. A plugin needs no imports: its
// default export is a definition whose `setup` is handed this object.
import type { Logger } from "../log/logger.ts";
import type { IncomingMessage, Sender } from "../irc/transport.ts";
import type { Catchup } from "../scheduler/catchup.ts";
import type { RuleParts } from "../scheduler/rule-parts.ts";

export const BOT_TICK = "BOT_TICK";

export interface TickEvent {
  /** Epoch ms when the tick was emitted. */
  now: number;
  /** Ticks since the bot started. */
  count: number;
}

export interface CommandContext {
  /** The message that carried the command. */
  message: IncomingMessage;
  /** Words after the command name. */
  args: string[];
  /** Everything after the command name, as typed. */
  rest: string;
  /** Answers where the command came from (the channel, or the sender in private). */
  reply(text: string): void;
  isAdmin: boolean;
}

export interface CommandDefinition {
  /** One line for `!help`. */
  help: string;
  /** Usage shown by `!help NAME`, e.g. "next NAME [N]". */
  usage?: string;
  /** Admins only: others get a refusal that says why. */
  admin?: boolean;
  run(ctx: CommandContext): void | Promise<void>;
}

export interface TaskCall {
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The task's name and the occurrence being fired (epoch ms). */
  task: { name: string; due: number };
}

export type TaskFunction = (call: TaskCall) => unknown;

export interface TaskOptions {
  /**
   * The parameters, in `args` order; each may also be given by name in
   * `kwargs`. A name ending in `?` is optional (`["channel", "reason?"]`).
   * Without it, any arguments are accepted.
   */
  params?: readonly string[];
}

/** A task queued at run time by a module. */
export interface RuntimeTask {
  name: string;
  func: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  /** Local wall time `YYYY-MM-DDTHH:MM:SS` in `tz`, or a Date for an instant; may be left out with `cron`. */
  start?: string | Date;
  tz?: string;
  rrule?: RuleParts | string;
  /** A cron expression instead of `rrule`, e.g. "0 9 * * 1-5". */
  cron?: string;
  /** Local date-times (or, for exdate, dates: the whole day) in `tz`, as in task files. */
  exdate?: string[];
  rdate?: string[];
  /** A run found later than this ("10m") is skipped and recorded, not fired. */
  lateAfter?: string;
  catchup?: Catchup;
  /** Stored in the task store (survives restarts) or kept in memory only. Default false. */
  persist?: boolean;
}

export interface BotApi {
  /** The bot's name (its file's base name). */
  readonly name: string;
  /** The nick in use now. */
  readonly nick: string;
  readonly log: Logger;
  say(target: string, text: string): void;
  notice(target: string, text: string): void;
  action(target: string, text: string): void;
  join(channel: string): void;
  part(channel: string, reason?: string): void;
  /** Subscribes to an event ("message", "join", "part", "registered", "disconnected", BOT_TICK). */
  on(event: "message", handler: (m: IncomingMessage) => unknown): void;
  on(event: typeof BOT_TICK, handler: (t: TickEvent) => unknown): void;
  on(event: "join" | "part", handler: (e: Sender & { channel: string }) => unknown): void;
  on(event: string, handler: (payload: any) => unknown): void;
  /** Adds a command, e.g. `command("weather", { help, run })` answers `!weather`. */
  command(name: string, def: CommandDefinition): void;
  /**
   * Adds a task function callable from task files as `<module>:<name>`; the
   * name may be dotted (`digest.weekly`). Declaring its parameters lets
   * `seshet check` refuse a task that passes too few or too many.
   */
  task(name: string, fn: TaskFunction, opts?: TaskOptions): void;
  /** Queues a task from code; in memory unless `persist` is true. */
  schedule(task: RuntimeTask): Promise<void>;
  /** Whether a sender is an admin of this bot (hostmask or services account). */
  isAdmin(sender: Sender): boolean;
}

export interface ModuleDefinition {
  /** The module's name: task functions are called as `name:function`. */
  name: string;
  setup(api: BotApi): void | Promise<void>;
  /** Called before the module is unloaded or reloaded. */
  teardown?(): void | Promise<void>;
}

/** Identity helper for plugin authors who want type checking. */
export function defineModule(def: ModuleDefinition): ModuleDefinition {
  return def;
}
