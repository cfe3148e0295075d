// The `[schedule]` table of a bot file: the limits of scheduling from IRC.
import type { ScheduleLimits, ScheduleRole } from "./config-types.ts";
import { DEFAULT_SCHEDULE_LIMITS } from "./config-types.ts";
import type { FileChecker, TomlTable } from "./file-checker.ts";
import { parseDuration } from "../scheduler/duration.ts";

import { BOT_FILE_KEYS } from "./bot-file-keys.ts";
import { choiceProblem, intRange, keysOf, subKeys } from "./config-keys.ts";

// Keys, choices and ranges (max_text's cap: an IRC line holds about 450 bytes of text): bot-file-keys.ts.
const KEYS = subKeys(BOT_FILE_KEYS, "schedule");

export function checkSchedule(ck: FileChecker, t: TomlTable): ScheduleLimits {
  const p = ["schedule"];
  const s = ck.table(t, [], "schedule");
  if (s === undefined) return { ...DEFAULT_SCHEDULE_LIMITS };
  ck.unknownKeys(s, p, keysOf(KEYS), " in [schedule]");
  const role = ck.string(s, p, "recurring", { check: choiceProblem(KEYS.recurring) });
  const duration = (key: string) => {
    const v = ck.string(s, p, key, {
      check: (d) => (parseDuration(d) === null ? `must be a duration such as "15m", "2h" or "1y", got "${d}"` : undefined),
    });
    return v === undefined ? undefined : parseDuration(v)!;
  };
  const d = DEFAULT_SCHEDULE_LIMITS;
  return {
    recurring: (role as ScheduleRole | undefined) ?? d.recurring,
    maxTasks: ck.integer(s, p, "max_tasks", ...intRange(KEYS.max_tasks)) ?? d.maxTasks,
    minIntervalMs: duration("min_interval") ?? d.minIntervalMs,
    maxTextBytes: ck.integer(s, p, "max_text", ...intRange(KEYS.max_text)) ?? d.maxTextBytes,
    maxAheadMs: duration("max_ahead") ?? d.maxAheadMs,
  };
}
