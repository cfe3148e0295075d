// The `[schedule]` table of a bot file: the limits of scheduling from IRC.
import type { ScheduleLimits, ScheduleRole } from "./config-types.ts";
import { DEFAULT_SCHEDULE_LIMITS } from "./config-types.ts";
import type { FileChecker, TomlTable } from "./file-checker.ts";
import { parseDuration } from "../scheduler/duration.ts";

export const SCHEDULE_KEYS = ["recurring", "max_tasks", "min_interval", "max_text", "max_ahead"];
const ROLES: ScheduleRole[] = ["anyone", "voice", "op", "admin"];
/** IRC lines are 512 bytes: a longer text could never be said in one message anyway. */
const MAX_TEXT_CAP = 450;

export function checkSchedule(ck: FileChecker, t: TomlTable): ScheduleLimits {
  const p = ["schedule"];
  const s = ck.table(t, [], "schedule");
  if (s === undefined) return { ...DEFAULT_SCHEDULE_LIMITS };
  ck.unknownKeys(s, p, SCHEDULE_KEYS, " in [schedule]");
  const role = ck.string(s, p, "recurring", {
    check: (r) => (ROLES.includes(r as ScheduleRole) ? undefined : `must be one of ${ROLES.map((x) => `"${x}"`).join(", ")}, got "${r}"`),
  });
  const duration = (key: string) => {
    const v = ck.string(s, p, key, {
      check: (d) => (parseDuration(d) === null ? `must be a duration such as "15m", "2h" or "1y", got "${d}"` : undefined),
    });
    return v === undefined ? undefined : parseDuration(v)!;
  };
  const d = DEFAULT_SCHEDULE_LIMITS;
  return {
    recurring: (role as ScheduleRole | undefined) ?? d.recurring,
    maxTasks: ck.integer(s, p, "max_tasks", 0, 100_000) ?? d.maxTasks,
    minIntervalMs: duration("min_interval") ?? d.minIntervalMs,
    maxTextBytes: ck.integer(s, p, "max_text", 1, MAX_TEXT_CAP) ?? d.maxTextBytes,
    maxAheadMs: duration("max_ahead") ?? d.maxAheadMs,
  };
}
