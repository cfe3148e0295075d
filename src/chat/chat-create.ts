// Creating tasks from IRC: `!in` (alias `!remind`), `!at` and `!every`.
// Every check runs before anything is stored, so a refusal creates nothing.
import type { BotApi, CommandContext } from "../modules/module-types.ts";
import type { ChatTask, NewChatTask } from "../store/chat-store-types.ts";
import { parseDuration } from "../scheduler/duration.ts";
import { formatLocal, instantToLocal } from "../scheduler/zoned-time.ts";
import { limitsOf, quotaKey, userKey, zoneOf, type ChatHost } from "./chat-host.ts";
import { parseWhen } from "./chat-when.ts";
import { formatWhen } from "./chat-time.ts";
import { EVERY_EXAMPLE, parseEvery } from "./chat-every.ts";
import { aheadProblem, quotaRefusal, recurrenceProblem, recurringRefusal, textProblem } from "./chat-limits.ts";
import { compileSchedule } from "../scheduler/recurrence/recurrence.ts";
import { scheduleWords } from "../scheduler/schedule-words.ts";

export const IN_EXAMPLE = "in 10m stretch your legs";
export const AT_EXAMPLE = "at fri 17:00 send the report";

/** The task function of reminders: says `NICK: TEXT` where it was asked. */
export const REMIND_FUNC = "core:remind";
/** The task function of `!every`: says `[#ID] TEXT` where it was asked. */
export const EVERY_FUNC = "core:every";

/**
 * The line a recurring chat task says. A bot-chosen prefix, never the user's
 * text first: `!every day: !op mallory` must not have the bot say a command
 * other bots act on. `[#12]` names what to `!cancel`; a task under any other
 * name (moved into a file by `seshet export`, made by a plugin) shows its name.
 */
export function everyLine(taskName: string, text: string): string {
  const id = /^chat-(\d+)$/.exec(taskName);
  return `[${id ? `#${id[1]}` : taskName}] ${text}`;
}

export function registerCreateCommands(api: BotApi, host: ChatHost): void {
  const p = host.config.prefix;
  const inCommand = {
    help: `reminds you later: ${p}${IN_EXAMPLE} (10s, 5m, 1h30m, 2d, 2 hours)`,
    usage: "in DURATION TEXT",
    run: (ctx: CommandContext) => remindIn(host, ctx),
  };
  api.command("in", inCommand);
  api.command("remind", { ...inCommand, usage: "remind DURATION TEXT" });
  api.command("at", {
    help: `reminds you at a time in your zone: ${p}${AT_EXAMPLE} (17:00, tomorrow 9:15, 2026-12-24 18:00, next friday at 5pm)`,
    usage: "at WHEN TEXT",
    run: (ctx) => remindAt(host, ctx),
  });
  api.command("every", {
    help: `says something on a schedule, in your zone: ${p}${EVERY_EXAMPLE} (day at 9:00, monday and thursday at 18:30, last friday of the month at 16:00, 2 hours, an RRULE; a zone may end the schedule)`,
    usage: "every SCHEDULE: TEXT",
    run: (ctx) => every(host, ctx),
  });
}

/** `!every SCHEDULE: TEXT` — a recurring task said where it was asked. */
async function every(host: ChatHost, ctx: CommandContext): Promise<void> {
  const { message: m, reply, isAdmin } = ctx;
  const example = host.config.prefix + EVERY_EXAMPLE;
  const limits = limitsOf(host.config);
  const colon = ctx.rest.indexOf(": ");
  if (colon < 0) return reply(`${m.nick}: put ': ' between the schedule and the text. Example: ${example}`);
  if (!m.isPrivate) {
    const refusal = recurringRefusal(host.roleIn(m.target, m.nick), isAdmin, limits);
    if (refusal) return reply(`${m.nick}: ${refusal}`);
  }
  const now = host.now();
  const parsed = parseEvery(ctx.rest.slice(0, colon), await zoneOf(host, m), now);
  if ("error" in parsed) return reply(`${m.nick}: ${parsed.error}. Example: ${example}`);
  const text = ctx.rest.slice(colon + 2).trim();
  const extras = parsed.exdate !== undefined ? { exdate: parsed.exdate } : undefined;
  const rec = compileSchedule({ start: parsed.start, tz: parsed.tz, rule: parsed.rule, extras });
  const problem = textProblem(text, limits) ?? recurrenceProblem(rec, now, limits, isAdmin);
  if (problem) return reply(`${m.nick}: ${problem}. Example: ${example}`);
  const next = rec.next(now)!;
  const task: OwnedFields = {
    bot: host.config.name,
    func: EVERY_FUNC,
    args: [m.replyTarget, text],
    kwargs: {},
    start: parsed.start,
    tz: parsed.tz,
    rrule: parsed.rule,
    ...(extras !== undefined ? { extras } : {}),
    catchup: "once",
  };
  const added = await addOwned(host, ctx, task, next);
  if (!added) return;
  const words = scheduleWords({ start: parsed.start, tz: parsed.tz, rule: parsed.rule, exdate: parsed.exdate });
  reply(`#${added.id}: ${words}, next ${formatWhen(next, await zoneOf(host, m), now)}`);
}

