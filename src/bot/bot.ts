// One bot: a transport (IRC or console), an event dispatcher through which IRC
// events and BOT_TICK flow, modules, and a task runner fed from the store.
import type { BotConfig } from "../config/config-types.ts";
import { DEFAULT_REPLIES } from "../irc/connection-config.ts";
import type { Logger } from "../log/logger.ts";
import type { IncomingMessage, OutgoingCommand, Sender, Transport } from "../irc/transport.ts";
import type { RunnableTask, StoredTask, SyncReport, TaskStore } from "../store/store-types.ts";
import type { BotApi, RuntimeTask, TickEvent } from "../modules/module-types.ts";
import { BOT_TICK } from "../modules/module-types.ts";
import { EventDispatcher } from "../modules/event-dispatcher.ts";
import { ModuleRegistry, type RegistrationHooks } from "../modules/module-registry.ts";
import { PluginError } from "../modules/plugin-loader.ts";
import { TaskRunner, storedKey } from "./task-runner.ts";
import type { RunObserver } from "./bot-metrics.ts";
import { CommandRouter } from "./command-router.ts";
import { coreModule, type CoreHost } from "../modules/core.ts";
import { logSync, syncFiles, syncSummary } from "../sync/sync-files.ts";
import { formatIssue } from "../config/format-issue.ts";
import { toRuntimeTask } from "./runtime-task.ts";
import { StoreWatcher } from "./store-watcher.ts";
import { logTaskError } from "./task-error.ts";
import { firstDue } from "../scheduler/task-schedule.ts";

/** A message from the supervisor, applied on the next tick. */
export type SupervisorMessage = { type: "rebuild" };

export interface BotOptions {
  config: BotConfig;
  transport: Transport;
  store: TaskStore;
  log: Logger;
  /** Where task files come from, for `!reloadtasks`. */
  paths: { botsDir: string; tasksDir: string };
  env: Record<string, string | undefined>;
  /** Told after this bot synced the files, so other bots can rebuild. */
  onSynced?: (report: SyncReport) => void;
  /** Extra admin masks (the console user is an admin). */
  extraAdmins?: string[];
  /** Told of every run, for metrics. */
  observer?: RunObserver;
  now?: () => number;
}

export class Bot {
  readonly config: BotConfig;
  readonly dispatcher: EventDispatcher;
  readonly modules: ModuleRegistry;
  readonly runner: TaskRunner;
  #transport: Transport;
  #store: TaskStore;
  #log: Logger;
  #tick: ReturnType<typeof setInterval> | undefined;
  #ticks = 0;
  #inbox: SupervisorMessage[] = [];
  #router: CommandRouter;
  #now: () => number;
  #stopped = false;
  #watcher: StoreWatcher;

