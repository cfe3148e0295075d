// What the engine takes and gives, apart from how it computes it (so the
// engine's parts can name these without importing the engine itself).
import type { RuleParts } from "../rule-parts.ts";

export interface ScheduleSpec {
  /** Local wall time (DTSTART), e.g. 2026-11-30T09:55:00. */
  start: string;
  tz: string;
  /** null: a one-shot at `start`. */
  rule: RuleParts | null;
  /** EXDATE, RDATE, cron and reminder offset; absent on plain rules. */
  extras?: ScheduleExtras;
}

/**
 * What a schedule may carry beyond one RRULE. Dates are local wall times in
 * the task's zone: `YYYY-MM-DDTHH:MM:SS`, or `YYYY-MM-DD` in `exdate` for the
 * whole day.
 */
export interface ScheduleExtras {
  /** A five-field cron expression (or @daily …) used instead of `rule`. */
  cron?: string;
  exdate?: string[];
  rdate?: string[];
  /** A reminder: each occurrence this many ms earlier. */
  before?: number;
  /** A run found more than this many ms after its due time is skipped and recorded, not fired. */
  lateAfter?: number;
}

export interface Recurrence {
  /** First occurrence strictly after afterMs (epoch ms); null when there are no more. */
  next(afterMs: number): number | null;
  /** Up to n occurrences strictly after afterMs. */
  take(afterMs: number, n: number): number[];
  /** Distinct occurrences strictly before ms, counting from start (bounded by count). */
  countBefore(ms: number): number;
  /** Whether a wall time (floating ms) is one of the occurrences, before they become instants. */
  producesWall?(wall: number): boolean;
}
