// The Supervisor on its own: fake children (no processes) and a fake clock.
import { describe, expect, test } from "bun:test";
import { RELAY_INTERVAL_MS, Supervisor, SHUTDOWN_BOUND_MS } from "../../src/supervisor/supervisor.ts";
import type { BotChild, ChildEvents } from "../../src/supervisor/bot-child.ts";
import type { ToChild } from "../../src/supervisor/control-channel.ts";
import { CRASH_LIMIT } from "../../src/supervisor/restart-policy.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { memoryLogger } from "../support/memory-logger.ts";

class FakeChild implements BotChild {
  static nextPid = 1000;
  readonly pid = FakeChild.nextPid++;
  readonly sent: ToChild[] = [];
  readonly signals: string[] = [];
  alive = true;
  constructor(
    readonly bot: string,
    readonly events: ChildEvents,
    /** Exits on SIGTERM (a healthy bot) or ignores it (a hung one). */
    readonly obeysTerm = true,
  ) {}
  send(m: ToChild): void {
    this.sent.push(m);
  }
  signal(s: string): void {
    this.signals.push(s);
    if (s === "SIGKILL" || (s === "SIGTERM" && this.obeysTerm)) this.die(s === "SIGKILL" ? null : 0, s === "SIGKILL" ? "SIGKILL" : null);
  }
  die(code: number | null, signal: string | null = null): void {
    if (!this.alive) return;
    this.alive = false;
    this.events.exit(code, signal);
  }
}

function setup(opts: { bots?: string[]; startAll?: boolean; obeysTerm?: boolean } = {}) {
  const clock = new FakeClock();
  const { log, lines } = memoryLogger();
  const forwarded: string[] = [];
  const children: FakeChild[] = [];
  const gaveUp: string[] = [];
  const sup = new Supervisor({
    bots: opts.bots ?? ["alpha", "beta"],
    spawn: (bot, events) => {
      const c = new FakeChild(bot, events, opts.obeysTerm ?? true);
      children.push(c);
      return c;
    },
    log,
    forward: (l) => forwarded.push(l),
    startAll: opts.startAll ?? true,
    onGiveUp: (b) => gaveUp.push(b),
    clock,
    random: () => 0.5, // no jitter: delays are the backoff itself
  });
  const live = (bot: string) => children.filter((c) => c.bot === bot && c.alive);
  return { sup, clock, lines, forwarded, children, gaveUp, live };
}

