// How the supervisor hands on a line a bot child printed. In text, with the
// bot's name in front (`NAME | …`; `NAME | stdout: …` for a plugin's print).
// In JSON (`--log-format json`), one JSON record per line, so the log stays
// machine-readable: a record of the child's own logger goes on as it is (with
// its bot named), anything else (a plugin's print, the runtime's crash report)
// becomes the `msg` of a record of its own, with the bot and the stream.
import { escapeControlsJson } from "../log/log-escape.ts";
import type { LogFormat } from "../log/logger.ts";

export function childLine(bot: string, line: string, stream: "stdout" | "stderr", format: LogFormat, now: () => Date): string {
  if (format === "text") return stream === "stdout" ? `${bot} | stdout: ${line}` : `${bot} | ${line}`;
  const record = stream === "stderr" ? logRecord(line) : undefined;
  // A record naming another bot is a print posing as its log: wrapped like any print.
  if (record && (record.bot === undefined || record.bot === bot)) {
    const { time, level, bot: _, ...rest } = record;
    return escapeControlsJson(JSON.stringify({ time, level, bot, ...rest }));
  }
  return escapeControlsJson(JSON.stringify({ time: now().toISOString(), level: "info", bot, stream, msg: line }));
}

/** The line as a record of the logger (log/logger.ts: time, level, msg), or undefined. */
function logRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const r: unknown = JSON.parse(line);
    if (typeof r !== "object" || r === null || Array.isArray(r)) return undefined;
    const o = r as Record<string, unknown>;
    return typeof o.time === "string" && typeof o.level === "string" && typeof o.msg === "string" ? o : undefined;
  } catch {
    return undefined;
  }
}
