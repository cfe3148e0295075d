import { describe, expect, test } from "bun:test";
import { TaskQueue } from "../../src/scheduler/task-queue.ts";

describe("TaskQueue", () => {
  test("pops in due order, ties in declaration order", () => {
    const q = new TaskQueue<string>();
    q.push("c", 300, 0, "c");
    q.push("b2", 200, 2, "b2");
    q.push("b1", 200, 1, "b1");
    q.push("a", 100, 9, "a");
    const out: string[] = [];
    for (let e; (e = q.popDue(1000)); ) out.push(e.value);
    expect(out).toEqual(["a", "b1", "b2", "c"]);
  });

  test("popDue leaves entries that are not due", () => {
    const q = new TaskQueue<number>();
    q.push("x", 500, 0, 1);
    expect(q.popDue(499)).toBeUndefined();
    expect(q.size).toBe(1);
    expect(q.popDue(500)?.key).toBe("x");
    expect(q.size).toBe(0);
  });

  test("replacing a key moves it: the old entry never pops", () => {
    const q = new TaskQueue<number>();
    q.push("a", 100, 0, 1);
    q.push("b", 200, 0, 2);
    q.push("a", 300, 0, 3);
    expect(q.size).toBe(2);
    expect(q.peek()?.due).toBe(200);
    expect(q.get("a")?.value).toBe(3);
    expect(q.popDue(1000)?.value).toBe(2);
    expect(q.popDue(1000)?.value).toBe(3);
    expect(q.popDue(1000)).toBeUndefined();
    expect(q.get("a")).toBeUndefined();
  });

  test("a removed key never pops, and removing it again says so", () => {
    const q = new TaskQueue<number>();
    q.push("a", 100, 0, 1);
    q.push("b", 200, 0, 2);
    expect(q.remove("a")).toBe(true);
    expect(q.remove("a")).toBe(false);
    expect(q.size).toBe(1);
    expect(q.popDue(1000)?.value).toBe(2);
    expect(q.popDue(1000)).toBeUndefined();
  });

  test("stays a correct heap under many random operations", () => {
    const q = new TaskQueue<number>();
    const model = new Map<string, number>();
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const key = `k${Math.floor(rnd() * 2000)}`;
      const r = rnd();
      if (r < 0.65) {
        const due = Math.floor(rnd() * 1e6);
        q.push(key, due, 0, due);
        model.set(key, due);
      } else {
        const now = Math.floor(rnd() * 1e6);
        const e = q.popDue(now);
        const min = Math.min(...model.values());
        if (min <= now) {
          expect(e?.due).toBe(min);
          model.delete(e!.key);
        } else expect(e).toBeUndefined();
      }
      expect(q.size).toBe(model.size);
    }
  });
});
