// `!snooze DURATION`: the speaker's last fired reminder (or recurring task)
// is said again after DURATION, as a new one-shot reminder of theirs.
import type { BotApi, CommandContext } from "../modules/module-types.ts";
import { parseDuration } from "../scheduler/duration.ts";
import { isOwner, userKey, type ChatHost } from "./chat-host.ts";
import { createOnce } from "./chat-create.ts";
import { taskText } from "./chat-words.ts";

const SNOOZE_EXAMPLE = "snooze 10m";

export function registerSnooze(api: BotApi, host: ChatHost): void {
  const p = host.config.prefix;
  api.command("snooze", {
    help: `says your last reminder again later, e.g. ${p}${SNOOZE_EXAMPLE}`,
    usage: "snooze DURATION",
    run: (ctx) => snooze(host, ctx),
  });
}

async function snooze(host: ChatHost, ctx: CommandContext): Promise<void> {
  const { message: m, reply } = ctx;
  const p = host.config.prefix;
  const ms = parseDuration(ctx.rest);
  if (ms === null) return reply(`${m.nick}: I did not understand the duration '${ctx.rest.slice(0, 40)}'. Example: ${p}${SNOOZE_EXAMPLE}`);
  const last = await host.chat.lastFired(host.config.name, userKey(m));
  if (!last || !isOwner(last.task, m)) return reply(`${m.nick}: none of your reminders has fired yet, so there is nothing to snooze`);
  const target = typeof last.task.args[0] === "string" ? last.task.args[0] : m.replyTarget;
  await createOnce(host, ctx, host.now() + ms, taskText(last.task), p + SNOOZE_EXAMPLE, target);
}
