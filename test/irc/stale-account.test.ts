// Issue 12 item 1, as reproduced: a user PARTs (or is KICKed, or the bot
// leaves), their cached services account must not pass to whoever takes the
// nick next. A scripted server offers account-notify and extended-join (no
// account-tag), since ngIRCd has no services. The effect observed is the
// admin command's: `!reloadtasks` syncing the task file into the store.
import { afterEach, describe, expect, test } from "bun:test";
import type { IncomingMessage } from "../../src/irc/transport.ts";
import { botConfig, startInProcessBot, type InProcessBot } from "../support/in-process-bot.ts";
import { registration, scriptedServer, type ScriptedServer } from "../support/scripted-server.ts";

const TASK = `[[task]]\nname = "hello"\nfunc = "core:say"\nargs = ["#t", "hi"]\nstart = 2030-01-01T09:00:00\n`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A server where WHOIS answers with the account of whoever holds the nick now (`loggedIn`). */
async function setup(loggedIn: Map<string, string>, admins = ["account:alice"], isupport?: string) {
  const base = registration("seshet", "account-notify extended-join", isupport);
  const srv = await scriptedServer((line) => {
    const whois = /^WHOIS (\S+)/.exec(line);
    if (whois) {
      const nick = whois[1]!;
      const acct = loggedIn.get(nick.toLowerCase());
      return [...(acct ? [`:fake 330 seshet ${nick} ${acct} :is logged in as`] : []), `:fake 318 seshet ${nick} :End of /WHOIS list.`];
    }
    return base(line);
  });
  cleanups.push(() => srv.close());
  const port = srv.port;
  const b = await startInProcessBot(botConfig(port, { admins }), {
    "bots/seshet.toml": `nick = "seshet"\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`,
    "tasks/t.toml": TASK,
  });
  cleanups.push(() => b.stop());
  const messages: IncomingMessage[] = [];
  b.bot.dispatcher.on<IncomingMessage>("message", (m) => void messages.push(m), "test");
  await b.ready;
  return { srv, b, messages };
}

async function tasksIn(b: InProcessBot): Promise<string[]> {
  return (await b.store.activeTasks("seshet")).map((t) => t.name);
}

async function sentAndHandled(srv: ScriptedServer, b: InProcessBot, line: string, logPattern: RegExp): Promise<void> {
  srv.send(line);
  await b.waitLog(logPattern);
}

describe("a services account is forgotten with the last channel shared", () => {
  test("JOIN (extended-join), PART, then an impostor with the nick: not an admin", async () => {
    const loggedIn = new Map<string, string>();
    const { srv, b, messages } = await setup(loggedIn);
    srv.send(":alice!a@alice.host JOIN #t alice :Alice");
    srv.send(":alice!a@alice.host PART #t");
    const from = srv.received.length;
    await sentAndHandled(srv, b, ":alice!mallory@evil.example PRIVMSG seshet :!reloadtasks", /refused admin command/);
    for (let i = 0; i < 50 && messages.length === 0; i++) await Bun.sleep(50);
    expect(messages.at(-1)).toMatchObject({ nick: "alice", ident: "mallory", account: null });
    expect(await tasksIn(b)).toEqual([]);
    // The refusal is a NOTICE to the nick, not a reply another bot would answer.
    await srv.waitFor((l) => l.startsWith("NOTICE alice :alice: 'reloadtasks' is for admins"), 5000, from);

    // The real alice, back and logged in: the server confirms her account and the command runs.
    loggedIn.set("alice", "alice");
    srv.send(":alice!a@alice.host JOIN #t alice :Alice");
    srv.send(":alice!a@alice.host PRIVMSG seshet :!reloadtasks");
    await srv.waitFor((l) => l === "WHOIS alice", 5000, from);
    await b.waitLog(/synced|sync/i);
    for (let i = 0; i < 50 && (await tasksIn(b)).length === 0; i++) await Bun.sleep(100);
    expect(await tasksIn(b)).toEqual(["hello"]);
  }, 30_000);

  test("after a KICK, and after the bot's own PART, the account is gone too", async () => {
    const { srv, b, messages } = await setup(new Map());
    srv.send(":bob!b@bob.host JOIN #t alice :Bob");
    srv.send(":op!o@op.host KICK #t bob :out");
    srv.send(":bob!x@evil.example PRIVMSG seshet :hello after kick");
    srv.send(":carol!c@carol.host JOIN #t alice :Carol");
    srv.send(":seshet!s@bot.host PART #t :bye");
    srv.send(":carol!x@evil.example PRIVMSG seshet :hello after our part");
    for (let i = 0; i < 50 && messages.length < 2; i++) await Bun.sleep(50);
    expect(messages.map((m) => [m.text, m.account])).toEqual([
      ["hello after kick", null],
      ["hello after our part", null],
    ]);
    expect(await tasksIn(b)).toEqual([]);
  }, 30_000);

  test("still in a shared channel, the account is kept (and confirmed before an admin command)", async () => {
    const { srv, b, messages } = await setup(new Map([["dave", "alice"]]));
    srv.send(":dave!d@dave.host JOIN #t alice :Dave");
    srv.send(":dave!d@dave.host PRIVMSG #t :!reloadtasks");
    await srv.waitFor((l) => l === "WHOIS dave");
    for (let i = 0; i < 50 && (await tasksIn(b)).length === 0; i++) await Bun.sleep(100);
    expect(messages[0]?.account).toBe("alice");
    expect(await tasksIn(b)).toEqual(["hello"]);
  }, 30_000);
});

describe("admin masks compare under the server's CASEMAPPING", () => {
  for (const [mapping, runs] of [["rfc1459", true], ["ascii", false]] as const) {
    test(`op{x} matches the mask op[x]!*@ops.host under ${mapping}: ${runs ? "runs" : "refused"}`, async () => {
      const { srv, b } = await setup(new Map(), ["op[x]!*@ops.host"], `CHANTYPES=# CASEMAPPING=${mapping}`);
      srv.send(":OP{X}!o@ops.host PRIVMSG seshet :!reloadtasks");
      if (runs) {
        for (let i = 0; i < 50 && (await tasksIn(b)).length === 0; i++) await Bun.sleep(100);
        expect(await tasksIn(b)).toEqual(["hello"]);
      } else {
        await b.waitLog(/refused admin command/);
        expect(await tasksIn(b)).toEqual([]);
      }
    }, 30_000);
  }
});

test("with account-tag, a private message's own tag vouches for an account admin in no shared channel", async () => {
  const base = registration("seshet", "account-tag account-notify extended-join");
  const srv = await scriptedServer(base);
  cleanups.push(() => srv.close());
  const b = await startInProcessBot(botConfig(srv.port, { admins: ["account:alice"] }), {
    "bots/seshet.toml": `nick = "seshet"\n[server]\nhost = "127.0.0.1"\nport = ${srv.port}\ntls = false\n`,
    "tasks/t.toml": TASK,
  });
  cleanups.push(() => b.stop());
  await b.ready;
  srv.send(":alice!x@elsewhere PRIVMSG seshet :!reloadtasks"); // no tag: not logged in
  await b.waitLog(/refused admin command/);
  expect(await tasksIn(b)).toEqual([]);
  srv.send("@account=alice :alice!a@alice.host PRIVMSG seshet :!reloadtasks");
  for (let i = 0; i < 50 && (await tasksIn(b)).length === 0; i++) await Bun.sleep(100);
  expect(await tasksIn(b)).toEqual(["hello"]);
  expect(srv.received.some((l) => l.startsWith("WHOIS"))).toBe(false);
}, 30_000);
