// Everything that goes wrong while a task fires, with the context a plugin
// author needs to find it: which bot, which task and function, which due
// time, at which step, and the original error (with its stack) as `cause`.
import type { Logger } from "../log/logger.ts";

/** The step that failed: finding the function, claiming the occurrence in the store, the call itself, or recording its end. */
export type TaskPhase = "resolve" | "claim" | "call" | "record";

export interface TaskErrorContext {
  bot: string;
  task: string;
  func: string;
  /** The occurrence's due time (epoch ms). */
  due: number;
  phase: TaskPhase;
}

const WHAT: Record<TaskPhase, string> = {
  resolve: "not run",
  claim: "could not be claimed in the store",
  call: "failed",
  record: "ran, but its end was not recorded",
};

export class TaskError extends Error implements TaskErrorContext {
  readonly bot: string;
  readonly task: string;
  readonly func: string;
  readonly due: number;
  readonly phase: TaskPhase;

  constructor(context: TaskErrorContext, cause: unknown) {
    super(`task '${context.task}' (${context.func}, due ${new Date(context.due).toISOString()}) ${WHAT[context.phase]}: ${causeText(cause)}`, { cause });
    this.name = "TaskError";
    this.bot = context.bot;
    this.task = context.task;
    this.func = context.func;
    this.due = context.due;
    this.phase = context.phase;
  }
}

/** When a failed claim is tried again: in `inMs`, after `failures` failed tries. */
export interface RetryNote {
  inMs: number;
  failures: number;
}

/** How a TaskError is logged: an error, or a warning while the occurrence stays queued for another try; the cause's stack goes along. */
export function logTaskError(log: Logger, error: TaskError, retry?: RetryNote): void {
  if (!retry) return log.error(error.message, { error });
  log.warn(`${error.message}; it stays queued, try ${retry.failures + 1} in ${(retry.inMs / 1000).toFixed(2)} s`, { error });
}

export function causeText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
