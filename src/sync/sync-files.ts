// Load the bot and task files, bind tasks to bots, apply them to the store
// and say what happened: shared by `seshet sync`, startup, `!reloadtasks`
// and SIGHUP. It lives apart from both config/ and store/ because it is
// where the two meet: the store knows nothing of files.
import * as path from "node:path";
import { bindTasks } from "../config/bind-tasks.ts";
import type { BoundTask, ConfigIssue } from "../config/config-types.ts";
import { loadConfig } from "../config/load-config.ts";
import { botNameOf } from "../config/parse-bot-file.ts";
import type { Env } from "../config/secret-value.ts";
import { formatIssue } from "../config/format-issue.ts";
import type { Logger } from "../log/logger.ts";
import { RUNTIME_ORIGIN } from "../store/store-types.ts";
import type { SyncReport, TaskStore } from "../store/store-types.ts";

export interface SyncFilesOptions {
  botsDir: string;
  tasksDir: string;
  env: Env;
  now: number;
}

export async function syncFiles(store: TaskStore, opts: SyncFilesOptions): Promise<SyncReport> {
  const loaded = await loadConfig({ botsDir: opts.botsDir, tasksDir: opts.tasksDir, env: opts.env });
  const origin = originNamer(opts.tasksDir);
  const errors: ConfigIssue[] = [...loaded.issues];
  const bound = bindTasks(loaded.bots, loaded.tasks).map((t) => ({ ...t, origin: origin(t.origin) }));

  const stored = await store.listTasks({ includeRetired: true });
  // A cancelled (retired) runtime task may be taken over by a file: `seshet export`, `!cancel`, reload.
  const runtime = new Map(stored.filter((t) => t.origin === RUNTIME_ORIGIN && t.state !== "retired").map((t) => [`${t.bot}\u0000${t.name}`, t]));
  for (const task of bound) {
    if (!runtime.has(`${task.bot}\u0000${task.name}`)) continue;
    const def = loaded.tasks.find((d) => d.name === task.name && origin(d.loc.file) === task.origin);
    errors.push({
      file: def?.loc.file ?? task.origin,
      line: def?.loc.line ?? 0,
      col: def?.loc.col ?? 0,
      message: `task '${task.name}' of bot '${task.bot}' was created at run time; the stored one is kept (rename this one)`,
    });
  }

  // A bot file that fails to load binds no tasks: without this its tasks
  // would look undeclared and be retired. Re-declare them exactly as stored
  // so they stay as they were until the bot file is fixed.
  const loadedBots = new Set(loaded.bots.map((b) => b.name));
  const brokenBots = new Set(
    loaded.issues
      .filter((i) => i.file.endsWith(".toml") && path.resolve(path.dirname(i.file)) === path.resolve(opts.botsDir))
      .map((i) => botNameOf(i.file))
      .filter((name) => !loadedBots.has(name)),
  );
  const kept: BoundTask[] = stored
    .filter((t) => brokenBots.has(t.bot) && t.origin !== RUNTIME_ORIGIN && t.state !== "retired")
    .map((t) => ({
      bot: t.bot,
      name: t.name,
      func: t.func,
      args: t.args,
      kwargs: t.kwargs,
      start: t.start,
      tz: t.tz,
      catchup: t.catchup,
      rrule: t.rrule,
      ...(t.extras !== undefined ? { extras: t.extras } : {}),
      origin: t.origin,
      order: t.order,
    }));

  const counts = await store.sync([...bound, ...kept], loaded.brokenTaskFiles.map(origin), opts.now);
  return { ...counts, errors };
}

/**
 * Origins are stored relative to the tasks folder's parent ("tasks/a.toml"),
 * so the same files give the same origins whatever the working directory or
 * however the folder was named on the command line.
 */
export function originNamer(tasksDir: string): (file: string) => string {
  const base = path.dirname(path.resolve(tasksDir));
  return (file) => path.relative(base, path.resolve(file)).split(path.sep).join("/");
}

/** The one-line summary every caller prints: `added A, changed C, retired R, unchanged U, errors E`. */
export function syncSummary(r: SyncReport): string {
  return `added ${r.added}, changed ${r.changed}, retired ${r.retired}, unchanged ${r.unchanged}, errors ${r.errors.length}`;
}

/**
 * How every sync is logged, whatever triggered it (startup, SIGHUP,
 * `!reloadtasks`, `seshet sync`): the summary, then each error as FILE:LINE:COL.
 */
export function logSync(log: Pick<Logger, "info" | "warn">, trigger: string, r: SyncReport): void {
  log.info(`${trigger}: tasks synced: ${syncSummary(r)}`);
  for (const e of r.errors) log.warn(formatIssue(e));
}
