// Task names are the sync key per bot, so two declarations that would land on
// one bot under one name are an error. A task without `bot` runs on every bot
// and so clashes with a same-named task of any bot.
import type { SourceLocation } from "./config-types.ts";

interface Declared {
  bot: string | null;
  at: SourceLocation;
}

export class TaskNameRegistry {
  private readonly byName = new Map<string, Declared[]>();

  /** Registers a declaration; returns the problem when it clashes with an earlier one. */
  claim(name: string, bot: string | null, at: SourceLocation): string | undefined {
    const earlier = this.byName.get(name) ?? [];
    const clash = earlier.find((d) => d.bot === null || bot === null || d.bot === bot);
    if (clash) return clashMessage(name, bot, clash);
    earlier.push({ bot, at });
    this.byName.set(name, earlier);
    return undefined;
  }
}

function clashMessage(name: string, bot: string | null, first: Declared): string {
  const where = `${first.at.file}:${first.at.line}:${first.at.col}`;
  if (bot !== null && first.bot === bot) {
    return `duplicate task name '${name}' for bot '${bot}': first declared at ${where}`;
  }
  if (bot === null && first.bot === null) {
    return `duplicate task name '${name}': first declared at ${where}`;
  }
  if (bot === null) {
    return `duplicate task name '${name}': this task has no 'bot', so it runs on every bot, and bot '${first.bot}' already has a task '${name}' (declared at ${where})`;
  }
  return `duplicate task name '${name}' for bot '${bot}': the task '${name}' declared at ${where} has no 'bot', so it already runs on every bot`;
}
