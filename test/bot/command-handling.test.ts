import { describe, expect, test } from "bun:test";
import { parseCommand } from "../../src/bot/command-parse.ts";
import { isAdmin } from "../../src/bot/admin-check.ts";
import { RateLimiter } from "../../src/bot/rate-limiter.ts";

const sender = (nick: string, host: string, account: string | null = null) => ({ nick, ident: "u", hostname: host, account });

describe("parseCommand", () => {
  test("prefix, addressed by nick, and private", () => {
    expect(parseCommand("!next standup 3", "!", "seshet", false)).toEqual({ name: "next", args: ["standup", "3"], rest: "standup 3" });
    expect(parseCommand("Seshet: tasks", "!", "seshet", false)?.name).toBe("tasks");
    expect(parseCommand("seshet, help next", "!", "seshet", false)?.args).toEqual(["next"]);
    expect(parseCommand("tasks", "!", "seshet", true)?.name).toBe("tasks");
    expect(parseCommand("just chatting", "!", "seshet", false)).toBeNull();
    expect(parseCommand("!", "!", "seshet", false)).toBeNull();
  });
});

describe("isAdmin", () => {
  const admins = ["account:Kopachris", "*!*@user/kopachris", "ops!*@10.0.0.?"];
  test("by services account, case-insensitively", () => {
    expect(isAdmin(sender("anyone", "x.example", "kopachris"), admins)).toBe(true);
    expect(isAdmin(sender("anyone", "x.example", "other"), admins)).toBe(false);
  });
  test("by hostmask glob; an impostor with the nick but another host is refused", () => {
    expect(isAdmin(sender("kopachris", "user/kopachris"), admins)).toBe(true);
    expect(isAdmin(sender("kopachris", "evil.example"), admins)).toBe(false);
    expect(isAdmin(sender("ops", "10.0.0.7"), admins)).toBe(true);
    expect(isAdmin(sender("ops", "10.0.0.17"), admins)).toBe(false);
  });
  test("glob metacharacters of regular expressions are literal", () => {
    expect(isAdmin(sender("a", "hostXcom"), ["*!*@host.com"])).toBe(false);
  });
});

describe("RateLimiter", () => {
  test("burst, then refuses once loudly and then silently, then recovers", () => {
    let now = 0;
    const rl = new RateLimiter(3, 1, () => now);
    expect([rl.take("u"), rl.take("u"), rl.take("u")]).toEqual(["ok", "ok", "ok"]);
    expect(rl.take("u")).toBe("limited");
    expect(rl.take("u")).toBe("silent");
    expect(rl.take("other")).toBe("ok");
    now += 1000;
    expect(rl.take("u")).toBe("ok");
  });
});
