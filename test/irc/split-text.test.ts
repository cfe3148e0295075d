import { describe, expect, test } from "bun:test";
import { maxTextBytes, splitText, utf8Length } from "../../src/irc/split-text.ts";

const bytes = (s: string) => utf8Length(s);

describe("splitText", () => {
  test("short text is one piece", () => {
    expect(splitText("hello world", 100)).toEqual(["hello world"]);
    expect(splitText("", 100)).toEqual([]);
  });

  test("breaks at the last space that fits and drops only that space", () => {
    expect(splitText("aaa bbb ccc ddd", 8)).toEqual(["aaa bbb", "ccc ddd"]);
    const text = "the quick brown fox jumps over the lazy dog ".repeat(20).trim();
    const pieces = splitText(text, 50);
    for (const p of pieces) expect(bytes(p)).toBeLessThanOrEqual(50);
    expect(pieces.join(" ")).toBe(text);
    for (const p of pieces) expect(p.startsWith(" ") || p.endsWith(" ")).toBe(false);
  });

  test("a word longer than the limit is cut, losing nothing", () => {
    const word = "x".repeat(25);
    expect(splitText(word, 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    expect(splitText(`ab ${word}`, 10)).toEqual(["ab", "x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  test("multi-byte characters are never cut across the limit", () => {
    // "é" is 2 bytes: 7 bytes of room holds three of them, not three and a half.
    const pieces = splitText("é".repeat(10), 7);
    expect(pieces).toEqual(["ééé", "ééé", "ééé", "é"]);
    const cjk = "漢字".repeat(50); // 3 bytes each
    const cut = splitText(cjk, 100);
    for (const p of cut) {
      expect(bytes(p)).toBeLessThanOrEqual(100);
      expect(p).not.toContain("\uFFFD");
    }
    expect(cut.join("")).toBe(cjk);
  });

  test("emoji, including ZWJ sequences and flags, stay whole", () => {
    const family = "👨‍👩‍👧‍👦"; // 25 bytes, one grapheme
    const text = `${"a".repeat(20)}${family}${"🇩🇪".repeat(3)}`;
    const pieces = splitText(text, 30);
    for (const p of pieces) expect(bytes(p)).toBeLessThanOrEqual(30);
    expect(pieces.join("")).toBe(text);
    expect(pieces.some((p) => p.includes(family))).toBe(true);
    // No piece holds a lone surrogate.
    for (const p of pieces) expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(p)).toBe(false);
  });

  test("a word that grows past the limit after a break is still cut", () => {
    const pieces = splitText("a bbbbbbbb€", 10);
    for (const p of pieces) expect(bytes(p)).toBeLessThanOrEqual(10);
    expect(pieces.join("")).toBe("abbbbbbbb€");
  });
});

describe("maxTextBytes", () => {
  test("a relayed line with the computed text size is exactly 512 bytes with CR LF", () => {
    const o = { nick: "seshet", user: "~seshet", host: "127.0.0.1", command: "PRIVMSG", target: "#chan" };
    const max = maxTextBytes(o);
    const line = `:${o.nick}!${o.user}@${o.host} ${o.command} ${o.target} :${"x".repeat(max)}\r\n`;
    expect(bytes(line)).toBe(512);
  });

  test("counts ACTION wrapping", () => {
    const o = { nick: "n", user: "u", host: "h", command: "PRIVMSG", target: "#c" };
    expect(maxTextBytes({ ...o, wrapBytes: 9 })).toBe(maxTextBytes(o) - 9);
  });
});
