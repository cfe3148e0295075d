// A hostile or broken server: a scripted server sends malformed, truncated,
// oversized, non-UTF-8 and out-of-order lines, unknown numerics and CAP /
// ACCOUNT / CHGHOST edge cases to a whole in-process bot. The bot must never
// crash (no uncaught error) nor stall: afterwards it still answers a command.
// Seeded and reproducible: SESHET_FUZZ_SEED picks the sequence (printed on
// failure), SESHET_FUZZ_SECONDS how long it runs (default 3).
import { afterAll, expect, test } from "bun:test";
import { botConfig, startInProcessBot, type InProcessBot } from "../support/in-process-bot.ts";
import { registration, scriptedServer, type ScriptedServer } from "../support/scripted-server.ts";
import { seededRandom } from "../support/seeded-random.ts";

const SEED = Number(process.env.SESHET_FUZZ_SEED ?? 12012);
const SECONDS = Number(process.env.SESHET_FUZZ_SECONDS ?? 3);


const rnd = seededRandom(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const NICKS = ["alice", "bob", "seshet", "Seshet", "[x]", "{x}", "", "a b", "n\x00ul", "é", "*", "#t", ":"];
const CHANNELS = ["#t", "#T", "#other", "", "#", "&x", "#t,#u", "0"];
const who = () => `${pick(NICKS)}!${pick(["u", "", "~x"])}@${pick(["h", "", "evil.example", "a@b"])}`;

// Templates: real IRC shapes with their parameters missing, wrong or strange.
const TEMPLATES: (() => string)[] = [
  () => `:${who()} PRIVMSG ${pick(["seshet", "#t", "", "*"])} :${pick(["!help", "!tasks", "!reloadtasks", "!next", "\x01VERSION\x01", "\x01PING x", "\x01", "!", "seshet: help", ""])}`,
  () => `:${who()} NOTICE seshet :${pick(["!help", "unknown command 'x'", ""])}`,
  () => `:${who()} JOIN ${pick(CHANNELS)}${pick(["", " *", " acct :Real", " :", " * :"])}`,
  () => `:${who()} PART ${pick(CHANNELS)}${pick(["", " :bye", " :\x1b[31m"])}`,
  () => `:${who()} KICK ${pick(CHANNELS)} ${pick(NICKS)}${pick(["", " :", " :reason"])}`,
  () => `:${who()} QUIT${pick(["", " :", " :bye"])}`,
  () => `:${who()} NICK ${pick([...NICKS, ":"])}`,
  () => `:${who()} ACCOUNT ${pick(["*", "", "alice", ":", "a b"])}`,
  () => `:${who()} CHGHOST ${pick(["", "u", "u h", ":", "u h extra"])}`,
  () => `:${who()} AWAY${pick(["", " :gone"])}`,
  () => `:${who()} MODE ${pick(CHANNELS)} ${pick(["+o", "+o seshet", "-o seshet", "+b *!*@*", "+", "", "+k"])}`,
  () => `:${who()} TOPIC ${pick(CHANNELS)}${pick(["", " :", " :topic"])}`,
  () => `:${who()} INVITE seshet ${pick(CHANNELS)}`,
  () => `:fake CAP ${pick(["seshet", "*", ""])} ${pick(["NEW", "DEL", "ACK", "NAK", "LS", "LIST", "WHAT"])}${pick(["", " :", " :account-tag", " :account-notify extended-join", " * :sasl"])}`,
  () => `:fake ${pick(["001", "005", "353", "354", "366", "330", "318", "401", "433", "437", "471", "473", "474", "475", "900", "903", "904", "999", "000", "1234", "42"])} ${pick(["seshet", "*", ""])}${pick(["", " ", " #t", " = #t :@alice +bob seshet", " 745 #t u h alice H alice", " 745", " alice", " alice alice :is logged in", " #t :Cannot join", " CASEMAPPING=ascii WHOX :are supported", " PREFIX=(ov)@+ NICKLEN= :x"])}`,
  () => `${pick(["PING", "PING :", "PONG", "ERROR :Closing link", "ERROR", "PRIVMSG", "NOTICE", "JOIN", ":", "::", "@", "@ :", "@a=b", "@account=alice", ""])}${pick(["", " ", " :x", " seshet :hi"])}`,
  () => `@${pick(["account=alice", "account=", "account", "+draft/x=\\:\\s\\\\", "a=b;c", ";;;", "time=x;account=bob"])} :${who()} PRIVMSG seshet :${pick(["!help", "hi", "!reload x"])}`,
];

/** One hostile chunk of bytes: a template line, mutated, truncated, oversized or binary. */
function hostile(): Uint8Array {
  const enc = new TextEncoder();
  const kind = int(10);
  if (kind === 0) return Uint8Array.from({ length: 1 + int(600) }, () => int(256)); // raw bytes, any framing
  if (kind === 1) return enc.encode(`${"x".repeat(512 + int(20_000))}\r\n`); // oversized
  if (kind === 2) return enc.encode(pick(TEMPLATES)().slice(0, int(40))); // truncated, no CR LF (ends up glued to the next)
  let line = pick(TEMPLATES)();
  for (let m = int(4); m > 0; m--) {
    const at = int(line.length + 1);
    const op = int(4);
    if (op === 0) line = line.slice(0, at) + String.fromCharCode(int(256)) + line.slice(at);
    else if (op === 1) line = line.slice(0, at) + line.slice(at + 1 + int(5));
    else if (op === 2) line = line.slice(0, at) + line.slice(at, at + int(30)).repeat(1 + int(5)) + line.slice(at);
    else line = line.slice(0, at) + "\u202e\ud800\x1b[2J" + line.slice(at);
  }
  const bytes = enc.encode(line);
  // Now and then, bytes that are not UTF-8 at all.
  if (int(4) === 0 && bytes.length > 0) bytes[int(bytes.length)] = pick([0xff, 0xfe, 0xc0, 0x80, 0xed]);
  const end = pick(["\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", ""]);
  return new Uint8Array([...bytes, ...enc.encode(end)]);
}

let srv: ScriptedServer;
let bot: InProcessBot;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => void uncaught.push(e);

afterAll(async () => {
  process.off("uncaughtException", onUncaught);
  process.off("unhandledRejection", onUncaught);
  await bot?.stop();
  await srv?.close();
});

test(`the bot survives ${SECONDS} s of a hostile server (seed ${SEED}) and still answers`, async () => {
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  const caps = "account-notify extended-join chghost away-notify multi-prefix cap-notify";
  let fuzzing = false; // the first registration is clean, the later ones are not
  const base = registration("seshet", caps, "CHANTYPES=#& CASEMAPPING=rfc1459 WHOX PREFIX=(ov)@+");
  // Replies out of order and mixed with garbage, during registration too.
  srv = await scriptedServer((line) => {
    if (fuzzing && int(3) === 0) for (let i = int(3); i >= 0; i--) srv.sendRaw(hostile());
    return base(line);
  });
  // A fast flood setting: the server does not care, and the final answer must not wait behind fuzz replies.
  // Garbage during registration can keep CAP negotiation from ending: the registration timeout
  // (shortened here from 60 s) gives up and reconnects, as it would with a real server.
  bot = await startInProcessBot(
    botConfig(srv.port, { flood: { burst: 50, rate: 200 }, admins: ["account:alice"] }),
    {},
    { registrationTimeoutMs: 3000, joinTimeoutMs: 2000 },
  );
  await bot.ready;
  fuzzing = true;

  const end = Date.now() + SECONDS * 1000;
  let sent = 0;
  const start = Date.now();
  let drops = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 40; i++, sent++) srv.sendRaw(hostile());
    srv.sendRaw(new TextEncoder().encode("\r\n")); // end whatever truncated line is pending
    // Twice per run the connection drops, so reconnecting and registering happen under fire too.
    if (drops < 2 && Date.now() - start > ((drops + 1) * SECONDS * 1000) / 3) {
      drops++;
      srv.drop();
    }
    await Bun.sleep(5);
  }

  // Still alive and not stalled: a fresh user's command is answered (after a reconnect if the fuzz caused one).
  const deadline = Date.now() + 30_000;
  let answered = false;
  for (let round = 0; !answered && Date.now() < deadline; round++) {
    const from = srv.received.length;
    srv.send(`:checker${round}!c@final${round}.example PRIVMSG seshet :!help`);
    answered = await srv
      .waitFor((l) => l.startsWith(`PRIVMSG checker${round} :commands:`), 3000, from)
      .then(() => true, () => false);
  }
  const context = `seed ${SEED}, ${sent} hostile chunks, ${srv.connections} connection(s); uncaught: ${uncaught.map(String).join("; ")}`;
  console.log(`irc fuzz: ${context}`);
  expect(uncaught, context).toEqual([]);
  expect(answered, `${context}\nlog tail:\n${bot.logs.slice(-30).join("\n")}`).toBe(true);
}, 60_000 + SECONDS * 1000);

test("a line that never ends is cut off: the bot reconnects rather than buffer without limit", async () => {
  const s = await scriptedServer(registration("seshet", ""));
  const b = await startInProcessBot(botConfig(s.port));
  try {
    await b.ready;
    s.sendRaw(new TextEncoder().encode(`:x PRIVMSG seshet :${"y".repeat(200_000)}`));
    await b.waitLog(/a line over 65536 bytes without an end/, 10_000);
    const deadline = Date.now() + 15_000;
    while (s.connections < 2 && Date.now() < deadline) await Bun.sleep(50);
    expect(s.connections).toBe(2);
    let answered = false;
    for (let round = 0; !answered && round < 15; round++) {
      const from = s.received.length;
      s.send(`:checker${round}!c@h${round} PRIVMSG seshet :!help`);
      answered = await s.waitFor((l) => l.startsWith(`PRIVMSG checker${round} :commands:`), 1000, from).then(() => true, () => false);
    }
    expect(answered).toBe(true);
  } finally {
    await b.stop();
    await s.close();
  }
}, 40_000);
