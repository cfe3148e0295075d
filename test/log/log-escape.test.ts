// IRC-controlled text reaches the log with control characters escaped: no
// ANSI sequence, forged line or bidi override gets through to a terminal.
import { afterEach, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log/logger.ts";
import { escapeControls } from "../../src/log/log-escape.ts";
import { botConfig, startInProcessBot } from "../support/in-process-bot.ts";
import { registration, scriptedServer } from "../support/scripted-server.ts";

const HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\r\n2026-01-01T00:00:00.000Z ERROR forged\u202eevil\x9b31m\x7f";
const RAW_CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe("log escaping", () => {
  test("escapeControls makes every control visible", () => {
    expect(escapeControls("a\x1b[31mb\nc\td\u202e\x9b")).toBe("a\\x1b[31mb\\nc\\td\\u202e\\x9b");
    expect(escapeControls("plain, ünïcode 🙂")).toBe("plain, ünïcode 🙂");
  });

  test("text and JSON records: message, field names and values, stacks", () => {
    for (const format of ["text", "json"] as const) {
      const lines: string[] = [];
      const log = createLogger({ format, write: (l) => lines.push(l) }, "bot");
      const err = new Error(`boom ${HOSTILE}`);
      log.warn(`kicked by ${HOSTILE}`, { reason: HOSTILE, [`k${HOSTILE}`]: 1, nested: { text: HOSTILE }, error: err });
      for (const line of lines) {
        // Only the stack's own line breaks remain (text format); nothing else is a raw control.
        for (const part of line.split("\n")) expect(part).not.toMatch(RAW_CONTROL);
      }
      if (format === "json") expect(JSON.parse(lines[0]!).reason).toBe(HOSTILE);
      else expect(lines[0]!.split("\n")[0]).toContain("\\x1b[2J\\x1b[31mred\\r\\n2026");
    }
  });

  test("a hostile KICK reason and sender from the server are escaped in the bot's log", async () => {
    const srv = await scriptedServer(registration("seshet", ""));
    cleanups.push(() => srv.close());
    const b = await startInProcessBot(botConfig(srv.port, { admins: ["account:nobody"] }));
    cleanups.push(() => b.stop());
    await b.ready;
    srv.send(`:op\x1b[5m!o@h KICK #t seshet :${HOSTILE}`);
    srv.send(`:eve!\x1b[8m@h\x1b[0m PRIVMSG seshet :!reload x`);
    await b.waitLog(/kicked from channel/);
    await b.waitLog(/refused admin command/);
    const kicked = b.logs.find((l) => l.includes("kicked from channel"))!;
    expect(kicked).toContain("\\x1b]0;pwned\\x07");
    for (const line of b.logs) expect(line).not.toMatch(RAW_CONTROL);
  }, 20_000);
});
