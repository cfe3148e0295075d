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

function setup(opts: { burst?: number; rate?: number; outboxLimit?: number } = {}) {
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
    const { q, clock, sent } = setup({ burst: 5, rate: 1 });
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
    expect(warnings.length).toBe(2);
    expect(warnings.at(-1)?.fields).toMatchObject({ droppedTotal: 2, limit: 3 });
    q.setMode("open");
    clock.advance(0);
    expect(sent.map((s) => s.line)).toEqual(["m2", "m3", "m4"]);
  });

  test("lines still queued when the connection drops are trimmed to the limit, control lines discarded", () => {
    const { q, clock, sent, warnings } = setup({ burst: 1, rate: 1, outboxLimit: 2 });
    q.setMode("open");
    for (let i = 0; i < 6; i++) q.enqueue(`m${i}`); // m0 goes out, m1..m5 wait
    q.enqueueControl("WHO #x");
    q.setMode("offline");
    expect(q.controlSize).toBe(0);
    expect(q.outboxSize).toBe(2);
    expect(warnings.at(-1)?.fields).toMatchObject({ droppedNow: 3 });
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
