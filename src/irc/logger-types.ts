// The part of the bot's logger the IRC layer writes to (no `child`), so tests
// can pass a bare object.
import type { Logger as BotLogger } from "../log/logger.ts";

export type { LogFields } from "../log/logger.ts";
export type Logger = Pick<BotLogger, "debug" | "info" | "warn" | "error">;
