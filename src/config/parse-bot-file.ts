// One bot file (`bots/NAME.toml`) → a validated BotConfig with defaults applied.
import * as path from "node:path";
import type { BotConfig, ConfigIssue } from "./config-types.ts";
import type { FloodConfig, ReplyLimits, SaslConfig, ServerConfig } from "../irc/connection-config.ts";
import { DEFAULT_FLOOD } from "./config-types.ts";
import { DEFAULT_REPLIES } from "../irc/connection-config.ts";
import { BOT_FILE_KEYS } from "./bot-file-keys.ts";
import { choiceProblem, intRange, keysOf, numRange, subKeys } from "./config-keys.ts";
import { FileChecker, type TomlTable } from "./file-checker.ts";
import { adminProblem, channelProblem, lineProblem, nickProblem, usernameProblem } from "./irc-names.ts";
import { readSecret, type Env } from "./secret-value.ts";
import { readToml } from "./toml-read.ts";
import { zoneProblem } from "./zone-problem.ts";
import { checkSchedule } from "./parse-schedule-table.ts";

export interface BotFileResult {
  /** `null` when the file has any issue. */
  bot: BotConfig | null;
  issues: ConfigIssue[];
}

// Which keys exist, their ranges and choices: bot-file-keys.ts (also the JSON Schema's source).
const TOP = BOT_FILE_KEYS;
const SERVER = subKeys(TOP, "server");
const SASL = subKeys(TOP, "sasl");
const FLOOD = subKeys(TOP, "flood");
const REPLIES = subKeys(TOP, "replies");

const BOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function botNameOf(file: string): string {
  return path.basename(file).replace(/\.toml$/i, "");
}

export function parseBotFile(file: string, text: string, env: Env): BotFileResult {
  const read = readToml(file, text);
  if (!read.ok) return { bot: null, issues: [read.issue] };
  const ck = new FileChecker(file, read.locs);
  const bot = checkBot(ck, file, read.table, env);
  return ck.issues.length > 0 ? { bot: null, issues: ck.sortedIssues() } : { bot, issues: [] };
}

function checkBot(ck: FileChecker, file: string, t: TomlTable, env: Env): BotConfig {
  const name = botNameOf(file);
  if (!BOT_NAME.test(name)) {
    ck.error(
      { file, line: 1, col: 1 },
      `the file name gives the bot its name, and "${name}" is not usable: use letters, digits, '-', '_' or '.'`,
    );
  }
  ck.unknownKeys(t, [], keysOf(TOP), "");

  const nick = ck.string(t, [], "nick", { required: "", check: nickProblem }) ?? "";
  const altNicks = ck.stringArray(t, [], "alt_nicks", "nicks", nickProblem);
  const username = ck.string(t, [], "username", { check: usernameProblem });
  const realname = ck.string(t, [], "realname", { check: lineProblem });
  const channels = ck.stringArray(t, [], "channels", "channel names", channelProblem);
  const admins = ck.stringArray(t, [], "admins", "admin masks", adminProblem);
  const prefix = ck.string(t, [], "prefix", {
    check: (p) => (/^\S+$/.test(p) ? undefined : "must be non-empty, without spaces"),
  });
  const tz = ck.string(t, [], "tz", { check: zoneProblem });
  const tick = ck.number(t, [], "tick", numRange(TOP.tick));
  const modules = ck.stringArray(t, [], "modules", "module paths", (m) =>
    m.trim() === "" ? "a module path must not be empty" : undefined,
  );
  const outboxLimit = ck.integer(t, [], "outbox_limit", ...intRange(TOP.outbox_limit));

  // Module paths are written relative to the project (the bots folder's parent).
  const projectDir = path.dirname(path.dirname(path.resolve(file)));

  const bot: BotConfig = {
    name,
    file,
    nick,
    altNicks: altNicks ?? [`${nick}_`],
    username: username ?? nick,
    realname: realname ?? "Seshet bot",
    channels: channels ?? [],
    admins: admins ?? [],
    prefix: prefix ?? "!",
    tz: tz ?? "UTC",
    tick: tick ?? 1,
    modules: (modules ?? []).map((m) => path.resolve(projectDir, m)),
    server: checkServer(ck, t, env, projectDir),
    flood: checkFlood(ck, t),
    outboxLimit: outboxLimit ?? 1000,
    replies: checkReplies(ck, t),
    schedule: checkSchedule(ck, t),
  };
  const sasl = checkSasl(ck, t, env);
  if (sasl) bot.sasl = sasl;
  return bot;
}

