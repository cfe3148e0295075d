// Holds a bot's modules and what each registered: commands, task functions
// and event handlers, all tagged with the module's name so one module can be
// unloaded or reloaded without touching the others.
import type { EventDispatcher } from "../bot/event-dispatcher.ts";
import type { Logger } from "../log/logger.ts";
import type { BotApi, CommandDefinition, ModuleDefinition, TaskFunction } from "./module-types.ts";
import { importPlugin, pluginExports } from "./plugin-loader.ts";
import { resolveFunc } from "./func-resolve.ts";
import { functionPathProblem } from "../config/func-ref.ts";

export interface RegisteredCommand extends CommandDefinition {
  name: string;
  module: string;
}

interface LoadedModule {
  def: ModuleDefinition;
  path: string | null;
}

/** Builds the API one module sees; the registry hands it the hooks to record registrations. */
export type ApiFactory = (module: string, hooks: RegistrationHooks) => BotApi;

export interface RegistrationHooks {
  command(name: string, def: CommandDefinition): void;
  task(name: string, fn: TaskFunction): void;
}

export class ModuleRegistry {
  #modules = new Map<string, LoadedModule>();
  #commands = new Map<string, RegisteredCommand>();
  #tasks = new Map<string, TaskFunction>();

  constructor(
    private readonly dispatcher: EventDispatcher,
    private readonly makeApi: ApiFactory,
    private readonly log: Logger,
  ) {}

  /** Sets a module up; if its setup throws, nothing it registered stays. */
  async add(def: ModuleDefinition, path: string | null = null): Promise<void> {
    if (this.#modules.has(def.name)) throw new Error(`a module named '${def.name}' is already loaded`);
    const name = def.name;
    const api = this.makeApi(name, {
      command: (cmd, c) => {
        const key = cmd.toLowerCase();
        const existing = this.#commands.get(key);
        if (existing && existing.module !== name) throw new Error(`command '${key}' already belongs to module '${existing.module}'`);
        this.#commands.set(key, { ...c, name: key, module: name });
      },
      task: (fn, f) => {
        const problem = functionPathProblem(fn);
        if (problem !== undefined) throw new Error(`module '${name}': ${problem}`);
        this.#tasks.set(`${name}:${fn}`, f);
      },
    });
    this.#modules.set(name, { def, path });
    try {
      await def.setup(api);
    } catch (error) {
      this.#forget(name);
      throw error;
    }
  }

  async loadFile(path: string): Promise<string> {
    const def = await importPlugin(path);
    await this.add(def, path);
    this.log.info(`module '${def.name}' loaded`, { path });
    return def.name;
  }

  /** Unloads and loads a plugin again from its file; on failure the old copy is gone and the error says why. */
  async reload(name: string): Promise<void> {
    const mod = this.#modules.get(name);
    if (!mod) throw new Error(`no module named '${name}' (loaded: ${this.names().join(", ")})`);
    if (!mod.path) throw new Error(`module '${name}' is built in and cannot be reloaded`);
    const fresh = await importPlugin(mod.path); // load first: a syntax error keeps the old copy running
    await this.unload(name);
    await this.add(fresh, mod.path);
  }

  async unload(name: string): Promise<void> {
    const mod = this.#modules.get(name);
    if (!mod) return;
    try {
      await mod.def.teardown?.();
    } catch (error) {
      this.log.warn(`module '${name}' failed in teardown`, { error });
    }
    this.#forget(name);
  }

  async unloadAll(): Promise<void> {
    for (const name of [...this.#modules.keys()].reverse()) await this.unload(name);
  }

  names(): string[] {
    return [...this.#modules.keys()];
  }

  command(name: string): RegisteredCommand | undefined {
    return this.#commands.get(name.toLowerCase());
  }

  commands(): RegisteredCommand[] {
    return [...this.#commands.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `module:function` or `module:a.b.function` → the function, if that module is loaded and has it. */
  resolveTask(ref: string): TaskFunction | undefined {
    return resolveFunc(ref, (name) => {
      const mod = this.#modules.get(name);
      if (!mod) return undefined;
      return { registered: (fn) => this.#tasks.get(`${name}:${fn}`), exports: pluginExports(mod.def) };
    });
  }

  #forget(name: string): void {
    this.#modules.delete(name);
    this.dispatcher.removeOwner(name);
    for (const [k, c] of this.#commands) if (c.module === name) this.#commands.delete(k);
    for (const k of this.#tasks.keys()) if (k.startsWith(`${name}:`)) this.#tasks.delete(k);
  }
}
