// The pieces of --metrics without processes: counters, the snapshot check on
// the control channel, the text format, the health verdict, the address.
import { describe, expect, test } from "bun:test";
import parse from "parse-prometheus-text-format";
import { BotMetrics, MAX_TASK_SERIES, type MetricsSource } from "../../src/bot/bot-metrics.ts";
import { readSnapshot } from "../../src/supervisor/metrics-snapshot.ts";
import { supervisorReader, type ToSupervisor } from "../../src/supervisor/control-channel.ts";
import { health, metricsText, type BotView } from "../../src/supervisor/metrics-text.ts";
import { isLoopback, parseMetricsAddress } from "../../src/supervisor/metrics-address.ts";

const live: MetricsSource = { connected: true, ready: true, queued: 3, sendQueue: 1, sendDropped: 0 };
const view = (over: Partial<BotView> = {}): BotView => ({ bot: "b", leased: true, running: true, givenUp: false, restarts: 0, snapshot: new BotMetrics(live).snapshot(), ...over });

describe("BotMetrics", () => {
  test("runs by outcome, lag buckets, reconnects after the first registration", () => {
    const m = new BotMetrics(live);
    m.registered();
    m.registered();
    m.fired({ name: "t" }, 3);
    m.fired({ name: "t" }, 700);
    m.finished({ name: "t", origin: "tasks/a.toml" } as { name: string }, "ok", 1_700_000_000_500);
    m.finished({ name: "t" }, "skipped", 0, 4);
    const s = m.snapshot();
    expect(s.reconnects).toBe(1);
    expect(s.runs).toEqual({ ok: 1, error: 0, skipped: 4, unresolved: 0 });
    expect(s.lag.count).toBe(2);
    expect(s.lag.buckets[0]).toBe(0); // 1 ms
    expect(s.lag.buckets[2]).toBe(1); // 5 ms
    expect(s.lag.buckets[9]).toBe(2); // 1 s
    expect(s.lastSuccess).toEqual({ t: 1_700_000_000 });
  });

  test("tasks created at run time are counted but never become a label", () => {
    const m = new BotMetrics(live);
    m.finished({ name: "remind-alice-buy milk", origin: "runtime" } as { name: string }, "ok", 1000);
    m.finished({ name: "memory-task" }, "ok", 1000);
    expect(m.snapshot().runs.ok).toBe(2);
    expect(m.snapshot().lastSuccess).toEqual({});
  });

  test("per-task series are bounded, the least recently successful leave first", () => {
    const m = new BotMetrics(live);
    for (let i = 0; i < MAX_TASK_SERIES + 5; i++) m.finished({ name: `t${i}`, origin: "f" } as { name: string }, "ok", i * 1000);
    const last = m.snapshot().lastSuccess;
    expect(Object.keys(last).length).toBe(MAX_TASK_SERIES);
    expect(last.t0).toBeUndefined();
    expect(last[`t${MAX_TASK_SERIES + 4}`]).toBe(MAX_TASK_SERIES + 4);
  });
});

describe("control channel", () => {
  test("a metrics line is read back into the same snapshot; a malformed one is refused", () => {
    const got: ToSupervisor[] = [];
    const bad: string[] = [];
    const read = supervisorReader((m) => got.push(m), (l) => bad.push(l));
    const snapshot = view().snapshot!;
    read(JSON.stringify({ type: "metrics", snapshot }) + "\n");
    read(JSON.stringify({ type: "metrics", snapshot: { ...snapshot, queued: -1 } }) + "\n");
    read(JSON.stringify({ type: "metrics", snapshot: { ...snapshot, lastSuccess: { "two words": 1 } } }) + "\n");
    expect(got).toEqual([{ type: "metrics", snapshot }]);
    expect(bad.length).toBe(2);
    expect(readSnapshot({ ...snapshot, lag: { ...snapshot.lag, buckets: [1] } })).toBeUndefined();
  });
});

describe("text format and health", () => {
  test("label values are escaped and the text parses", () => {
    const snapshot = { ...view().snapshot!, lastSuccess: { 'a"b\\c': 5 } };
    const text = metricsText([view({ snapshot })]);
    expect(text).toContain('seshet_task_last_success_timestamp_seconds{bot="b",task="a\\"b\\\\c"} 5');
    const families = parse(text) as { name: string }[];
    expect(families.length).toBe(11);
  });

  test("a bot that is gone or not ready makes /healthz say why", () => {
    expect(health([view()])).toEqual({ ok: true, text: "ok: 1 bot(s) ready\n" });
    const notReady = { ...view().snapshot!, ready: false };
    const offline = { ...notReady, connected: false };
    const h = health([
      view({ bot: "a", snapshot: notReady }),
      view({ bot: "c", snapshot: offline }),
      view({ bot: "d", running: false, snapshot: undefined }),
      view({ bot: "e", snapshot: undefined }),
      view({ bot: "f", running: false, givenUp: true, leased: false, snapshot: undefined }),
      view({ bot: "g", running: false, leased: false, snapshot: undefined }), // another host's, in a fleet
    ]);
    expect(h.ok).toBe(false);
    expect(h.text).toBe(
      [
        "bot 'a': connected, not yet in its channels",
        "bot 'c': not connected to its IRC server",
        "bot 'd': not running (restarting)",
        "bot 'e': starting",
        "bot 'f': given up after crashing repeatedly",
        "",
      ].join("\n"),
    );
  });

  test("addresses: loopback by default", () => {
    expect(parseMetricsAddress("9464")).toEqual({ host: "127.0.0.1", port: 9464 });
    expect(parseMetricsAddress("[::1]:9464")).toEqual({ host: "::1", port: 9464 });
    expect(parseMetricsAddress("0.0.0.0:9464")).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(parseMetricsAddress("http://x:1")).toContain("--metrics must be PORT or HOST:PORT");
    expect(parseMetricsAddress("127.0.0.1:70000")).toContain("got \"127.0.0.1:70000\"");
    expect(isLoopback("127.0.0.1") && isLoopback("::1") && !isLoopback("0.0.0.0")).toBe(true);
  });
});
