// A task's schedule in words for chat replies and listings (the wording is
// scheduler/schedule-words.ts's, shared with the CLI and !next).
import type { ChatTask } from "../store/chat-store-types.ts";
import { taskScheduleWords } from "../scheduler/schedule-words.ts";

export function describeTask(t: Pick<ChatTask, "rrule" | "tz" | "start" | "extras">): string {
  // A one-shot's time is shown beside it as "next …".
  if (t.rrule === null && t.extras === undefined) return `once (${t.tz})`;
  return taskScheduleWords(t);
}

/** What a task says when it fires: the text argument of say/remind, else its function and arguments. */
export function taskText(t: Pick<ChatTask, "func" | "args">): string {
  const text = t.func === "core:remind" ? t.args[2] : t.args[1];
  return typeof text === "string" && t.func.startsWith("core:") ? text : `${t.func}(${JSON.stringify(t.args).slice(1, -1)})`;
}
