// The keys of a bot file (`bots/NAME.toml`): what parse-bot-file.ts accepts
// and what `seshet schema bot` describes. Add a key here first.
import { DEFAULT_FLOOD, DEFAULT_SCHEDULE_LIMITS } from "./config-types.ts";
import { DEFAULT_REPLIES } from "../irc/connection-config.ts";
import type { KeySpec, KeyTable } from "./config-keys.ts";

const SECRET_DOC = 'a secret, written as { env = "VARIABLE" } and read from the environment; never the value itself';

const SERVER: KeyTable = {
  host: { kind: "string", required: true, doc: 'The IRC server\'s host name or IP address, e.g. "irc.libera.chat" (no scheme or port).' },
  port: { kind: "integer", min: 1, max: 65535, doc: "The server's port; default 6697 with TLS, 6667 without." },
  tls: { kind: "boolean", default: true, doc: "Connect with TLS." },
  verify_tls: { kind: "boolean", default: true, doc: "Verify the server's TLS certificate; turning it off logs a warning at every connect." },
  password: { kind: "secret", doc: `The server password: ${SECRET_DOC}.` },
  client_cert: { kind: "string", doc: "A PEM client certificate (CertFP / SASL EXTERNAL), relative to the project folder." },
  client_key: { kind: "string", doc: "The PEM key of client_cert, relative to the project folder." },
};

const SASL: KeyTable = {
  mechanism: { kind: "string", choices: ["PLAIN", "EXTERNAL"], caseInsensitive: true, default: "PLAIN", doc: "PLAIN (account and password) or EXTERNAL (the client certificate)." },
  account: { kind: "string", doc: "The services account (PLAIN)." },
  password: { kind: "secret", doc: `The account's password (PLAIN): ${SECRET_DOC}.` },
};

const FLOOD: KeyTable = {
  burst: { kind: "integer", min: 1, max: 1000, default: DEFAULT_FLOOD.burst, doc: "Lines sent back to back before the rate applies." },
  rate: { kind: "number", min: 0, minExclusive: true, max: 100, default: DEFAULT_FLOOD.rate, doc: "Lines per second after the burst." },
};

const REPLIES: KeyTable = {
  burst: { kind: "integer", min: 1, max: 1000, default: DEFAULT_REPLIES.burst, doc: "Reply lines one user (services account, else host) may get back to back." },
  per_minute: { kind: "number", min: 0, minExclusive: true, max: 6000, default: DEFAULT_REPLIES.perMinute, doc: "Reply lines per minute and user after the burst." },
  ctcp_per_minute: { kind: "number", min: 0, max: 600, default: DEFAULT_REPLIES.ctcpPerMinute, doc: "CTCP VERSION/PING answers per minute, all users together (0: none)." },
  queue: { kind: "integer", min: 1, max: 100_000, default: DEFAULT_REPLIES.queue, doc: "Reply lines waiting to be sent at most; beyond it replies are dropped (and counted)." },
  commands: { kind: "integer", min: 1, max: 1000, default: DEFAULT_REPLIES.commands, doc: "Commands one user (services account, else host) may run back to back." },
  commands_per_minute: { kind: "number", min: 0, minExclusive: true, max: 6000, default: DEFAULT_REPLIES.commandsPerMinute, doc: "Commands per minute and user after those." },
};

const CHAT_DURATION_DOC = 'a duration such as "15m", "2h", "1d" or "1y" (also in words: "2 hours")';
const SCHEDULE: KeyTable = {
  recurring: { kind: "string", choices: ["anyone", "voice", "op", "admin"], default: DEFAULT_SCHEDULE_LIMITS.recurring, doc: "Who may create recurring channel tasks from IRC." },
  max_tasks: { kind: "integer", min: 0, max: 100_000, default: DEFAULT_SCHEDULE_LIMITS.maxTasks, doc: "Active tasks per user." },
  min_interval: { kind: "string", doc: `The shortest interval of a recurring task, for non-admins: ${CHAT_DURATION_DOC}.` },
  max_text: { kind: "integer", min: 1, max: 450, default: DEFAULT_SCHEDULE_LIMITS.maxTextBytes, doc: "The longest task text, in UTF-8 bytes (an IRC line holds about 450)." },
  max_ahead: { kind: "string", doc: `How far ahead a one-shot task may be: ${CHAT_DURATION_DOC}.` },
};

const table = (doc: string, keys: KeyTable): KeySpec => ({ kind: "table", doc, keys });

export const BOT_FILE_KEYS: KeyTable = {
  nick: { kind: "string", required: true, doc: "The nick to use." },
  alt_nicks: { kind: "strings", doc: 'Nicks tried in order while the nick is taken; default ["<nick>_"]. The wanted nick is regained when it frees up.' },
  username: { kind: "string", doc: "The username (ident); default the nick." },
  realname: { kind: "string", default: "Seshet bot", doc: "The real name shown by WHOIS." },
  channels: { kind: "strings", doc: "Channels joined on connect and after every reconnect." },
  admins: { kind: "strings", doc: 'Who may use admin commands: "account:NAME" (services account) or nick!user@host globs (* and ?).' },
  prefix: { kind: "string", default: "!", pattern: "^\\S+$", doc: "The command prefix; the bot also answers 'NICK: command' and private messages." },
  tz: { kind: "string", default: "UTC", doc: 'The default IANA time zone of this bot\'s tasks, e.g. "Europe/Berlin".' },
  tick: { kind: "number", min: 0, minExclusive: true, max: 60, default: 1, doc: "Seconds between BOT_TICK events." },
  modules: { kind: "strings", doc: "Plugin files (.ts or .js), relative to the project folder (the parent of bots/)." },
  outbox_limit: { kind: "integer", min: 0, default: 1000, doc: "Lines of task and plugin output queued at most, connected or not; beyond it the oldest are dropped (and the drop is logged)." },
  server: table("The IRC server to connect to.", SERVER),
  sasl: table("SASL authentication.", SASL),
  flood: table("Flood control for everything the bot sends.", FLOOD),
  replies: table("Limits on answers to users.", REPLIES),
  schedule: table("Limits of scheduling tasks from IRC.", SCHEDULE),
};