describe("Supervisor", () => {
  test("starts one child per bot and reports them in status()", () => {
    const { sup, children } = setup();
    sup.start();
    expect(children.map((c) => c.bot)).toEqual(["alpha", "beta"]);
    expect(sup.status().map((s) => [s.name, s.running, s.pid])).toEqual([
      ["alpha", true, children[0]!.pid],
      ["beta", true, children[1]!.pid],
    ]);
  });

  test("a crashed child comes back after its backoff, doubling; the other bot is untouched", () => {
    const { sup, clock, live, lines } = setup();
    sup.start();
    const beta = live("beta")[0]!;
    live("alpha")[0]!.die(1);
    expect(live("alpha")).toHaveLength(0);
    expect(lines.some((l) => /bot 'alpha' crashed; restarting in 1\.0 s/.test(l))).toBe(true);
    clock.advance(999);
    expect(live("alpha")).toHaveLength(0);
    clock.advance(1);
    expect(live("alpha")).toHaveLength(1);
    live("alpha")[0]!.die(1);
    clock.advance(1999);
    expect(live("alpha")).toHaveLength(0);
    clock.advance(1);
    expect(live("alpha")).toHaveLength(1);
    expect(live("beta")[0]).toBe(beta);
    expect(sup.status().find((s) => s.name === "alpha")!.restarts).toBe(2);
  });

  test(`a crash loop (${CRASH_LIMIT} in the window) is given up on, loudly, and reported for the fleet`, () => {
    const { sup, clock, live, lines, gaveUp } = setup();
    sup.start();
    for (let i = 0; i < CRASH_LIMIT; i++) {
      live("alpha")[0]!.die(1);
      clock.advance(20_000);
    }
    expect(live("alpha")).toHaveLength(0);
    expect(gaveUp).toEqual(["alpha"]);
    expect(lines.filter((l) => l.includes("giving up on it"))).toHaveLength(1);
    expect(sup.status().find((s) => s.name === "alpha")).toMatchObject({ givenUp: true, running: false });
    clock.advance(600_000);
    expect(live("alpha")).toHaveLength(0); // stays down
    expect(live("beta")).toHaveLength(1);
  });

  test("a synced message from one bot makes every other bot rebuild; stdout is logged as output", () => {
    const { sup, children, forwarded } = setup({ bots: ["a", "b", "c"] });
    sup.start();
    const [a, b, c] = children;
    a!.events.message({ type: "synced", added: 1, changed: 0, retired: 0, errors: 0 });
    expect(a!.sent).toEqual([]);
    expect(b!.sent).toEqual([{ type: "rebuild" }]);
    expect(c!.sent).toEqual([{ type: "rebuild" }]);
    a!.events.output('{"type":"synced","added":0,"changed":0,"retired":0,"errors":0}', "stdout");
    expect(b!.sent).toHaveLength(1);
    expect(forwarded).toEqual(['a | stdout: {"type":"synced","added":0,"changed":0,"retired":0,"errors":0}']);
  });

  test(`syncs in a burst are relayed at most once per ${RELAY_INTERVAL_MS} ms, the rest coalesced into one more`, () => {
    const { sup, clock, children, lines } = setup({ bots: ["a", "b"] });
    sup.start();
    const [a, b] = children;
    const synced = (added: number) => a!.events.message({ type: "synced", added, changed: 0, retired: 0, errors: 0 });
    synced(1);
    expect(b!.sent).toHaveLength(1);
    for (let i = 2; i <= 50; i++) synced(i);
    expect(b!.sent).toHaveLength(1);
    clock.advance(RELAY_INTERVAL_MS);
    expect(b!.sent).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/bot 'a' synced the task files; telling the other bots added=50 .*coalesced=48/);
    clock.advance(10 * RELAY_INTERVAL_MS);
    expect(b!.sent).toHaveLength(2);
    synced(51); // a quiet window later: relayed at once
    expect(b!.sent).toHaveLength(3);
  });

  test("malformed control lines are logged a few times, not once per line", () => {
    const { sup, children, lines } = setup();
    sup.start();
    for (let i = 0; i < 500; i++) children[0]!.events.output("garbage", "control");
    expect(lines.filter((l) => l.includes("malformed control message"))).toHaveLength(5);
  });

  test("shutdown: SIGTERM to each, done(0) once all exited; nothing restarts", async () => {
    const { sup, clock, children } = setup();
    sup.start();
    sup.shutdown("SIGTERM");
    expect(children.map((c) => c.signals)).toEqual([["SIGTERM"], ["SIGTERM"]]);
    expect(await sup.done).toBe(0);
    clock.advance(120_000);
    expect(children).toHaveLength(2);
  });

  test("shutdown: a child that ignores SIGTERM is killed after the bound and done is 1", async () => {
    const { sup, clock, children } = setup({ obeysTerm: false });
    sup.start();
    sup.shutdown("SIGTERM");
    clock.advance(SHUTDOWN_BOUND_MS - 1);
    expect(children.every((c) => c.alive)).toBe(true);
    clock.advance(1);
    expect(children.map((c) => c.signals)).toEqual([["SIGTERM", "SIGKILL"], ["SIGTERM", "SIGKILL"]]);
    expect(await sup.done).toBe(1);
  });

  test("a second shutdown signal forces every child down at once", async () => {
    const { sup, children } = setup({ obeysTerm: false });
    sup.start();
    sup.shutdown("SIGINT");
    sup.shutdown("SIGINT");
    expect(children.every((c) => !c.alive)).toBe(true);
    expect(await sup.done).toBe(1);
  });

  test("a pending restart is cancelled by shutdown", async () => {
    const { sup, clock, children, live } = setup();
    sup.start();
    live("alpha")[0]!.die(1);
    sup.shutdown("SIGTERM");
    expect(await sup.done).toBe(0);
    clock.advance(60_000);
    expect(children).toHaveLength(2);
  });

  describe("fleet leases", () => {
    test("nothing starts until leased; release resolves once the child exited; its exit is no crash", async () => {
      const { sup, clock, live, lines } = setup({ startAll: false });
      sup.start();
      expect(live("alpha")).toHaveLength(0);
      sup.lease("alpha");
      expect(live("alpha")).toHaveLength(1);
      await sup.release("alpha");
      expect(live("alpha")).toHaveLength(0);
      clock.advance(120_000);
      expect(live("alpha")).toHaveLength(0);
      expect(lines.some((l) => l.includes("no longer holds its lease"))).toBe(true);
    });

    test("release of a hung child kills it after the bound", async () => {
      const { sup, clock, live } = setup({ startAll: false, obeysTerm: false });
      sup.lease("alpha");
      const child = live("alpha")[0]!;
      const released = sup.release("alpha");
      clock.advance(SHUTDOWN_BOUND_MS);
      await released;
      expect(child.signals).toEqual(["SIGTERM", "SIGKILL"]);
    });

    test("a bot given up on gets a fresh start (forgotten crashes) when leased again", () => {
      const { sup, clock, live } = setup({ startAll: false });
      sup.lease("alpha");
      for (let i = 0; i < CRASH_LIMIT; i++) {
        live("alpha")[0]!.die(1);
        clock.advance(20_000);
      }
      expect(sup.status()[0]!.givenUp).toBe(true);
      sup.lease("alpha");
      expect(live("alpha")).toHaveLength(1);
      live("alpha")[0]!.die(1);
      expect(sup.status()[0]!.givenUp).toBe(false);
      clock.advance(1000);
      expect(live("alpha")).toHaveLength(1);
    });
  });
});