/**
 * How many leading words of `args` make a duration ("10m", "2 hours", "1 day 2 hours"), with its length.
 * Text is looked for first; a duration with nothing after it is still found, so the refusal says the text is missing.
 */
function leadingDuration(args: string[]): { ms: number; words: number } | null {
  for (let k = Math.min(4, args.length - 1); k >= 1; k--) {
    const ms = parseDuration(args.slice(0, k).join(" "));
    if (ms !== null) return { ms, words: k };
  }
  const all = args.length <= 4 ? parseDuration(args.join(" ")) : null;
  return all === null ? null : { ms: all, words: args.length };
}

async function remindIn(host: ChatHost, ctx: CommandContext): Promise<void> {
  const { message: m, reply } = ctx;
  const p = host.config.prefix;
  const d = leadingDuration(ctx.args);
  if (d === null) return reply(`${m.nick}: I did not understand the duration '${ctx.args[0] ?? ""}'. Example: ${p}${IN_EXAMPLE}`);
  const text = ctx.args.slice(d.words).join(" ");
  const now = host.now();
  await createOnce(host, ctx, now + d.ms, text, p + IN_EXAMPLE);
}

async function remindAt(host: ChatHost, ctx: CommandContext): Promise<void> {
  const { message: m, reply } = ctx;
  const p = host.config.prefix;
  const tz = await zoneOf(host, m);
  const when = await parseWhen(ctx.rest, tz, host.now());
  if ("error" in when) return reply(`${m.nick}: ${when.error} (your zone: ${tz}). Example: ${p}${AT_EXAMPLE}`);
  await createOnce(host, ctx, when.at, when.text, p + AT_EXAMPLE);
}

/** Stores a one-shot reminder due at `at` (never early), said in `target` (default: where asked), and answers with its id and time. */
export async function createOnce(host: ChatHost, ctx: CommandContext, at: number, text: string, example: string, target?: string): Promise<void> {
  const { message: m, reply } = ctx;
  const limits = limitsOf(host.config);
  const now = host.now();
  const tz = await zoneOf(host, m);
  const problem = textProblem(text, limits) ?? aheadProblem(at, now, limits);
  if (problem) return reply(`${m.nick}: ${problem}. Example: ${example}`);
  // A start names whole seconds: round up, so the reminder is never early.
  const due = Math.ceil(at / 1000) * 1000;
  const task: OwnedFields = {
    bot: host.config.name,
    func: REMIND_FUNC,
    args: [target ?? m.replyTarget, m.nick, text],
    kwargs: {},
    start: formatLocal(instantToLocal(due, tz)),
    tz,
    rrule: null,
    catchup: "once",
  };
  const added = await addOwned(host, ctx, task, due);
  if (!added) return;
  reply(`#${added.id}: once, ${formatWhen(due, tz, now)} (${tz})`);
}

type OwnedFields = Omit<NewChatTask, "owner" | "ownerNick" | "quotaKey">;

/** Stores a task owned by the speaker, within their quota (admins have none), and queues it; answers a refusal and returns null. */
async function addOwned(host: ChatHost, ctx: CommandContext, fields: OwnedFields, due: number): Promise<ChatTask | null> {
  const { message: m, reply, isAdmin } = ctx;
  const limits = limitsOf(host.config);
  const task: NewChatTask = { ...fields, owner: userKey(m), ownerNick: m.nick, quotaKey: quotaKey(m) };
  const added = await host.chat.add(task, due, host.now(), isAdmin ? null : limits.maxTasks);
  if ("refused" in added) {
    reply(`${m.nick}: ${quotaRefusal(added.refused, limits, m.account === null)}`);
    return null;
  }
  await host.refresh(added);
  return added;
}
