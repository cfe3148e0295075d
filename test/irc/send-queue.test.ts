import { describe, expect, test } from "bun:test";
import { SendQueue, type QueueClock } from "../../src/irc/send-queue.ts";
import type { Logger } from "../../src/irc/logger-types.ts";

/** A clock that only moves when told to; timers fire in due order. */
class FakeClock implements QueueClock {
  t = 0;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #id = 0;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.#id;
    this.#timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.#timers = this.#timers.filter((x) => x.id !== h);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

function setup(opts: { burst?: number; rate?: number; outboxLimit?: number; replyLimit?: number } = {}) {
  const clock = new FakeClock();
  const sent: { line: string; at: number }[] = [];
  const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  let writable = true;
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error() {},
  };
  const q = new SendQueue({
    flood: { burst: opts.burst ?? 5, rate: opts.rate ?? 1 },
    outboxLimit: opts.outboxLimit ?? 100,
    replyLimit: opts.replyLimit ?? 100,
    logger,
    clock,
    write: (line) => {
      if (!writable) return false;
      sent.push({ line, at: clock.t });
      return true;
    },
  });
  return { q, clock, sent, warnings, setWritable: (w: boolean) => (writable = w) };
}

describe("SendQueue flood control", () => {
  test("sends the burst at once, then one line per 1/rate seconds", () => {
    const { q, clock, sent } = setup({ burst: 5, rate: 2 });
    q.setMode("open");
    for (let i = 0; i < 12; i++) q.enqueue(`L${i}`);
    expect(sent.map((s) => s.line)).toEqual(["L0", "L1", "L2", "L3", "L4"]);
    clock.advance(499);
    expect(sent.length).toBe(5);
    clock.advance(1);
    expect(sent.length).toBe(6);
    clock.advance(3000);
    expect(sent.map((s) => s.line)).toEqual(Array.from({ length: 12 }, (_, i) => `L${i}`));
    // After the burst the gaps are exactly 1/rate.
    const gaps = sent.slice(5).map((s, i) => s.at - sent[4 + i]!.at);
    expect(gaps).toEqual([500, 500, 500, 500, 500, 500, 500]);
  });

  test("tokens refill while idle, but never beyond the burst", () => {
    const { q, clock, sent } = setup({ burst: 3, rate: 1 });
    q.setMode("open");
    for (let i = 0; i < 3; i++) q.enqueue(`a${i}`);
    clock.advance(60_000);
    for (let i = 0; i < 5; i++) q.enqueue(`b${i}`);
    const atOnce = sent.filter((s) => s.at === clock.t).length;
    expect(atOnce).toBe(3);
    clock.advance(2000);
    expect(sent.length).toBe(8);
  });

  test("500 lines leave in order at the configured pace", () => {
    const { q, clock, sent } = setup({ burst: 5, rate: 1, outboxLimit: 1000 });
    q.setMode("open");
    for (let i = 0; i < 500; i++) q.enqueue(`m${i}`);
    clock.advance(494_999);
    expect(sent.length).toBe(499);
    clock.advance(1);
    expect(sent.map((s) => s.line)).toEqual(Array.from({ length: 500 }, (_, i) => `m${i}`));
  });

  test("control lines go before the outbox; outbox waits for open", () => {
    const { q, clock, sent } = setup({ burst: 10, rate: 1 });
    q.enqueue("PRIVMSG #a :queued while offline");
    q.setMode("control");
    q.enqueueControl("JOIN #a");
    expect(sent.map((s) => s.line)).toEqual(["JOIN #a"]);
    q.setMode("open");
    q.enqueueControl("WHO #a");
    clock.advance(0);
    expect(sent.map((s) => s.line)).toEqual(["JOIN #a", "PRIVMSG #a :queued while offline", "WHO #a"]);
  });

  test("whenIdle resolves once everything is written", async () => {
    const { q, clock } = setup({ burst: 1, rate: 1 });
    q.setMode("open");
    q.enqueue("x");
    q.enqueue("y");
    let idle = false;
    const p = q.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    clock.advance(1000);
    await p;
    expect(idle).toBe(true);
  });

  test("a failed write keeps the line and retries it", () => {
    const { q, clock, sent, setWritable } = setup({ burst: 5, rate: 1 });
    q.setMode("open");
    setWritable(false);
    q.enqueue("a");
    q.enqueue("b");
    expect(sent.length).toBe(0);
    setWritable(true);
    clock.advance(300);
    expect(sent.map((s) => s.line)).toEqual(["a", "b"]);
  });
});

