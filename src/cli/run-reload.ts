// What the foreground bot and the console share: the SIGHUP reload and a
// run-once guard for shutdown.
import type { Logger } from "../log/logger.ts";
import type { Bot } from "../bot/bot.ts";

export type RunPaths = { botsDir: string; tasksDir: string };

export async function reportReload(bot: Bot, log: Logger): Promise<void> {
  try {
    await bot.reloadTasks("SIGHUP");
  } catch (error) {
    log.error("SIGHUP: reload failed", { error });
  }
}

export function once<A extends unknown[]>(fn: (...a: A) => Promise<void>): (...a: A) => Promise<void> {
  let p: Promise<void> | undefined;
  return (...a) => (p ??= fn(...a));
}
