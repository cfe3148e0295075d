// The command path's limits, with a transport that records what it is asked
// to send and a clock the test moves.
import { describe, expect, test } from "bun:test";
import { CommandRouter } from "../../src/bot/command-router.ts";
import { caseFold } from "../../src/irc/case-mapping.ts";
import type { IncomingMessage, TextCommand } from "../../src/irc/transport.ts";
import type { CommandDefinition } from "../../src/modules/module-types.ts";
import { createLogger } from "../../src/log/logger.ts";

type Extra = Record<string, CommandDefinition & { module: string }>;
function setup(opts: { admins?: string[]; verified?: string | null; burst?: number; perMinute?: number; commands?: number; extra?: Extra; laneWaitMs?: number } = {}) {
  let now = 0;
  const sent: { kind: string; target: string; line: string }[] = [];
  const ran: string[] = [];
  const verifyCalls: string[] = [];
  const commands: Record<string, CommandDefinition & { module: string }> = {
    lines: { module: "t", help: "", run: ({ args, reply }) => reply(Array.from({ length: Number(args[0]) }, (_, i) => `line ${i + 1}`).join("\n")) },
    each: { module: "t", help: "", run: ({ args, reply }) => { for (let i = 1; i <= Number(args[0]); i++) reply(`e${i}`); } },
    ping: { module: "t", help: "", run: ({ reply }) => (ran.push("ping"), reply("pong")) },
    reloadtasks: { module: "t", help: "", admin: true, run: () => void ran.push("reloadtasks") },
    ...opts.extra,
  };
  const router = new CommandRouter({
    prefix: "!",
    admins: opts.admins ?? [],
    replies: { burst: opts.burst ?? 5, perMinute: opts.perMinute ?? 6, ctcpPerMinute: 6, queue: 100, commands: opts.commands ?? 5, commandsPerMinute: 30 },
    transport: {
      nick: "seshet",
      reply: (c: TextCommand, max: number) => {
        const lines = c.text.split("\n");
        for (const line of lines.slice(0, max)) sent.push({ kind: c.kind, target: c.target, line });
        return lines.length;
      },
      verifyAccount: async (nick) => (verifyCalls.push(nick), opts.verified ?? null),
      caseFold: (s) => caseFold(s),
    },
    command: (name) => commands[name],
    log: createLogger({ write: () => {} }),
    now: () => now,
    laneWaitMs: opts.laneWaitMs,
  });
  const msg = (text: string, over: Partial<IncomingMessage> = {}): IncomingMessage => ({
    nick: "alice", ident: "a", hostname: "alice.host", account: null, kind: "privmsg",
    target: "#t", text, isPrivate: false, replyTarget: "#t", ...over,
  });
  const priv = (text: string, over: Partial<IncomingMessage> = {}) =>
    msg(text, { target: "seshet", isPrivate: true, replyTarget: over.nick ?? "alice", ...over });
  return { router, sent, ran, verifyCalls, msg, priv, advance: (ms: number) => (now += ms) };
}

describe("reply budget by lines", () => {
  test("a reply is counted by the lines it makes, cut to the budget, with one notice saying so", async () => {
    const { router, sent, msg } = setup({ burst: 5 });
    await router.handle(msg("!lines 11"));
    expect(sent.filter((s) => s.kind === "privmsg").map((s) => s.line)).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"]);
    const notices = sent.filter((s) => s.kind === "notice");
    expect(notices).toEqual([{ kind: "notice", target: "alice", line: "6 more lines not sent: replies to you are limited to 5 lines at once, then 6 a minute." }]);
    await router.handle(msg("!lines 3"));
    await router.handle(msg("!ping"));
    expect(sent.length).toBe(6); // nothing more: the budget is spent and the user was told once
  });

  test("a command replying line by line is cut the same way, with one notice counting what was cut", async () => {
    const { router, sent, msg } = setup({ burst: 5 });
    await router.handle(msg("!each 11"));
    expect(sent.filter((s) => s.kind === "privmsg").map((s) => s.line)).toEqual(["e1", "e2", "e3", "e4", "e5"]);
    expect(sent.filter((s) => s.kind === "notice").map((s) => s.line)).toEqual([
      "6 more lines not sent: replies to you are limited to 5 lines at once, then 6 a minute.",
    ]);
  });

  test("the budget follows the host (or account), not the nick", async () => {
    const { router, sent, msg, advance } = setup({ burst: 3, perMinute: 6 });
    await router.handle(msg("!lines 3"));
    await router.handle(msg("!ping", { nick: "alice2" }));
    expect(sent.filter((s) => s.line === "pong")).toEqual([]);
    // Another host has its own budget.
    await router.handle(msg("!ping", { nick: "bob", hostname: "bob.host" }));
    expect(sent.filter((s) => s.line === "pong").length).toBe(1);
    // An account keys the budget whatever the host.
    await router.handle(msg("!lines 3", { nick: "carol", hostname: "h1", account: "carol" }));
    await router.handle(msg("!ping", { nick: "carol", hostname: "h2", account: "CAROL" }));
    expect(sent.filter((s) => s.line === "pong").length).toBe(1);
    advance(10_000); // 6 a minute: one line back
    await router.handle(msg("!ping", { nick: "alice3" }));
    expect(sent.filter((s) => s.line === "pong").length).toBe(2);
  });

  test("200 unknown commands in private get one notice a minute", async () => {
    const { router, sent, priv, advance } = setup();
    for (let i = 0; i < 200; i++) await router.handle(priv(`nosuch${i}`, { nick: `n${i % 7}` }));
    expect(sent).toEqual([{ kind: "notice", target: "n0", line: "unknown command 'nosuch0'; try 'help'" }]);
    advance(60_000);
    await router.handle(priv("again"));
    expect(sent.length).toBe(2);
    expect(sent[1]!.kind).toBe("notice");
  });

  test("notices are never answered, and neither are we", async () => {
    const { router, sent, msg, priv } = setup();
    await router.handle(priv("unknown command 'x'; try 'help'", { kind: "notice" }));
    await router.handle(msg("!ping", { kind: "notice" }));
    await router.handle(priv("!ping", { nick: "Seshet" }));
    expect(sent).toEqual([]);
  });

  test("the command allowance is the bot's [replies] commands setting", async () => {
    const { router, ran, sent, msg, advance } = setup({ burst: 100, commands: 2 });
    for (let i = 0; i < 5; i++) await router.handle(msg("!ping"));
    expect(ran.length).toBe(2);
    expect(sent.filter((s) => s.kind === "notice").map((s) => s.line)).toEqual(["alice: slow down, please: at most 2 commands at once, then 30 a minute."]);
    advance(2000); // 30 a minute: one more
    await router.handle(msg("!ping"));
    expect(ran.length).toBe(3);
  });

  test("commands themselves are limited per user as well", async () => {
    const { router, ran, msg } = setup({ burst: 100 });
    for (let i = 0; i < 20; i++) await router.handle(msg("!ping", { nick: `nick${i}` }));
    expect(ran.length).toBe(5);
  });
});

