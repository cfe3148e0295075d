// The fingerprint that tells sync whether a declaration changed. It covers
// what decides when and how a task runs, not where it is written (origin,
// order): moving a task or inserting one above it must not reschedule it.
import { sha256Hex } from "../platform/sha256.ts";
import type { BoundTask } from "../config/config-types.ts";

export type HashedFields = Pick<BoundTask, "func" | "args" | "kwargs" | "start" | "tz" | "catchup" | "rrule" | "extras">;

export function taskHash(task: HashedFields): string {
  const canonical = canonicalJson({
    func: task.func,
    args: task.args,
    kwargs: task.kwargs,
    start: task.start,
    tz: task.tz,
    catchup: task.catchup,
    rrule: task.rrule,
    // Absent on tasks without any: their hash is what it was before extras existed.
    extras: task.extras,
  });
  return sha256Hex(canonical);
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
