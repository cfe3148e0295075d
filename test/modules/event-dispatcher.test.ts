import { describe, expect, test } from "bun:test";
import { EventDispatcher, type HandlerError } from "../../src/modules/event-dispatcher.ts";

describe("EventDispatcher", () => {
  test("runs handlers in subscription order, sync and async alike", async () => {
    const d = new EventDispatcher(() => {});
    const seen: string[] = [];
    d.on("BOT_TICK", () => void seen.push("a"));
    d.on("BOT_TICK", async () => {
      await Promise.resolve();
      seen.push("b");
    });
    d.on("BOT_TICK", () => void seen.push("c"));
    await d.emit("BOT_TICK", { now: 1 });
    expect(seen).toEqual(["a", "b", "c"]);
  });

  test("a throwing handler is reported and the others still run", async () => {
    const errors: HandlerError[] = [];
    const d = new EventDispatcher((e) => errors.push(e));
    let ran = false;
    d.on("message", () => {
      throw new Error("boom");
    }, "bad");
    d.on("message", async () => {
      throw new Error("async boom");
    }, "worse");
    d.on("message", () => void (ran = true));
    await d.emit("message", {});
    expect(ran).toBe(true);
    expect(errors.map((e) => [e.owner, (e.error as Error).message])).toEqual([["bad", "boom"], ["worse", "async boom"]]);
  });

  test("removeOwner drops only that module's handlers; unsubscribe works", async () => {
    const d = new EventDispatcher(() => {});
    const seen: string[] = [];
    d.on("x", () => void seen.push("plugin"), "plugin");
    const off = d.on("x", () => void seen.push("core"), "core");
    d.removeOwner("plugin");
    await d.emit("x", null);
    off();
    await d.emit("x", null);
    expect(seen).toEqual(["core"]);
    expect(d.listenerCount("x")).toBe(0);
  });
});
