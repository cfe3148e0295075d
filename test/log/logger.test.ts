import { describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log/logger.ts";

function capture(format: "text" | "json") {
  const lines: string[] = [];
  const log = createLogger({ format, write: (l) => lines.push(l), now: () => new Date(0) }, "libera");
  return { log, lines };
}

function failingCall(): Error {
  try {
    (function deliverReminder() {
      throw new Error("boom", { cause: new TypeError("socket closed") });
    })();
  } catch (e) {
    return e as Error;
  }
  throw new Error("unreachable");
}

describe("logger keeps error stacks", () => {
  test("text: the message on the line, the stack and its cause on indented lines after it", () => {
    const { log, lines } = capture("text");
    log.error("task failed", { task: "standup", error: failingCall() });
    expect(lines.length).toBe(1);
    const [first, ...rest] = lines[0]!.split("\n");
    expect(first).toBe("1970-01-01T00:00:00.000Z ERROR [libera] task failed task=standup error=boom");
    expect(rest.some((l) => /^ {4}at .*deliverReminder/.test(l))).toBe(true);
    expect(rest.some((l) => l === "    caused by: TypeError: socket closed")).toBe(true);
    expect(rest.every((l) => l.startsWith("    "))).toBe(true);
  });

  test("json: one object per line with a stack field", () => {
    const { log, lines } = capture("json");
    log.warn("module failed in teardown", { error: failingCall() });
    expect(lines.length).toBe(1);
    expect(lines[0]!.includes("\n")).toBe(false);
    const rec = JSON.parse(lines[0]!) as Record<string, string>;
    expect(rec.error).toBe("boom");
    expect(rec.stack).toContain("deliverReminder");
    expect(rec.stack).toContain("caused by: TypeError: socket closed");
  });

  test("no Error, no stack; a cyclic cause chain ends", () => {
    const { log, lines } = capture("json");
    log.error("odd", { error: "a thrown string" });
    expect(JSON.parse(lines[0]!).stack).toBeUndefined();
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    log.error("cycle", { error: a });
    expect(JSON.parse(lines[1]!).stack.split("caused by:").length).toBeLessThanOrEqual(7);
  });
});
