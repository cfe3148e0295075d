// How the supervisor hands on a child's line, in text and in JSON.
import { describe, expect, test } from "bun:test";
import { childLine } from "../../src/supervisor/child-line.ts";

const now = () => new Date("2026-12-01T10:00:00.000Z");

describe("childLine", () => {
  test("text: the bot's name in front; a plugin's print says stdout", () => {
    expect(childLine("alpha", "2026 INFO [alpha] hi", "stderr", "text", now)).toBe("alpha | 2026 INFO [alpha] hi");
    expect(childLine("alpha", '{"type":"synced"}', "stdout", "text", now)).toBe('alpha | stdout: {"type":"synced"}');
  });

  test("json: the child's own record goes on with its bot", () => {
    const own = JSON.stringify({ time: "t", level: "warn", bot: "alpha", msg: "m", n: 1 });
    expect(JSON.parse(childLine("alpha", own, "stderr", "json", now))).toEqual({ time: "t", level: "warn", bot: "alpha", msg: "m", n: 1 });
    const unnamed = JSON.stringify({ time: "t", level: "error", msg: "no bot named" });
    expect(JSON.parse(childLine("alpha", unnamed, "stderr", "json", now))).toEqual({ time: "t", level: "error", bot: "alpha", msg: "no bot named" });
  });

  test("json: a print, a record naming another bot, or one on stdout becomes the msg of a record of its own", () => {
    const wrapped = (line: string, stream: "stdout" | "stderr") => JSON.parse(childLine("alpha", line, stream, "json", now));
    expect(wrapped("plain \u202e text", "stderr")).toEqual({ time: "2026-12-01T10:00:00.000Z", level: "info", bot: "alpha", stream: "stderr", msg: "plain \u202e text" });
    const forged = JSON.stringify({ time: "t", level: "error", bot: "beta", msg: "forged" });
    expect(wrapped(forged, "stderr")).toMatchObject({ bot: "alpha", stream: "stderr", msg: forged });
    const own = JSON.stringify({ time: "t", level: "info", bot: "alpha", msg: "printed" });
    expect(wrapped(own, "stdout")).toMatchObject({ bot: "alpha", stream: "stdout", msg: own });
    // Bidi overrides and C1 controls are escaped in the JSON text, as the logger does.
    expect(childLine("alpha", "x\u202ey", "stderr", "json", now)).toContain("\\u202e");
  });
});