  constructor(private readonly opts: BotOptions) {
    this.config = opts.config;
    this.#transport = opts.transport;
    this.#store = opts.store;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.dispatcher = new EventDispatcher(({ event, owner, error }) => {
      this.#log.error(`module '${owner}' failed handling ${event}`, { error });
    });
    this.modules = new ModuleRegistry(this.dispatcher, (name, hooks) => this.#api(name, hooks), this.#log);
    this.runner = new TaskRunner({
      bot: this.config.name,
      store: this.#store,
      resolve: (ref) => this.modules.resolveTask(ref),
      log: this.#log,
      now: this.#now,
      canFire: () => this.#transport.ready,
      // The one place task errors go: the log, and plugins listening for "taskError".
      onError: (error, retry) => {
        logTaskError(this.#log, error, retry);
        void this.dispatcher.emit("taskError", error);
      },
      observer: opts.observer,
    });
    this.#router = new CommandRouter({
      prefix: this.config.prefix,
      admins: [...opts.config.admins, ...(opts.extraAdmins ?? [])],
      replies: this.config.replies ?? DEFAULT_REPLIES,
      transport: this.#transport,
      command: (name) => this.modules.command(name),
      log: this.#log,
      now: this.#now,
    });
    this.#watcher = new StoreWatcher({
      version: () => this.#store.version(),
      changed: async () => {
        await this.runner.rebuild();
        await this.#fireAndArm();
        this.#log.info(`the tasks changed in the store (a sync by another process): queue rebuilt, ${this.runner.queue.size} task(s)`);
      },
      failed: (error) => this.#log.warn("cannot check the store for changed tasks; trying again every poll", { error }),
    });
  }

  get nick(): string {
    return this.#transport.nick;
  }

  async start(): Promise<void> {
    const interrupted = await this.#store.markInterrupted(this.config.name, this.#now());
    if (interrupted > 0) this.#log.warn(`${interrupted} run(s) were in flight when the bot last stopped; marked interrupted`);
    await this.modules.add(coreModule(this.#coreHost()));
    for (const path of this.config.modules) {
      try {
        await this.modules.loadFile(path);
      } catch (error) {
        if (error instanceof PluginError) for (const line of error.lines()) this.#log.error(`plugin not loaded: ${line}`);
        else this.#log.error(`plugin not loaded`, { path, error });
      }
    }
    // The two built-in tick handlers: fire what is due, and apply supervisor messages.
    this.dispatcher.on<TickEvent>(BOT_TICK, () => this.#fireAndArm(), "tick");
    this.dispatcher.on<TickEvent>(BOT_TICK, () => this.#applyInbox(), "tick");
    this.dispatcher.on<IncomingMessage>("message", (m) => this.#router.handle(m), "commands");
    this.dispatcher.on("ready", () => this.#fireAndArm(), "tick");
    await this.#watcher.sync();
    await this.runner.rebuild();
    this.#watcher.start();
    this.#transport.start((event, payload) => void this.dispatcher.emit(event, payload));
    this.#tick = setInterval(() => {
      void this.dispatcher.emit<TickEvent>(BOT_TICK, { now: this.#now(), count: ++this.#ticks });
    }, this.config.tick * 1000);
    await this.#fireAndArm();
    this.#log.info(`started: ${this.runner.queue.size} task(s) queued`, { next: iso(this.runner.nextDue()) });
  }

  /** QUIT, let the task in flight finish, unload modules. The caller closes the store. */
  async stop(reason = "Seshet shutting down"): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#tick);
    this.#watcher.stop();
    await this.runner.stop();
    await this.runner.drain();
    await this.#transport.stop(reason);
    await this.modules.unloadAll();
    this.#log.info("stopped");
  }

  /** Syncs the task files into the store, logs it as every sync is, and rebuilds the queue (`!reloadtasks`, SIGHUP). */
  async reloadTasks(trigger: string): Promise<SyncReport> {
    const report = await syncFiles(this.#store, { ...this.opts.paths, env: this.opts.env, now: this.#now() });
    logSync(this.#log, trigger, report);
    await this.rebuildQueue();
    this.opts.onSynced?.(report);
    return report;
  }

  async rebuildQueue(): Promise<void> {
    await this.#watcher.sync(); // read before rebuilding: a sync after this is noticed by the next poll
    await this.runner.rebuild();
    await this.#fireAndArm();
  }

  /** Queues a supervisor message; it is applied on the next BOT_TICK. */
  post(message: SupervisorMessage): void {
    this.#inbox.push(message);
  }

  async #applyInbox(): Promise<void> {
    const messages = this.#inbox.splice(0);
    if (messages.some((m) => m.type === "rebuild")) {
      await this.rebuildQueue();
      this.#log.info(`queue rebuilt from the store: ${this.runner.queue.size} task(s)`);
    }
  }

  async #fireAndArm(): Promise<void> {
    if (this.#stopped) return;
    // Until connected and joined nothing fires; "ready" brings us back here.
    await this.runner.wake();
  }

  isAdmin(sender: Sender): boolean {
    return this.#router.isAdmin(sender);
  }

  #send(command: OutgoingCommand): void {
    this.#transport.send(command);
  }

  #api(module: string, hooks: RegistrationHooks): BotApi {
    const bot = this;
    return {
      name: this.config.name,
      get nick() {
        return bot.nick;
      },
      log: this.#log.child(module),
      say: (target, text) => this.#send({ kind: "privmsg", target, text }),
      notice: (target, text) => this.#send({ kind: "notice", target, text }),
      action: (target, text) => this.#send({ kind: "action", target, text }),
      join: (channel) => this.#send({ kind: "join", channel }),
      part: (channel, reason) => this.#send({ kind: "part", channel, reason }),
      on: (event: string, handler: (payload: any) => unknown) => hooks.on(event, handler as (p: unknown) => void),
      command: hooks.command,
      task: hooks.task,
      schedule: (task) => this.#schedule(task),
      isAdmin: (s) => this.isAdmin(s),
    };
  }

  async #schedule(task: RuntimeTask): Promise<void> {
    const runnable = toRuntimeTask(task, this.config.tz);
    if (!task.persist) {
      this.runner.addMemoryTask(runnable);
    } else {
      const rec = this.runner.recurrenceOf(runnable);
      await this.#store.addRuntimeTask({ ...runnable, bot: this.config.name }, firstDue(rec, this.#now()), this.#now());
      await this.runner.rebuild();
    }
    this.runner.rearm();
  }

  #coreHost(): CoreHost {
    const store = this.#store;
    return {
      config: this.config,
      chat: store.chat,
      refresh: async (task) => {
        await this.runner.refresh(task);
        await this.#fireAndArm();
      },
      runNow: (task) => this.#runNow(task),
      memoryTasks: () => this.runner.memoryTasks(),
      roleIn: (channel, nick) => this.#transport.channelRole?.(channel, nick) ?? "none",
      reloadTasks: async () => {
        const r = await this.reloadTasks("!reloadtasks");
        return { summary: syncSummary(r), issues: r.errors.map(formatIssue) };
      },
      tasks: () => this.#listTasks(),
      recurrence: (t) => this.runner.recurrenceOf(t),
      reloadModule: async (name) => {
        try {
          await this.modules.reload(name);
        } catch (error) {
          // Every positioned error gets its own log line; the reply carries the first.
          if (error instanceof PluginError) for (const line of error.lines()) this.#log.error(`reload of '${name}' failed: ${line}`);
          throw error;
        }
      },
      commands: () => this.modules.commands(),
      now: this.#now,
    };
  }

  /** `!run`: the task's function once now, recorded in its history; the schedule is left alone. */
  async #runNow(task: StoredTask): Promise<void> {
    const fn = this.modules.resolveTask(task.func);
    if (!fn) throw new Error(`unknown function '${task.func}' (is its module loaded?)`);
    const now = this.#now();
    try {
      await fn({ args: task.args, kwargs: task.kwargs, task: { name: task.name, due: now } });
    } catch (error) {
      await this.#store.chat.recordRun(task.id, now, "error", error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.#store.chat.recordRun(task.id, now, "ok");
  }

  async #listTasks(): Promise<RunnableTask[]> {
    const stored: StoredTask[] = await this.#store.activeTasks(this.config.name);
    // The queue knows best when a stored task fires next (an unresolved one is off the queue;
    // one waiting for the store to answer shows its due time, not its next try).
    return [
      ...stored.map((t) => ({ ...t, nextDue: this.runner.queue.get(storedKey(t.name))?.value.task.nextDue ?? null })),
      ...this.runner.memoryTasks(),
    ];
  }
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