function checkServer(ck: FileChecker, t: TomlTable, env: Env, projectDir: string): ServerConfig {
  const p = ["server"];
  const s = ck.table(t, [], "server");
  if (s === undefined) {
    if (t.server === undefined) {
      ck.error({ file: ck.file, line: 1, col: 1 }, "missing [server] table (with at least host = \"irc.example.net\")");
    }
    return { host: "", port: 6697, tls: true, verifyTls: true };
  }
  ck.unknownKeys(s, p, keysOf(SERVER), " in [server]");
  const host = ck.string(s, p, "host", {
    required: " in [server]",
    check: (h) => (/^[^\s/:]+$|^\[?[0-9A-Fa-f:.]+\]?$/.test(h) ? undefined : "must be a host name or IP address (no scheme, port or spaces)"),
  });
  const tls = ck.boolean(s, p, "tls") ?? true;
  const port = ck.integer(s, p, "port", ...intRange(SERVER.port)) ?? (tls ? 6697 : 6667);
  const server: ServerConfig = {
    host: host ?? "",
    port,
    tls,
    verifyTls: ck.boolean(s, p, "verify_tls") ?? true,
  };
  const password = readSecret(ck, s, p, "password", env);
  if (password !== undefined) server.password = password;
  // A client certificate (PEM files, relative to the project) for SASL EXTERNAL / CertFP.
  const cert = ck.string(s, p, "client_cert");
  const key = ck.string(s, p, "client_key");
  if (cert !== undefined) server.clientCert = path.resolve(projectDir, cert);
  if (key !== undefined) server.clientKey = path.resolve(projectDir, key);
  return server;
}

function checkSasl(ck: FileChecker, t: TomlTable, env: Env): SaslConfig | undefined {
  const p = ["sasl"];
  const s = ck.table(t, [], "sasl");
  if (s === undefined) return undefined;
  ck.unknownKeys(s, p, keysOf(SASL), " in [sasl]");
  const mechanism = ck.string(s, p, "mechanism", { check: choiceProblem(SASL.mechanism) });
  const mech = (mechanism?.toUpperCase() ?? "PLAIN") as SaslConfig["mechanism"];
  const needed = mech === "PLAIN" ? " in [sasl] (PLAIN needs an account and a password)" : undefined;
  const account = ck.string(s, p, "account", { required: needed, check: lineProblem });
  const password = readSecret(ck, s, p, "password", env);
  if (mech === "PLAIN" && s.password === undefined) ck.missing(p, "password", needed ?? "");
  const sasl: SaslConfig = { mechanism: mech, account: account ?? "" };
  if (password !== undefined) sasl.password = password;
  return sasl;
}

function checkReplies(ck: FileChecker, t: TomlTable): ReplyLimits {
  const p = ["replies"];
  const r = ck.table(t, [], "replies");
  if (r === undefined) return { ...DEFAULT_REPLIES };
  ck.unknownKeys(r, p, keysOf(REPLIES), " in [replies]");
  const d = DEFAULT_REPLIES;
  return {
    burst: ck.integer(r, p, "burst", ...intRange(REPLIES.burst)) ?? d.burst,
    perMinute: ck.number(r, p, "per_minute", numRange(REPLIES.per_minute)) ?? d.perMinute,
    ctcpPerMinute: ck.number(r, p, "ctcp_per_minute", numRange(REPLIES.ctcp_per_minute)) ?? d.ctcpPerMinute,
    queue: ck.integer(r, p, "queue", ...intRange(REPLIES.queue)) ?? d.queue,
    commands: ck.integer(r, p, "commands", ...intRange(REPLIES.commands)) ?? d.commands,
    commandsPerMinute: ck.number(r, p, "commands_per_minute", numRange(REPLIES.commands_per_minute)) ?? d.commandsPerMinute,
  };
}

function checkFlood(ck: FileChecker, t: TomlTable): FloodConfig {
  const p = ["flood"];
  const f = ck.table(t, [], "flood");
  if (f === undefined) return { ...DEFAULT_FLOOD };
  ck.unknownKeys(f, p, keysOf(FLOOD), " in [flood]");
  return {
    burst: ck.integer(f, p, "burst", ...intRange(FLOOD.burst)) ?? DEFAULT_FLOOD.burst,
    rate: ck.number(f, p, "rate", numRange(FLOOD.rate)) ?? DEFAULT_FLOOD.rate,
  };
}
