// `seshet check`, second part: load every plugin a bot names, as the bot
// would but without connecting, and record what each one registers (its task
// functions and their declared parameters). A plugin that is missing, does
// not load or fails in `setup` is an error at its `modules` entry.
import type { BotConfig, ConfigIssue } from "../config/config-types.ts";
import { functionPathProblem } from "../config/func-ref.ts";
import type { TomlLocator } from "../config/toml-locator.ts";
import { createLogger } from "../log/logger.ts";
import { coreModule, type CoreHost } from "../modules/core.ts";
import type { BotApi, ModuleDefinition, TaskFunction, TaskOptions } from "../modules/module-types.ts";
import { importPlugin, pluginExports } from "../modules/plugin-loader.ts";

/** A plugin's `setup` that has not finished by then is reported (and check goes on). */
export const SETUP_TIMEOUT_MS = 5000;

export interface CheckedModule {
  name: string;
  /** Task functions registered with `api.task`, with their declared parameters. */
  tasks: Map<string, { fn: TaskFunction; params?: readonly string[] }>;
  exports?: Record<string, unknown>;
}

/** Runs a module's setup against an API that records task functions and does nothing else. */
async function record(def: ModuleDefinition, bot: BotConfig, timeoutMs: number): Promise<CheckedModule> {
  const tasks: CheckedModule["tasks"] = new Map();
  const api: BotApi = {
    name: bot.name,
    nick: bot.nick,
    log: createLogger({ level: "error", write: () => {} }),
    say: () => {},
    notice: () => {},
    action: () => {},
    join: () => {},
    part: () => {},
    on: () => {},
    command: () => {},
    task: (name: string, fn: TaskFunction, opts?: TaskOptions) => {
      // The same refusal the bot's registry makes, which would stop the plugin loading.
      const problem = functionPathProblem(name);
      if (problem !== undefined) throw new Error(`module '${def.name}': ${problem}`);
      tasks.set(name, opts?.params ? { fn, params: opts.params } : { fn });
    },
    schedule: async () => {},
    isAdmin: () => false,
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`setup did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => def.setup(api)), timeout]);
  } finally {
    clearTimeout(timer);
  }
  await Promise.resolve()
    .then(() => def.teardown?.())
    .catch(() => undefined);
  const exports = pluginExports(def);
  return { name: def.name, tasks, ...(exports ? { exports } : {}) };
}

let core: Promise<CheckedModule> | undefined;

/** The core module's task functions, as every bot has them. */
export function coreFunctions(bot: BotConfig): Promise<CheckedModule> {
  const unavailable = () => {
    throw new Error("not available in check");
  };
  const host: CoreHost = new Proxy({ config: bot } as CoreHost, {
    get: (target, key) => (key in target ? target[key as keyof CoreHost] : unavailable),
  });
  core ??= record(coreModule(host), bot, SETUP_TIMEOUT_MS);
  return core;
}

/** Each bot's loaded modules by name (core first), and the issues found loading them. */
export async function checkPlugins(
  bots: readonly BotConfig[],
  at: TomlLocator,
  timeoutMs = SETUP_TIMEOUT_MS,
): Promise<{ modules: Map<string, Map<string, CheckedModule>>; issues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = [];
  const modules = new Map<string, Map<string, CheckedModule>>();
  for (const bot of bots) {
    const mine = new Map<string, CheckedModule>([["core", await coreFunctions(bot)]]);
    modules.set(bot.name, mine);
    for (const [i, file] of bot.modules.entries()) {
      const where = at.value(bot.file, ["modules", i]);
      let mod: CheckedModule;
      try {
        mod = await record(await importPlugin(file), bot, timeoutMs);
      } catch (err) {
        issues.push({ ...where, message: `plugin cannot be loaded: ${oneLine(err)}` });
        continue;
      }
      if (mine.has(mod.name)) {
        const clash = mod.name === "core" ? "the built-in core module" : "another plugin of this bot";
        issues.push({ ...where, message: `plugin ${file} is named '${mod.name}', like ${clash}: rename one` });
        continue;
      }
      mine.set(mod.name, mod);
    }
  }
  return { modules, issues };
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, "; ");
}
