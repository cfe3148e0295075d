// Managing tasks from IRC: `!tz`, `!tasks [mine|PAGE]`, `!cancel`, `!pause`,
// `!resume`, `!run`, `!snooze`. Owners manage their own tasks, admins every
// task; file tasks are paused, resumed and run by admins only.
import type { BotApi, CommandContext } from "../modules/module-types.ts";
import type { ChatTask } from "../store/chat-store-types.ts";
import type { RunnableTask } from "../store/store-types.ts";
import { RUNTIME_ORIGIN } from "../store/store-types.ts";
import { zoneProblem } from "../config/zone-problem.ts";
import { isOwner, limitsOf, userKey, zoneOf, type ChatHost } from "./chat-host.ts";
import { runAgainProblem } from "./chat-limits.ts";
import { formatWhen } from "./chat-time.ts";
import { describeTask, taskText } from "./chat-words.ts";
import { registerSnooze } from "./chat-snooze.ts";

/** Tasks per page of `!tasks`: a listing must not flood the channel. */
export const PAGE_SIZE = 5;
const TZ_EXAMPLE = "tz Europe/Berlin";

export function registerManageCommands(api: BotApi, host: ChatHost): void {
  const p = host.config.prefix;
  api.command("tz", {
    help: `shows or sets your time zone for ${p}at, ${p}every and listings, e.g. ${p}${TZ_EXAMPLE}`,
    usage: "tz [ZONE]",
    run: (ctx) => timeZone(host, ctx),
  });
  api.command("tasks", {
    help: `lists this bot's tasks, a page at a time (${p}tasks 2), or yours (${p}tasks mine)`,
    usage: "tasks [mine] [PAGE]",
    run: (ctx) => listTasks(host, ctx),
  });
  api.command("cancel", { help: `cancels one of your tasks, e.g. ${p}cancel 12`, usage: "cancel ID", run: (ctx) => manage(host, ctx, "cancel") });
  api.command("pause", { help: `pauses a task until ${p}resume, e.g. ${p}pause 12`, usage: "pause ID|NAME", run: (ctx) => manage(host, ctx, "pause") });
  api.command("resume", { help: `resumes a paused task, e.g. ${p}resume 12`, usage: "resume ID|NAME", run: (ctx) => manage(host, ctx, "resume") });
  api.command("run", { help: `fires a task once now; its schedule is unchanged, e.g. ${p}run 12`, usage: "run ID|NAME", run: (ctx) => manage(host, ctx, "run") });
  registerSnooze(api, host);
}

