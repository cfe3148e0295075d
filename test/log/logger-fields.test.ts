// Log fields: an absent value is left out, never printed as `next=undefined`.
import { expect, test } from "bun:test";
import { createLogger } from "../../src/log/logger.ts";

test("a field whose value is undefined is left out of text and JSON lines", () => {
  const lines: string[] = [];
  const now = () => new Date(0);
  createLogger({ write: (l) => lines.push(l), now }).info("started: 0 task(s) queued", { next: undefined, tasks: 0 });
  createLogger({ write: (l) => lines.push(l), now, format: "json" }).info("started", { next: undefined });
  expect(lines[0]).toBe("1970-01-01T00:00:00.000Z INFO  started: 0 task(s) queued tasks=0");
  expect(JSON.parse(lines[1]!)).toEqual({ time: "1970-01-01T00:00:00.000Z", level: "info", msg: "started" });
});
