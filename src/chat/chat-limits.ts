// The `[schedule]` limits applied to a request from IRC. Each refusal names
// the limit and its value, so the user knows what to change.
import type { ScheduleLimits } from "../config/config-types.ts";
import type { Recurrence } from "../scheduler/recurrence/recurrence.ts";
import { formatDuration } from "../scheduler/duration.ts";
import type { ChannelRole } from "./chat-host.ts";

/** Occurrences looked at for the shortest gap of a recurring schedule. */
const GAP_SAMPLE = 64;

export function textProblem(text: string, limits: ScheduleLimits): string | undefined {
  if (text.trim() === "") return "there is no text to say";
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > limits.maxTextBytes) return `the text is ${bytes} bytes; the limit (max_text) is ${limits.maxTextBytes}`;
  return undefined;
}

export function aheadProblem(at: number, now: number, limits: ScheduleLimits): string | undefined {
  if (at - now <= limits.maxAheadMs) return undefined;
  return `that is further ahead than the limit (max_ahead) of ${formatDuration(limits.maxAheadMs)}`;
}

/** A recurring schedule that never fires, or fires more often than the limit allows a non-admin. */
export function recurrenceProblem(rec: Recurrence, now: number, limits: ScheduleLimits, admin: boolean): string | undefined {
  const times = rec.take(now, GAP_SAMPLE);
  if (times.length === 0) return "that schedule never fires";
  if (admin) return undefined;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap < limits.minIntervalMs) {
      return `it fires ${formatDuration(gap)} apart; the shortest interval (min_interval) is ${formatDuration(limits.minIntervalMs)}`;
    }
  }
  return undefined;
}

/**
 * `!run` by a non-admin: not sooner than min_interval after the task last ran
 * (scheduled or run by hand), or `!run` would be a way around min_interval
 * and the reply budget (task lines are not counted as replies).
 */
export function runAgainProblem(lastRun: number | null, now: number, limits: ScheduleLimits): string | undefined {
  const since = lastRun === null ? Infinity : now - lastRun;
  if (since >= limits.minIntervalMs) return undefined;
  const wait = formatDuration(Math.max(1000, limits.minIntervalMs - since));
  return `it ran ${formatDuration(since)} ago; the shortest interval (min_interval) is ${formatDuration(limits.minIntervalMs)}, so try again in ${wait}`;
}

/** Whether this user may create a recurring task in a channel. */
export function recurringRefusal(role: ChannelRole, admin: boolean, limits: ScheduleLimits): string | undefined {
  const need = limits.recurring;
  if (admin || need === "anyone") return undefined;
  if (need === "voice" && (role === "voice" || role === "op")) return undefined;
  if (need === "op" && role === "op") return undefined;
  const who = need === "admin" ? "admins of this bot" : need === "op" ? "channel operators" : "voiced users and operators";
  return `recurring tasks in a channel are for ${who} (recurring = "${need}"); ask in private for your own`;
}

/** `byHost`: the speaker is not identified, so tasks made from their host under any nick count. */
export function quotaRefusal(count: number, limits: ScheduleLimits, byHost = false): string {
  const whose = byHost ? `there are ${count} active tasks from your nick or host` : `you have ${count} active tasks`;
  const hint = byHost ? "; identify with services for a quota of your own" : "";
  return `${whose}; the limit (max_tasks) is ${limits.maxTasks} — cancel one first${hint}`;
}
