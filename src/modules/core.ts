// The core module, always loaded: the task functions say/notice/action/join/
// part, and the commands every Seshet bot answers.
import type { BotConfig } from "../config/config-types.ts";
import type { Recurrence } from "../scheduler/recurrence/recurrence.ts";
import type { RunnableTask } from "../store/store-types.ts";
import type { RegisteredCommand } from "./module-registry.ts";
import type { BotApi, ModuleDefinition, TaskCall } from "./module-types.ts";
import { formatInstant } from "../scheduler/zoned-time.ts";
import { sayTextProblem } from "../config/irc-names.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";
import type { ChatHost } from "../chat/chat-host.ts";
import { EVERY_FUNC, everyLine, REMIND_FUNC, registerCreateCommands } from "../chat/chat-create.ts";
import { registerManageCommands } from "../chat/chat-manage.ts";

/** What the core module needs from its bot, and nothing more. */
export interface CoreHost extends ChatHost {
  readonly config: BotConfig;
  /** Syncs the task files; the summary line and each problem as FILE:LINE:COL, as logged. */
  reloadTasks(): Promise<{ summary: string; issues: string[] }>;
  tasks(): Promise<RunnableTask[]>;
  recurrence(task: RunnableTask): Recurrence;
  reloadModule(name: string): Promise<void>;
  commands(): RegisteredCommand[];
  now(): number;
}

/** How many lines a listing may take in a channel before it is cut. */
const MAX_LIST_LINES = 10;
const MAX_ERRORS_SHOWN = 3;

export function coreModule(host: CoreHost): ModuleDefinition {
  return {
    name: "core",
    setup(api) {
      registerTaskFunctions(api);
      registerCreateCommands(api, host);
      registerManageCommands(api, host);
      registerInfoCommands(api, host);
      registerReloadCommands(api, host);
    },
  };
}

/** say, notice, action, join, part, and the reminders made from IRC. */
function registerTaskFunctions(api: BotApi): void {
  const text = (call: TaskCall, i: number, what: string): string => {
    const v = call.args[i] ?? call.kwargs[what];
    if (typeof v !== "string" || v === "") throw new Error(`argument ${i + 1} (${what}) must be a non-empty string`);
    return v;
  };
  // The parameter names are also what `seshet check` validates: a target
  // or channel must be a usable IRC name (see cli/check-tasks.ts).
  const message = { params: ["target", "text"] };
  // A file that skipped `check` (or a plugin's scheduled call) is held to the same bound at run time.
  const said = (c: TaskCall, i: number): string => {
    const v = text(c, i, "text");
    const problem = sayTextProblem(v);
    if (problem) throw new Error(problem);
    return v;
  };
  api.task("say", (c) => api.say(text(c, 0, "target"), said(c, 1)), message);
  api.task("notice", (c) => api.notice(text(c, 0, "target"), said(c, 1)), message);
  api.task("action", (c) => api.action(text(c, 0, "target"), said(c, 1)), message);
  api.task("join", (c) => api.join(text(c, 0, "channel")), { params: ["channel"] });
  const reason = (c: TaskCall) => {
    const v = c.args[1] ?? c.kwargs.reason;
    return typeof v === "string" ? v : undefined;
  };
  api.task("part", (c) => api.part(text(c, 0, "channel"), reason(c)), { params: ["channel", "reason?"] });
  // Reminders made from IRC: `NICK: TEXT` where they were asked.
  api.task(REMIND_FUNC.slice("core:".length), (c) => api.say(text(c, 0, "target"), `${text(c, 1, "nick")}: ${text(c, 2, "text")}`), {
    params: ["target", "nick", "text"],
  });
  // Recurring tasks made from IRC: `[#ID] TEXT` (see everyLine).
  api.task(EVERY_FUNC.slice("core:".length), (c) => api.say(text(c, 0, "target"), everyLine(c.task.name, said(c, 1))), message);
}

/** !help and !next. */
function registerInfoCommands(api: BotApi, host: CoreHost): void {
  api.command("help", {
    help: "lists the commands, or explains one",
    usage: "help [command]",
    run: ({ args, reply, isAdmin }) => {
      const p = host.config.prefix;
      if (args[0]) {
        const name = args[0].replace(p, "").toLowerCase();
        const cmd = host.commands().find((c) => c.name === name);
        if (!cmd) return reply(`no command '${name}'; try ${p}help`);
        return reply(`${p}${cmd.usage ?? cmd.name} — ${cmd.help}${cmd.admin ? " (admins only)" : ""}`);
      }
      const visible = host.commands().filter((c) => isAdmin || !c.admin);
      reply(`commands: ${visible.map((c) => p + c.name).join(" ")} — ${p}help COMMAND for more`);
    },
  });

  api.command("next", {
    help: "shows the next occurrences of a task",
    usage: "next NAME|#ID [N]",
    run: async ({ args, reply }) => {
      const [ref, count] = args;
      if (!ref) return reply(`usage: ${host.config.prefix}next NAME|#ID [N]`);
      // `#12` is how chat tasks are shown: look its name up.
      const name = /^#\d+$/.test(ref) ? ((await host.chat.find(host.config.name, ref))?.name ?? ref) : ref;
      const n = count === undefined ? 3 : Number(count);
      if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LINES) return reply(`N must be a whole number from 1 to ${MAX_LIST_LINES}`);
      const task = (await host.tasks()).find((t) => t.name === name);
      if (!task) {
        // Not queued: a paused or finished task is still one the user can ask about.
        const stored = await host.chat.find(host.config.name, name);
        if (!stored || stored.state === "retired") return reply(`no task '${name}' on this bot; ${host.config.prefix}tasks lists them`);
        if (stored.paused) return reply(`${name}: paused (${taskScheduleWords(stored)}); ${host.config.prefix}resume ${name} to go on`);
        return reply(`${name}: no more occurrences`);
      }
      // From the queued due time (inclusive), else from now: what will actually fire.
      const from = task.nextDue !== null ? task.nextDue - 1 : host.now();
      const times = host.recurrence(task).take(from, n);
      if (times.length === 0) return reply(`${name}: no more occurrences`);
      reply(`${name}: ${taskScheduleWords(task)} — next ${times.map((t) => formatInstant(t, task.tz)).join(", ")}`);
    },
  });
}

/** !reloadtasks and !reload (admins only). */
function registerReloadCommands(api: BotApi, host: CoreHost): void {
  api.command("reloadtasks", {
    help: "re-reads the task files into the store and rebuilds the queue",
    usage: "reloadtasks",
    admin: true,
    run: async ({ reply }) => {
      const r = await host.reloadTasks();
      reply(`tasks reloaded: ${r.summary}`);
      for (const issue of r.issues.slice(0, MAX_ERRORS_SHOWN)) reply(issue);
      if (r.issues.length > MAX_ERRORS_SHOWN) reply(`… and ${r.issues.length - MAX_ERRORS_SHOWN} more (run \`seshet check\`)`);
    },
  });

  api.command("reload", {
    help: "reloads one plugin module from its file",
    usage: "reload MODULE",
    admin: true,
    run: async ({ args, reply }) => {
      if (!args[0]) return reply(`usage: ${host.config.prefix}reload MODULE`);
      await host.reloadModule(args[0]);
      reply(`module '${args[0]}' reloaded`);
    },
  });
}
