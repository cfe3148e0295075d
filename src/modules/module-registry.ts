// Holds a bot's modules and what each registered: commands, task functions
// and event handlers, all tagged with the module's name so one module can be
// unloaded or reloaded without touching the others.
import type { EventDispatcher, Handler } from "./event-dispatcher.ts";
import { basename } from "node:path";
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
  /** Turns the module's hooks off once another copy replaced it. */
  retire: () => void;
}

/** Builds the API one module sees; the registry hands it the hooks to record registrations. */
export type ApiFactory = (module: string, hooks: RegistrationHooks) => BotApi;

export interface RegistrationHooks {
  command(name: string, def: CommandDefinition): void;
  task(name: string, fn: TaskFunction): void;
  on(event: string, handler: Handler<any>): void;
}

/** What one copy of a module registered during its setup, kept apart until the copy is installed. */
interface Staged {
  commands: Map<string, RegisteredCommand>;
  tasks: Map<string, TaskFunction>;
  handlers: { event: string; fn: Handler<any> }[];
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
    const copy = await this.#setUp(def);
    this.#install(def, path, copy);
  }

  async loadFile(path: string): Promise<string> {
    const def = await importPlugin(path);
    await this.add(def, path);
    this.log.info(`module '${def.name}' loaded`, { path });
    return def.name;
  }

  /**
   * Loads the plugin's file as it is now and sets the new copy up while the
   * old one keeps running; only once that succeeded does the old copy get its
   * teardown and the new one take its place. Any failure (the file does not
   * load, setup throws) is thrown, and the old copy goes on untouched.
   */
  async reload(name: string): Promise<void> {
    const mod = this.#modules.get(name);
    if (!mod) throw new Error(`no module named '${name}' (loaded: ${this.names().join(", ")})`);
    if (!mod.path) throw new Error(`module '${name}' is built in and cannot be reloaded`);
    const fresh = await importPlugin(mod.path, { fresh: true });
    if (fresh.name !== name) throw new Error(`${mod.path} now defines module '${fresh.name}', not '${name}'; restart the bot to rename a module`);
    let copy: Staged & { retire: () => void };
    try {
      copy = await this.#setUp(fresh);
    } catch (error) {
      throw new Error(`the new copy of '${name}' failed in setup, the old copy keeps running: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    await this.unload(name);
    this.#install(fresh, mod.path, copy);
    this.log.info(`module '${name}' reloaded`, { path: mod.path });
  }

  /** Runs a module's setup with hooks that record into a staging area; throws what setup threw. */
  async #setUp(def: ModuleDefinition): Promise<Staged & { retire: () => void }> {
    const name = def.name;
    const staged: Staged = { commands: new Map(), tasks: new Map(), handlers: [] };
    // During setup registrations are staged; afterwards (a plugin registering later) they go live; once retired, nowhere.
    let state: "staging" | "live" | "retired" = "staging";
    const api = this.makeApi(name, {
      command: (cmd, c) => {
        const key = cmd.toLowerCase();
        const existing = this.#commands.get(key);
        if (existing && existing.module !== name) throw new Error(`command '${key}' already belongs to module '${existing.module}'`);
        if (state === "retired") return;
        (state === "staging" ? staged.commands : this.#commands).set(key, { ...c, name: key, module: name });
      },
      task: (fn, f) => {
        const problem = functionPathProblem(fn);
        if (problem !== undefined) throw new Error(`module '${name}': ${problem}`);
        if (state === "retired") return;
        (state === "staging" ? staged.tasks : this.#tasks).set(`${name}:${fn}`, f);
      },
      on: (event, fn) => {
        if (state === "staging") staged.handlers.push({ event, fn });
        else if (state === "live") this.dispatcher.on(event, fn, name);
      },
    });
    await def.setup(api);
    state = "live";
    return { ...staged, retire: () => void (state = "retired") };
  }

  #install(def: ModuleDefinition, path: string | null, copy: Staged & { retire: () => void }): void {
    const name = def.name;
    this.#modules.set(name, { def, path, retire: copy.retire });
    for (const [k, c] of copy.commands) this.#commands.set(k, c);
    for (const [k, f] of copy.tasks) this.#tasks.set(k, f);
    for (const { event, fn } of copy.handlers) this.dispatcher.on(event, fn, name);
  }

  async unload(name: string): Promise<void> {
    const mod = this.#modules.get(name);
    if (!mod) return;
    try {
      await mod.def.teardown?.();
    } catch (error) {
      this.log.warn(`module '${name}' failed in teardown`, { error });
    }
    mod.retire();
    this.#forget(name);
  }

  async unloadAll(): Promise<void> {
    for (const name of [...this.#modules.keys()].reverse()) await this.unload(name);
  }

  /** The plugin whose file (or a reload copy of it) appears in `stack`, for blaming an error nobody caught. */
  moduleInStack(stack: string): string | undefined {
    for (const [name, mod] of this.#modules) {
      if (!mod.path) continue;
      const file = basename(mod.path);
      if (stack.includes(mod.path) || stack.includes(`/.${file}.reload-`)) return name;
    }
    return undefined;
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