async function timeZone(host: ChatHost, { message: m, args, reply }: CommandContext): Promise<void> {
  const p = host.config.prefix;
  if (args.length === 0) {
    const mine = await host.chat.zone(host.config.name, userKey(m));
    return reply(`${m.nick}: your zone is ${mine ?? `${host.config.tz} (the bot's; set yours with ${p}${TZ_EXAMPLE})`}`);
  }
  const zone = args[0]!.slice(0, 64);
  const problem = args.length > 1 ? "a zone is one word" : zoneProblem(zone);
  if (problem) return reply(`${m.nick}: ${problem}. Example: ${p}${TZ_EXAMPLE}`);
  const canonical = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  await host.chat.setZone(host.config.name, userKey(m), canonical, host.now());
  const keyed = m.account ? `account ${m.account}` : `nick ${m.nick} (identify with services to keep it across nicks)`;
  reply(`${m.nick}: your zone is now ${canonical}, for ${keyed}; it is ${formatWhen(host.now(), canonical, host.now())} there`);
}

async function listTasks(host: ChatHost, { message: m, args, reply, isAdmin }: CommandContext): Promise<void> {
  const p = host.config.prefix;
  const mine = args[0]?.toLowerCase() === "mine";
  const pageArg = mine ? args[1] : args[0];
  const page = pageArg === undefined ? 1 : Number(pageArg);
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000) {
    return reply(`${m.nick}: '${pageArg}' is not a page number. Example: ${p}tasks 2 or ${p}tasks mine`);
  }
  const bot = host.config.name;
  const offset = (page - 1) * PAGE_SIZE;
  const found = mine ? await host.chat.owned(bot, userKey(m), PAGE_SIZE, offset) : await host.chat.active(bot, PAGE_SIZE, offset);
  // Plugins' in-memory tasks come after the stored ones.
  const memory = mine ? [] : (host.memoryTasks?.() ?? []);
  const total = found.total + memory.length;
  const fromMemory = memory.slice(Math.max(0, offset - found.total)).slice(0, PAGE_SIZE - found.tasks.length);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (total === 0) return reply(mine ? `${m.nick}: you have no tasks; try ${p}in 10m hello` : "no tasks");
  if (found.tasks.length + fromMemory.length === 0) return reply(`${m.nick}: there are only ${pages} page(s)`);
  const tz = await zoneOf(host, m);
  for (const t of found.tasks) reply(taskLine(t, tz, host.now(), isAdmin || isOwner(t, m)));
  for (const t of fromMemory) reply(memoryLine(t, tz, host.now()));
  if (pages > 1) reply(`page ${page} of ${pages} (${total} tasks)${page < pages ? ` — ${p}tasks ${mine ? "mine " : ""}${page + 1} for more` : ""}`);
}

/**
 * `#12 alice: every weekday at 09:00 (Europe/Berlin), next Tue 1 Dec 09:00 — stand up`.
 * The text of someone else's task said in private is not shown (`!tasks` may be asked in a channel).
 */
export function taskLine(t: ChatTask, tz: string, now: number, ownView = true): string {
  const who = t.origin === RUNTIME_ORIGIN ? (t.ownerNick ?? "module") : t.name;
  const next = t.paused ? "paused" : t.nextDue === null ? "no more occurrences" : `next ${formatWhen(t.nextDue, tz, now)}`;
  const hidden = !ownView && t.origin === RUNTIME_ORIGIN && typeof t.args[0] === "string" && !/^[#&!+]/.test(t.args[0]);
  return `#${t.id} ${who}: ${describeTask(t)}, ${next} — ${hidden ? "(in private)" : taskText(t)}`;
}

/** `reminder-3 (in memory): once (UTC), next Tue 1 Dec 09:00 — remind:deliver(…)`: a plugin's unstored task. */
function memoryLine(t: RunnableTask, tz: string, now: number): string {
  const next = t.nextDue === null ? "no more occurrences" : `next ${formatWhen(t.nextDue, tz, now)}`;
  return `${t.name} (in memory): ${describeTask({ ...t, extras: undefined })}, ${next} — ${taskText(t)}`;
}

type Action = "cancel" | "pause" | "resume" | "run";

async function manage(host: ChatHost, ctx: CommandContext, action: Action): Promise<void> {
  const { message: m, args, reply, isAdmin } = ctx;
  const p = host.config.prefix;
  const ref = args[0];
  if (ref === undefined || args.length > 1) return reply(`${m.nick}: which task? Example: ${p}${action} 12`);
  const task = await host.chat.find(host.config.name, ref.slice(0, 200));
  if (!task || task.state === "retired") return reply(`${m.nick}: there is no task ${ref} on this bot; ${p}tasks mine lists yours`);
  const refusal = permission(task, m, isAdmin, action);
  if (refusal) return reply(`${m.nick}: ${refusal}`);
  if (task.state === "done" && action !== "run") return reply(`${m.nick}: #${task.id} has no more occurrences`);
  const now = host.now();
  if (action === "cancel") {
    await host.chat.cancel(task.id, now);
    await host.refresh({ ...task, state: "retired" });
    return reply(`${m.nick}: cancelled #${task.id} (${taskText(task)})`);
  }
  if (action === "run") {
    const tooSoon = isAdmin ? undefined : runAgainProblem(task.lastRun, now, limitsOf(host.config));
    if (tooSoon) return reply(`${m.nick}: #${task.id} ${tooSoon}`);
    await host.runNow(task);
    return reply(`${m.nick}: ran #${task.id} once now; ${task.nextDue === null || task.paused ? "its schedule is unchanged" : `next still ${formatWhen(task.nextDue, task.tz, now)}`}`);
  }
  const pause = action === "pause";
  if (task.paused === pause) return reply(`${m.nick}: #${task.id} is already ${pause ? "paused" : "running"}`);
  const nextDue = pause ? task.nextDue : resumeDue(host, task, now);
  if (!(await host.chat.setPaused(task.id, pause, nextDue, now))) return reply(`${m.nick}: #${task.id} has no more occurrences`);
  await host.refresh({ ...task, paused: pause, nextDue });
  const tz = await zoneOf(host, m);
  reply(`${m.nick}: ${pause ? "paused" : "resumed"} #${task.id}${nextDue !== null && !pause ? `, next ${formatWhen(nextDue, tz, now)}` : ""}`);
}

/** Resumed, a recurring task skips what fell due while paused; a one-shot whose time passed fires now. */
function resumeDue(host: ChatHost, task: ChatTask, now: number): number | null {
  if (task.rrule === null) return task.nextDue;
  return host.recurrence(task).next(now) ?? null;
}

function permission(task: ChatTask, m: CommandContext["message"], admin: boolean, action: Action): string | undefined {
  if (action === "cancel" && task.origin !== RUNTIME_ORIGIN) return `#${task.id} (${task.name}) comes from ${task.origin}: remove it there, or ${"pause"} it`;
  if (admin) return undefined;
  if (task.origin !== RUNTIME_ORIGIN) return `#${task.id} (${task.name}) comes from ${task.origin}; only admins ${action} file tasks`;
  if (!isOwner(task, m)) return `#${task.id} belongs to ${task.ownerNick ?? "someone else"}; you can ${action} only your own tasks`;
  return undefined;
}
