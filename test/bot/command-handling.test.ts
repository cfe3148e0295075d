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

describe("case mapping and mask warnings", () => {
  test("rfc1459 folds []\\^ with {}|~; ascii does not", async () => {
    const { caseFold } = await import("../../src/irc/case-mapping.ts");
    expect(caseFold("Nick[A]\\^")).toBe("nick{a}|~");
    expect(caseFold("Nick[A]\\^", "strict-rfc1459")).toBe("nick{a}|^");
    expect(caseFold("Nick[A]", "ascii")).toBe("nick[a]");
    expect(caseFold("ÉCOLE")).toBe("Écol" + "e"); // only ASCII letters fold, as servers do
  });
  test("an rfc1459 spelling of an admin's nick matches their mask (the server sees one nick)", () => {
    expect(isAdmin(sender("kopa{chris}", "h.example"), ["kopa[chris]!*@h.example"])).toBe(true);
    expect(isAdmin(sender("kopa{chris}", "h.example"), ["kopa[chris]!*@h.example"], (s) => s.toLowerCase())).toBe(false);
  });
  test("check warns about masks whose user and host anyone can match", async () => {
    const { adminMaskWarning } = await import("../../src/bot/admin-check.ts");
    for (const m of ["alice!*@*", "alice!*@*.*", "alice!~*@*", "*!*@*", "alice!?*@*"]) expect(adminMaskWarning(m)).toMatch(/matched by anyone/);
    for (const m of ["alice!*@user/alice", "*!*@10.0.0.?", "alice!alice@*", "account:alice"]) expect(adminMaskWarning(m)).toBeUndefined();
  });
});
