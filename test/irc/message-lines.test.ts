import { describe, expect, test } from "bun:test";
import { CONTINUATION, MessageLines } from "../../src/irc/message-lines.ts";
import { utf8Length } from "../../src/irc/split-text.ts";

const lines = new MessageLines(() => 9);
lines.learnSelf("seshet", "bot.example.org");
const relayed = (line: string) => `:seshetbot!seshet@bot.example.org ${line}\r\n`;
const textOf = (line: string) => line.slice(line.indexOf(" :") + 2);

describe("continuation lines never start with text the sender chose", () => {
  test("A×440 !op mallory never yields a line starting !op", () => {
    // Before the server has shown us our host, the longest one is assumed: 440 bytes must split.
    const fresh = new MessageLines(() => 9);
    for (const kind of ["privmsg", "notice", "action"] as const) {
      const out = fresh.lines({ kind, target: "#chan", text: `${"A".repeat(440)} !op mallory` });
      expect(out.length).toBe(2);
      for (const line of out) {
        const text = textOf(line).replace(/^\x01ACTION /, "");
        expect(text.startsWith("!op")).toBe(false);
        expect(utf8Length(relayed(line))).toBeLessThanOrEqual(512);
      }
      expect(textOf(out[1]!).replace(/^\x01ACTION /, "").startsWith(CONTINUATION)).toBe(true);
    }
    // Every length around the limit, so the break falls on the space before "!op" too.
    for (let n = 380; n <= 470; n++) {
      const out = fresh.lines({ kind: "privmsg", target: "#chan", text: `${"A".repeat(n)} !op mallory` });
      for (const line of out) expect(textOf(line).startsWith("!op")).toBe(false);
      if (n === 402) expect(out.map(textOf)).toEqual(["A".repeat(402), `${CONTINUATION}!op mallory`]);
    }
  });

  test("whatever the break position, every piece after the first starts with the marker and nothing is lost", () => {
    let seed = 12;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const words = Array.from({ length: 20 + Math.floor(rnd() * 200) }, () => (rnd() < 0.3 ? "!op" : "x".repeat(1 + Math.floor(rnd() * 30))));
      const text = words.join(" ");
      const out = lines.lines({ kind: "privmsg", target: "#c", text }).map(textOf);
      out.slice(1).forEach((t) => expect(t.startsWith(CONTINUATION)).toBe(true));
      const rejoined = out.map((t, i) => (i === 0 ? t : t.slice(CONTINUATION.length))).join(" ");
      expect(rejoined.replace(/ /g, "")).toBe(text.replace(/ /g, ""));
      for (const t of out) expect(utf8Length(relayed(`PRIVMSG #c :${t}`))).toBeLessThanOrEqual(512);
    }
  });

  test("a text that fits is sent as it is, without a marker", () => {
    expect(lines.lines({ kind: "privmsg", target: "#c", text: "hello !op" })).toEqual(["PRIVMSG #c :hello !op"]);
  });
});
