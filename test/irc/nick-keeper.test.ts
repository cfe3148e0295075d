// The bot's own nick as the server reports it: a malformed NICK for the bot
// (found by the IRC fuzz test: a NICK whose new nick held CR and spaces left
// every later command unanswered) must not become the bot's nick.
import { describe, expect, test } from "bun:test";
import type { Client } from "irc-framework";
import { NickKeeper } from "../../src/irc/nick-keeper.ts";

const client = { caseCompare: (a: string, b: string) => a.toLowerCase() === b.toLowerCase() } as unknown as Client;
const warnings: string[] = [];
const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };

function keeper(): NickKeeper {
  const k = new NickKeeper({ nick: "seshet", altNicks: [] }, logger as never, { enqueueControl() {} }, () => true);
  k.registered(client, "seshet");
  return k;
}

describe("NickKeeper.onNick", () => {
  test("a valid rename of the bot is followed", () => {
    const k = keeper();
    k.onNick(client, "seshet", "seshet2");
    expect(k.nick).toBe("seshet2");
    k.disconnected();
  });

  test.each([["\r@+draft/x=\\:\\s\\\\"], ["two words"], [""], [undefined as unknown as string], ["a,b"]])(
    "a malformed new nick %p is ignored and logged",
    (bad) => {
      const k = keeper();
      warnings.length = 0;
      k.onNick(client, "seshet", bad);
      expect(k.nick).toBe("seshet");
      expect(warnings.length).toBe(1);
      k.disconnected();
    },
  );
});