describe("SendQueue outbox while disconnected", () => {
  test("keeps messages while offline and flushes them in order when open", () => {
    const { q, clock, sent } = setup({ burst: 2, rate: 1 });
    for (let i = 0; i < 4; i++) q.enqueue(`m${i}`);
    clock.advance(10_000);
    expect(sent.length).toBe(0);
    q.setMode("open");
    clock.advance(2000);
    expect(sent.map((s) => s.line)).toEqual(["m0", "m1", "m2", "m3"]);
  });

  test("drops the oldest beyond the limit and counts the drops in a warning", () => {
    const { q, clock, sent, warnings } = setup({ burst: 100, rate: 1, outboxLimit: 3 });
    for (let i = 0; i < 5; i++) q.enqueue(`m${i}`);
    expect(q.dropped).toBe(2);
    expect(q.outboxSize).toBe(3);
    // One warning, not one per line: a long burst of drops must not flood the log.
    expect(warnings.length).toBe(1);
    expect(warnings[0]?.fields).toMatchObject({ outbox: 1, droppedTotal: 1 });
    q.setMode("open");
    clock.advance(0);
    expect(sent.map((s) => s.line)).toEqual(["m2", "m3", "m4"]);
  });

  test("the outbox is bounded while connected too; control lines are discarded on disconnect", () => {
    const { q, clock, sent, warnings } = setup({ burst: 1, rate: 1, outboxLimit: 2 });
    q.setMode("open");
    for (let i = 0; i < 6; i++) q.enqueue(`m${i}`); // m0 goes out, m1..m5 wait
    q.enqueueControl("WHO #x");
    q.setMode("offline");
    expect(q.controlSize).toBe(0);
    expect(q.outboxSize).toBe(2);
    expect(q.dropped).toBe(3);
    expect(warnings[0]?.fields).toMatchObject({ outbox: 1 });
    clock.advance(10_000);
    q.enqueueControl("JOIN #x"); // ignored while offline
    q.setMode("open");
    clock.advance(5000);
    expect(sent.map((s) => s.line)).toEqual(["m0", "m4", "m5"]);
  });

  test("a new connection starts with a full burst", () => {
    const { q, sent } = setup({ burst: 3, rate: 0.1 });
    q.setMode("open");
    for (let i = 0; i < 3; i++) q.enqueue(`a${i}`);
    q.setMode("offline");
    for (let i = 0; i < 3; i++) q.enqueue(`b${i}`);
    q.setMode("open");
    expect(sent.length).toBe(6);
  });
});

describe("SendQueue replies lane", () => {
  test("task lines always leave before replies, even replies queued earlier", () => {
    const { q, clock, sent } = setup({ burst: 1, rate: 1 });
    q.setMode("open");
    q.enqueueReply("R0"); // goes out at once: nothing else is waiting
    for (let i = 1; i <= 3; i++) q.enqueueReply(`R${i}`);
    q.enqueue("T0");
    q.enqueue("T1");
    clock.advance(1000);
    q.enqueue("T2");
    clock.advance(10_000);
    expect(sent.map((s) => s.line)).toEqual(["R0", "T0", "T1", "T2", "R1", "R2", "R3"]);
  });

  test("a due task's line is not delayed by queued replies", () => {
    const { q, clock, sent } = setup({ burst: 5, rate: 1 });
    q.setMode("open");
    for (let i = 0; i < 50; i++) q.enqueueReply(`R${i}`);
    clock.advance(3500);
    q.enqueue("TASK");
    clock.advance(1000);
    const task = sent.find((s) => s.line === "TASK")!;
    expect(task.at - 3500).toBeLessThanOrEqual(1000);
    expect(sent.findIndex((s) => s.line === "TASK")).toBeLessThan(10);
  });

  test("replies beyond the lane's bound are refused and counted, with one summarised warning", () => {
    const { q, clock, sent, warnings } = setup({ burst: 1, rate: 1, replyLimit: 3 });
    q.setMode("open");
    const accepted = Array.from({ length: 200 }, (_, i) => q.enqueueReply(`R${i}`)).filter(Boolean).length;
    expect(accepted).toBe(4); // one went straight out, three wait
    expect(q.replySize).toBe(3);
    expect(q.dropped).toBe(196);
    expect(warnings.length).toBe(1);
    clock.advance(10_000);
    expect(sent.map((s) => s.line)).toEqual(["R0", "R1", "R2", "R3"]);
    // Once the queue drains, the drops since the first warning are reported too.
    expect(warnings.length).toBe(2);
    expect(warnings[1]?.fields).toMatchObject({ replies: 195, droppedTotal: 196 });
  });

  test("replies are kept across a disconnect, within their bound", () => {
    const { q, clock, sent } = setup({ burst: 1, rate: 1 });
    q.setMode("open");
    q.enqueue("T0");
    q.enqueueReply("R0");
    q.setMode("offline");
    q.setMode("open");
    clock.advance(2000);
    expect(sent.map((s) => s.line)).toEqual(["T0", "R0"]);
  });

  test("control lines are bounded too", () => {
    const { q } = setup({ burst: 1, rate: 0.001 });
    q.setMode("control");
    for (let i = 0; i < 1000; i++) q.enqueueControl(`WHO #c${i}`);
    expect(q.controlSize).toBeLessThanOrEqual(200);
    expect(q.dropped).toBeGreaterThan(0);
  });
});
