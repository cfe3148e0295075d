// Recognises a command in a message: `!tasks`, or the bot addressed by nick
// (`seshet: tasks`, `seshet, tasks`), or any private line (`tasks`).

export interface ParsedCommand {
  name: string;
  args: string[];
  rest: string;
}

export function parseCommand(text: string, prefix: string, nick: string, isPrivate: boolean): ParsedCommand | null {
  let body: string | null = null;
  const trimmed = text.trim();
  if (prefix && trimmed.startsWith(prefix)) body = trimmed.slice(prefix.length);
  else {
    const addressed = new RegExp(`^${escape(nick)}[:,]\\s*`, "i").exec(trimmed);
    if (addressed) body = trimmed.slice(addressed[0].length);
    else if (isPrivate) body = trimmed;
  }
  if (!body) return null;
  const match = /^(\S+)\s*(.*)$/s.exec(body);
  if (!match) return null;
  const rest = match[2]!.trim();
  return { name: match[1]!.toLowerCase(), rest, args: rest ? rest.split(/\s+/) : [] };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
