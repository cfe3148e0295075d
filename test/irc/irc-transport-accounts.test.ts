// Services accounts and SASL need a network with services, which ngIRCd is
// not: a scripted IRCv3 server on 127.0.0.1 plays that part here.
import { afterEach, describe, expect, test } from "bun:test";
import type { BotConfig } from "../../src/config/config-types.ts";
import { IrcTransport } from "../../src/irc/irc-transport.ts";
import type { Logger } from "../../src/irc/logger-types.ts";
import type { IncomingMessage } from "../../src/irc/transport.ts";
import { scriptedServer as fakeServer, type ScriptedServer as FakeServer } from "../support/scripted-server.ts";

function botConfig(port: number, over: Partial<BotConfig> = {}): BotConfig {
  return {
    name: "acct", file: "bots/acct.toml", nick: "seshet", altNicks: ["seshet_"], username: "seshet",
    realname: "Seshet", channels: ["#t"], admins: [], prefix: "!", tz: "UTC", tick: 1, modules: [],
    server: { host: "127.0.0.1", port, tls: false, verifyTls: true },
    flood: { burst: 5, rate: 1 }, outboxLimit: 100, ...over,
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function start(bot: BotConfig) {
  const logs: string[] = [];
  const messages: IncomingMessage[] = [];
  const waiters = new Set<() => void>();
  const logger: Logger = {
    debug: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
    info: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
    error: (m, f) => logs.push(`${m} ${JSON.stringify(f ?? {})}`),
  };
  const t = new IrcTransport(bot, logger);
  cleanups.push(() => t.stop("done"));
  t.start((name, payload) => {
    if (name === "message") messages.push(payload as IncomingMessage);
    for (const w of [...waiters]) w();
  });
  const message = (text: string, timeoutMs = 5000) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const check = () => {
        const m = messages.find((x) => x.text === text);
        if (m) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => reject(new Error(`no message "${text}"; log:\n${logs.join("\n")}`)), timeoutMs);
      waiters.add(check);
      check();
    });
  return { t, logs, message };
}

describe("services accounts", () => {
  test("account-tag and SASL PLAIN: each message carries its sender's account", async () => {
    const srv = await fakeServer((line) => {
      if (line.startsWith("CAP LS")) return [":fake CAP * LS :account-tag account-notify extended-join sasl=PLAIN"];
      if (line.startsWith("CAP REQ")) return [`:fake CAP * ACK :${line.slice(line.indexOf(":") + 1)}`];
      if (line === "AUTHENTICATE PLAIN") return ["AUTHENTICATE +"];
      if (line.startsWith("AUTHENTICATE ") && line !== "AUTHENTICATE +")
        return [":fake 900 seshet seshet!s@h botacct :You are now logged in as botacct", ":fake 903 seshet :SASL authentication successful"];
      if (line === "CAP END") return [":fake 001 seshet :Welcome", ":fake 376 seshet :End of MOTD"];
      if (line.startsWith("JOIN ")) return [":seshet!s@h JOIN #t botacct :Seshet"];
      return [];
    });
    cleanups.push(() => srv.close());
    const bot = start(botConfig(srv.port, { sasl: { mechanism: "PLAIN", account: "botacct", password: "sasl-s3cret" } }));
    await srv.waitFor((l) => l.startsWith("JOIN #t"));
    const auth = srv.received.find((l) => l.startsWith("AUTHENTICATE ") && l !== "AUTHENTICATE PLAIN")!;
    expect(Buffer.from(auth.slice(13), "base64").toString()).toBe("botacct\0botacct\0sasl-s3cret");

    srv.send("@account=alice :alice!a@h PRIVMSG #t :tagged");
    srv.send(":bob!b@h PRIVMSG #t :untagged");
    srv.send("@account=alice :alice!a@h PRIVMSG seshet :private");
    expect((await bot.message("tagged")).account).toBe("alice");
    expect((await bot.message("untagged")).account).toBeNull();
    const priv = await bot.message("private");
    expect(priv).toMatchObject({ account: "alice", isPrivate: true, replyTarget: "alice" });
    expect(bot.logs.join("\n")).not.toContain("sasl-s3cret");
  });

  test("without account-tag: WHOX on join, extended-join and account-notify keep accounts current", async () => {
    const srv = await fakeServer((line) => {
      if (line.startsWith("CAP LS")) return [":fake CAP * LS :account-notify extended-join"];
      if (line.startsWith("CAP REQ")) return [`:fake CAP * ACK :${line.slice(line.indexOf(":") + 1)}`];
      if (line === "CAP END")
        return [":fake 001 seshet :Welcome", ":fake 005 seshet WHOX CHANTYPES=# :are supported", ":fake 376 seshet :End of MOTD"];
      if (line.startsWith("JOIN ")) return [":seshet!s@h JOIN #t * :Seshet"];
      if (line.startsWith("WHO #t %tcnuhaf,"))
        return [
          `:fake 354 seshet ${line.split(",")[1]} #t ~c carol.host carol H carolacct`,
          `:fake 354 seshet ${line.split(",")[1]} #t ~e erin.host erin H 0`,
          ":fake 315 seshet #t :End of WHO",
        ];
      return [];
    });
    cleanups.push(() => srv.close());
    const bot = start(botConfig(srv.port));
    await srv.waitFor((l) => l.startsWith("WHO #t %tcnuhaf,"));
    srv.send(":carol!c@carol.host PRIVMSG #t :from carol");
    expect((await bot.message("from carol")).account).toBe("carolacct");
    srv.send(":erin!e@erin.host PRIVMSG #t :from erin");
    expect((await bot.message("from erin")).account).toBeNull();

    srv.send(":dave!d@h JOIN #t dacct :Dave");
    srv.send(":dave!d@h PRIVMSG #t :dave in");
    expect((await bot.message("dave in")).account).toBe("dacct");
    srv.send(":dave!d@h ACCOUNT *");
    srv.send(":dave!d@h PRIVMSG #t :dave out");
    expect((await bot.message("dave out")).account).toBeNull();
    srv.send(":carol!c@carol.host NICK caroline");
    srv.send(":caroline!c@carol.host PRIVMSG #t :renamed");
    expect((await bot.message("renamed")).account).toBe("carolacct");
    // A nick that quit and was taken by someone else carries no stale account.
    srv.send(":caroline!c@carol.host QUIT :bye");
    srv.send(":caroline!x@elsewhere PRIVMSG seshet :impostor");
    expect((await bot.message("impostor")).account).toBeNull();
  });
});
