// Seshet's public API, for plugin authors and embedders. Plugins need not
// import anything (their `setup` receives the API), but typed plugins may
// import these types from here.
export { defineModule, BOT_TICK } from "./modules/module-types.ts";
export type {
  BotApi,
  CommandContext,
  CommandDefinition,
  ModuleDefinition,
  RuntimeTask,
  TaskCall,
  TaskFunction,
  TickEvent,
} from "./modules/module-types.ts";
export type { IncomingMessage, Sender } from "./irc/transport.ts";
export type { BotConfig, TaskDefinition } from "./config/config-types.ts";
export type { Catchup } from "./scheduler/catchup.ts";
export type { RuleParts, WeekdaySpec, Freq } from "./scheduler/rule-parts.ts";
export type { Logger } from "./log/logger.ts";
export type { TaskError, TaskPhase } from "./bot/task-error.ts";
