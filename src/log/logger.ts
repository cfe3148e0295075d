// Levelled logging with the bot's name on every line. Text for people by
// default, one JSON object per line with `--log-format json` for machines.
// Nothing secret is ever passed in: config secrets stay inside the transport.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger for one bot or area: its name is added to every line. */
  child(name: string): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stderr by default so stdout stays free for command output. */
  write?: (line: string) => void;
  now?: () => Date;
}

export function isLogLevel(s: string): s is LogLevel {
  return s in RANK;
}

export function createLogger(opts: LoggerOptions = {}, name?: string): Logger {
  const level = RANK[opts.level ?? "info"];
  const format = opts.format ?? "text";
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const now = opts.now ?? (() => new Date());

  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < level) return;
    const time = now().toISOString();
    if (format === "json") {
      write(JSON.stringify({ time, level: lvl, ...(name ? { bot: name } : {}), msg, ...plain(fields) }));
      return;
    }
    const extra = fields ? Object.entries(plain(fields)).map(([k, v]) => ` ${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join("") : "";
    write(`${time} ${lvl.toUpperCase().padEnd(5)} ${name ? `[${name}] ` : ""}${msg}${extra}`);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (child) => createLogger(opts, name ? `${name}/${child}` : child),
  };
}

/** Errors become their message (and stack at debug), so JSON lines stay readable. */
function plain(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? v.message : v;
  return out;
}
