// Levelled logging with the bot's name on every line. Text for people by
// default, one JSON object per line with `--log-format json` for machines.
// Nothing secret is ever passed in: config secrets stay inside the transport.

import { escapeControls, escapeControlsJson } from "./log-escape.ts";
import { writeStderrLine } from "../platform/std-stream.ts";

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
  const write = opts.write ?? writeStderrLine;
  const now = opts.now ?? (() => new Date());

  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < level) return;
    const time = now().toISOString();
    const stacks = errorStacks(fields);
    if (format === "json") {
      const stack = stacks.length > 0 ? { stack: stacks.join("\n") } : {};
      write(escapeControlsJson(JSON.stringify({ time, level: lvl, ...(name ? { bot: name } : {}), msg, ...plain(fields), ...stack })));
      return;
    }
    // Fields and messages carry IRC text: control characters are escaped, so one record stays one line.
    const extra = fields ? Object.entries(plain(fields)).map(([k, v]) => ` ${escapeControls(k)}=${textValue(v)}`).join("") : "";
    // The stack follows on indented lines, so the first line stays one record a grep finds.
    const trace = stacks.map((s) => `\n${indent(s)}`).join("");
    write(`${time} ${lvl.toUpperCase().padEnd(5)} ${name ? `[${escapeControls(name)}] ` : ""}${escapeControls(msg)}${extra}${trace}`);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (child) => createLogger(opts, name ? `${name}/${child}` : child),
  };
}

/** Errors become their message in the fields; their stacks go with the record (see errorStacks). */
function plain(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  // An absent value is left out, never printed as `next=undefined`.
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v instanceof Error ? v.message : v;
  return out;
}

// Causes nest; a cycle or a pathological chain must not make logging loop.
const MAX_CAUSES = 5;

/**
 * The stack of every Error among the fields, with its `cause` chain: without
 * it an error report says what failed but not where. A value that is not an
 * Error (a thrown string) has no stack and adds nothing.
 */
function errorStacks(fields: LogFields | undefined): string[] {
  if (!fields) return [];
  const out: string[] = [];
  for (const v of Object.values(fields)) {
    let err: unknown = v;
    for (let depth = 0; err instanceof Error && depth <= MAX_CAUSES; depth++) {
      const text = err.stack ?? `${err.name}: ${err.message}`;
      out.push(depth === 0 ? text : `caused by: ${text}`);
      err = err.cause;
    }
  }
  return out;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${escapeControls(line.trimStart())}`)
    .join("\n");
}

function textValue(v: unknown): string {
  if (typeof v === "string") return escapeControls(v);
  // JSON.stringify can fail (cycles, BigInt); a log line must still be written.
  let json: string | undefined;
  try {
    json = JSON.stringify(v);
  } catch {
    json = String(v);
  }
  return escapeControlsJson(json ?? String(v));
}
