import { describe, expect, test } from "bun:test";
import { isValidTarget, sanitizeText, targetProblem, textLines } from "../../src/irc/sanitize.ts";

describe("textLines", () => {
  test("splits at CR, LF and CRLF so each line is its own message", () => {
    expect(textLines("one\ntwo\r\nthree\rfour")).toEqual(["one", "two", "three", "four"]);
  });

  test("an injection attempt becomes harmless text on separate lines", () => {
    const lines = textLines("hi\r\nPRIVMSG #x :owned");
    expect(lines).toEqual(["hi", "PRIVMSG #x :owned"]);
    for (const l of lines) expect(l).not.toMatch(/[\r\n\0]/);
  });

  test("drops empty lines, NUL and the CTCP delimiter", () => {
    expect(textLines("\n\na\0b\n\n")).toEqual(["ab"]);
    expect(textLines("\x01DCC SEND x\x01")).toEqual(["DCC SEND x"]);
    expect(textLines("")).toEqual([]);
  });

  test("keeps formatting codes and leading colons", () => {
    expect(textLines("\x02bold\x02 :x")).toEqual(["\x02bold\x02 :x"]);
  });
});

describe("sanitizeText", () => {
  test("turns CR, LF and NUL into spaces on one line", () => {
    expect(sanitizeText("bye\r\nQUIT :x\0")).toBe("bye  QUIT :x ");
  });
});

describe("targets", () => {
  test("accepts ordinary channels and nicks", () => {
    for (const t of ["#chan", "##x", "&local", "nick", "[b]ot^", "#ünï"]) expect(isValidTarget(t)).toBe(true);
  });

  test("refuses anything that changes the line's shape", () => {
    for (const t of ["", "#a\r\nJOIN #b", "#a\n", "#a\0", "#a b", "#a,#b", ":x", "#a\t"]) {
      expect(targetProblem(t)).not.toBeNull();
    }
  });
});
