// A task's schedule in words for chat replies and listings.
import type { ChatTask } from "../store/chat-store-types.ts";
import { formatRuleString } from "../scheduler/rule-parse.ts";

export function describeTask(t: Pick<ChatTask, "rrule" | "tz">): string {
  if (t.rrule === null) return `once (${t.tz})`;
  return `${formatRuleString(t.rrule)} (${t.tz})`;
}

/** What a task says when it fires: the text argument of say/remind, else its function and arguments. */
export function taskText(t: Pick<ChatTask, "func" | "args">): string {
  const text = t.func === "core:remind" ? t.args[2] : t.args[1];
  return typeof text === "string" && t.func.startsWith("core:") ? text : `${t.func}(${JSON.stringify(t.args).slice(1, -1)})`;
}
