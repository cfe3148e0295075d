import { describe, expect, test } from "bun:test";
import type { BotConfig } from "../../src/config/config-types.ts";
import { ConsoleTransport } from "../../src/irc/console-transport.ts";
import type { TransportEvents } from "../../src/irc/transport.ts";

function bot(channels: string[]): BotConfig {
  return {
    name: "demo", file: "bots/demo.toml", nick: "seshet", altNicks: [], username: "seshet", realname: "Seshet",
    channels, admins: ["account:console"], prefix: "!", tz: "UTC", tick: 1, modules: [],
    server: { host: "127.0.0.1", port: 6667, tls: false, verifyTls: true },
    flood: { burst: 5, rate: 1 }, outboxLimit: 100,
  };
}

function setup(channels: string[]) {
  const out: string[] = [];
  const events: { name: keyof TransportEvents; payload: unknown }[] = [];
  const t = new ConsoleTransport(bot(channels), { write: (l) => out.push(l) });
  t.start((name, payload) => events.push({ name, payload }));
  return { t, out, events };
}

describe("ConsoleTransport", () => {
  test("reports registered and joins on start", () => {
    const { t, events } = setup(["#demo"]);
    expect(events[0]).toEqual({ name: "registered", payload: { nick: "seshet" } });
    expect(events[1]?.name).toBe("join");
    expect(t.connected).toBe(true);
  });

  test("prints what the bot sends, one line per line of text", () => {
    const { t, out } = setup(["#demo"]);
    out.length = 0;
    t.send({ kind: "privmsg", target: "#demo", text: "hello\nworld" });
    t.send({ kind: "notice", target: "#demo", text: "psst" });
    t.send({ kind: "action", target: "#demo", text: "waves" });
    t.send({ kind: "part", channel: "#demo", reason: "bye" });
    t.send({ kind: "join", channel: "#other" });
    expect(out).toEqual([
      "[demo] -> #demo: hello",
      "[demo] -> #demo: world",
      "[demo] -> #demo (notice): psst",
      "[demo] -> #demo * seshet waves",
      "[demo] parts #demo (bye)",
      "[demo] joins #other",
    ]);
  });

  test("typed lines become messages from console in the first channel", () => {
    const { t, events } = setup(["#demo", "#b"]);
    t.deliver("!tasks\n");
    expect(events.at(-1)).toEqual({
      name: "message",
      payload: {
        nick: "console", ident: "console", hostname: "console", account: "console", kind: "privmsg",
        target: "#demo", text: "!tasks", isPrivate: false, replyTarget: "#demo",
      },
    });
  });

  test("without channels a typed line is a private message", () => {
    const { t, events } = setup([]);
    t.deliver("!help");
    expect(events.at(-1)?.payload).toMatchObject({ target: "seshet", isPrivate: true, replyTarget: "console" });
  });

  test("after stop nothing is printed or delivered", async () => {
    const { t, out, events } = setup(["#demo"]);
    await t.stop("done");
    const n = out.length;
    const e = events.length;
    t.send({ kind: "privmsg", target: "#demo", text: "late" });
    t.deliver("late");
    expect(out.length).toBe(n);
    expect(events.length).toBe(e);
    expect(t.connected).toBe(false);
  });
});
