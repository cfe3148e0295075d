// Shared helpers for the store tests: temp folders, bound tasks, raw rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { BoundTask } from "../../src/config/config-types.ts";
import type { SqliteDriverName } from "../../src/platform/sqlite-driver.ts";

export const DRIVERS: SqliteDriverName[] = ["bun", "node"];

/** 2026-06-01T12:00:00Z: a Monday noon, away from any DST change. */
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function tempDir(prefix = "seshet-store-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Daily at 09:00 UTC since January: next after NOW is 2026-06-02T09:00Z. */
export function daily(name: string, over: Partial<BoundTask> = {}): BoundTask {
  return {
    bot: "alpha",
    name,
    func: "core:say",
    args: ["#chan", `hello from ${name}`],
    kwargs: {},
    start: "2026-01-01T09:00:00",
    tz: "UTC",
    catchup: "once",
    rrule: { freq: "daily", interval: 1 },
    origin: "tasks/a.toml",
    order: 0,
    ...over,
  };
}

/** Daily at 09:00 UTC, five times from May 30: three are past at NOW, next is June 2 with 2 left. */
export function counted(name: string, over: Partial<BoundTask> = {}): BoundTask {
  return daily(name, { start: "2026-05-30T09:00:00", rrule: { freq: "daily", interval: 1, count: 5 }, ...over });
}

/** One shot on 2026-06-10 at 08:00 UTC. */
export function oneShot(name: string, over: Partial<BoundTask> = {}): BoundTask {
  return daily(name, { start: "2026-06-10T08:00:00", rrule: null, ...over });
}
