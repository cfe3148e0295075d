import { describe, expect, test } from "bun:test";
import { LOG_BUDGET, StrayErrorLog } from "../../src/bot/stray-error-log.ts";
import { memoryLogger } from "../support/memory-logger.ts";

describe("StrayErrorLog", () => {
  test("logs the error with its stack and the module found in it", () => {
    const { log, lines } = memoryLogger();
    const strays = new StrayErrorLog(log, (stack) => (stack.includes("stray-error-log.test.ts") ? "extras" : undefined));
    const error = (function strayThrower() {
      return new Error("forgot to await");
    })();
    strays.report(error, "unhandled rejection");
    const text = lines.join("\n");
    expect(text).toMatch(/ERROR unhandled rejection from module 'extras'; the bot keeps running error=forgot to await/);
    expect(text).toMatch(/at .*stray-error-log\.test\.ts:\d+:\d+/);
    strays.report("a string", "uncaught exception");
    expect(lines.join("\n")).toMatch(/ERROR uncaught exception; the bot keeps running error=a string/);
  });

  test(`at most ${LOG_BUDGET} a minute, then a count of what was left out`, () => {
    const { log, lines } = memoryLogger();
    let now = 0;
    const strays = new StrayErrorLog(log, () => undefined, () => now);
    for (let i = 0; i < 100; i++) strays.report(new Error(`e${i}`), "unhandled rejection");
    expect(lines.filter((l) => l.includes("ERROR unhandled rejection"))).toHaveLength(LOG_BUDGET);
    now = 60_000;
    strays.report(new Error("later"), "unhandled rejection");
    expect(lines.some((l) => l.includes(`${100 - LOG_BUDGET} more stray error(s) in the last minute were not logged`))).toBe(true);
    expect(lines.at(-1)).toContain("error=later");
    expect(strays.count).toBe(101);
  });
});