describe("admin commands", () => {
  test("an account admin is confirmed with the server before the command runs", async () => {
    const ok = setup({ admins: ["account:alice"], verified: "alice" });
    await ok.router.handle(ok.priv("!reloadtasks", { account: "alice" }));
    expect(ok.verifyCalls).toEqual(["alice"]);
    expect(ok.ran).toEqual(["reloadtasks"]);

    const stale = setup({ admins: ["account:alice"], verified: null });
    await stale.router.handle(stale.priv("!reloadtasks", { account: "alice", ident: "mallory", hostname: "evil.example" }));
    expect(stale.ran).toEqual([]);
    expect(stale.sent.map((s) => s.kind)).toEqual(["notice"]);
  });

  test("masks match under rfc1459 case mapping; refusals are notices at most once a minute", async () => {
    const { router, ran, sent, priv } = setup({ admins: ["Op[x]!*@ops.example"] });
    await router.handle(priv("!reloadtasks", { nick: "op{X}", hostname: "OPS.example" }));
    expect(ran).toEqual(["reloadtasks"]);
    for (let i = 0; i < 4; i++) await router.handle(priv("!reloadtasks", { nick: "op{X}", hostname: "other.example" }));
    expect(ran).toEqual(["reloadtasks"]);
    expect(sent.filter((s) => s.kind === "notice").length).toBe(1);
  });
});

describe("one user's commands run in order", () => {
  // A command that waits for the store (here: a timer) must finish before the
  // same user's next command starts: `!in 3s x` then `!tasks mine` lists it.
  function slowSetup() {
    const log: string[] = [];
    const extra: Extra = {
      slow: { module: "t", help: "", run: async ({ reply }) => { log.push("slow start"); await Bun.sleep(30); log.push("slow end"); reply("slow done"); } },
      fast: { module: "t", help: "", run: ({ reply }) => { log.push("fast"); reply("fast done"); } },
    };
    return { ...setup({ extra }), log };
  }

  test("the second command of a user waits for the first", async () => {
    const { router, sent, log, msg } = slowSetup();
    await Promise.all([router.handle(msg("!slow")), router.handle(msg("!fast"))]);
    expect(log).toEqual(["slow start", "slow end", "fast"]);
    expect(sent.map((s) => s.line)).toEqual(["slow done", "fast done"]);
  });

  test("another user is not held up by a slow command", async () => {
    const { router, log, msg } = slowSetup();
    await Promise.all([router.handle(msg("!slow")), router.handle(msg("!fast", { nick: "bob", hostname: "bob.host" }))]);
    expect(log).toEqual(["slow start", "fast", "slow end"]);
  });

  test("a command that never ends holds up its user's next one for laneWaitMs only", async () => {
    const extra: Extra = { hang: { module: "t", help: "", run: () => new Promise<void>(() => {}) } };
    const { router, sent, msg } = setup({ extra, laneWaitMs: 50 });
    void router.handle(msg("!hang"));
    await router.handle(msg("!ping"));
    expect(sent.map((s) => s.line)).toEqual(["pong"]);
  });

  test("a failing command does not stop the lane", async () => {
    const extra: Extra = { boom: { module: "t", help: "", run: async () => { await Bun.sleep(5); throw new Error("kaput"); } } };
    const { router, sent, msg } = setup({ extra });
    await Promise.all([router.handle(msg("!boom")), router.handle(msg("!ping"))]);
    expect(sent.map((s) => s.line)).toEqual(["alice: 'boom' failed: kaput", "pong"]);
  });
});
