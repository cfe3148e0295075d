// FleetMember on a real PostgreSQL store (SQLite where PostgreSQL is
// missing locally): hosts in one process, with hooks that record which bots
// each host runs, and short leases so takeovers happen within a test.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { acquireLease, announceHost, readLeases } from "../../src/fleet/bot-leases.ts";
import { FleetMember, fleetSettings, type FleetHooks } from "../../src/fleet/fleet-member.ts";
import { createLogger } from "../../src/log/logger.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { openKyselyStore } from "../../src/store/open-store.ts";
import { usePostgres } from "../support/postgres.ts";
import { daily, NOW, tempDir } from "../store/store-fixtures.ts";

const LEASE_MS = 1500;
const POLL_MS = 100;
const BOTS = ["alpha", "beta", "gamma"];
const log = createLogger({ level: "error", format: "text" });

const postgres = usePostgres();
const skipPostgres = postgres.skip;

/** Which bots each host runs, as its hooks saw start/stop; and a check that no bot ever ran twice. */
class Runs {
  running = new Map<string, Set<string>>();
  rebuilds = new Map<string, number>();
  overlaps: string[] = [];
  hooks(host: string): FleetHooks {
    this.running.set(host, new Set());
    this.rebuilds.set(host, 0);
    return {
      start: (bot) => {
        for (const [other, set] of this.running) if (set.has(bot)) this.overlaps.push(`${bot} on ${other} and ${host}`);
        this.running.get(host)!.add(bot);
      },
      stop: async (bot) => {
        await new Promise((r) => setTimeout(r, 50)); // a child takes a moment to QUIT
        this.running.get(host)!.delete(bot);
      },
      rebuild: () => this.rebuilds.set(host, this.rebuilds.get(host)! + 1),
    };
  }
  of(host: string): string[] {
    return [...this.running.get(host)!].sort();
  }
  all(): string[] {
    return [...this.running.values()].flatMap((s) => [...s]).sort();
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

for (const backend of ["postgres", "sqlite"] as const) {
  describe.skipIf(backend === "postgres" && skipPostgres)(`FleetMember (${backend})`, () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: KyselyTaskStore;
    let runs: Runs;
    let members: FleetMember[];
    const join = (host: string, bots = BOTS) => {
      const m = new FleetMember(store, { host, leaseMs: LEASE_MS, pollMs: POLL_MS }, bots, runs.hooks(host), log);
      members.push(m);
      m.start();
      return m;
    };

    beforeEach(async () => {
      tmp = tempDir("seshet-fleet-");
      const location = backend === "postgres" ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      store = await openKyselyStore(location, { env: postgres.cluster?.env ?? {} });
      runs = new Runs();
      members = [];
    });
    afterEach(async () => {
      for (const m of members) await m.leave();
      await store.close();
      tmp.remove();
    });

    test("three hosts end up with one bot each, never one bot on two hosts", async () => {
      join("h1");
      await until(() => runs.of("h1").length === 3, 3000, "h1 to take all three bots");
      join("h2");
      join("h3");
      await until(() => ["h1", "h2", "h3"].every((h) => runs.of(h).length === 1), 5000, "one bot per host");
      expect(runs.all()).toEqual(BOTS);
      expect(runs.overlaps).toEqual([]);
      const leases = await readLeases(store.db);
      for (const h of ["h1", "h2", "h3"]) expect(leases.filter((l) => l.host === h).map((l) => l.bot)).toEqual(runs.of(h));
    });

    test("a dead host's bots are taken over once its leases expire, not before", async () => {
      // "dead" holds two bots and announced itself, then stopped renewing.
      const now = await store.dialect.now(store.db);
      await announceHost(store.db, "dead", now);
      await acquireLease(store.db, "alpha", "dead", now, LEASE_MS);
      await acquireLease(store.db, "beta", "dead", now, LEASE_MS);
      join("h1");
      join("h2");
      await until(() => runs.all().length === 1, 2000, "gamma to be taken");
      expect(runs.all()).toEqual(["gamma"]);
      const waited = await until(() => runs.all().length === 3, LEASE_MS + 2000, "alpha and beta taken over");
      const expiredAfter = (await store.dialect.now(store.db)) - now;
      expect(expiredAfter).toBeGreaterThanOrEqual(LEASE_MS);
      expect(waited).toBeGreaterThan(LEASE_MS / 2);
      expect(runs.all()).toEqual(BOTS);
      expect(runs.overlaps).toEqual([]);
      // Two live hosts: a share of two each.
      expect(Math.max(runs.of("h1").length, runs.of("h2").length)).toBe(2);
    });

    test("a host that leaves releases its bots and the others take them at once", async () => {
      const h1 = join("h1");
      join("h2");
      await until(() => runs.all().length === 3, 3000, "all bots running");
      const hadH1 = runs.of("h1");
      expect(hadH1.length).toBeGreaterThan(0);
      // The supervisor stops its bots before leaving.
      runs.running.get("h1")!.clear();
      await h1.leave();
      const took = await until(() => runs.of("h2").length === 3, 3000, "h2 to take h1's bots");
      expect(took).toBeLessThan(LEASE_MS); // released, not expired
    });

    test("a bot given up on (crash loop) is released to another host and not taken back", async () => {
      const h1 = join("h1", ["alpha"]);
      await until(() => runs.of("h1").length === 1, 3000, "h1 running alpha");
      const h2 = join("h2", ["alpha"]);
      // The supervisor's child is gone when it gives up; the fleet lets go of the lease.
      runs.running.get("h1")!.clear();
      await h1.giveUp("alpha");
      const took = await until(() => runs.of("h2").length === 1, 3000, "h2 to take alpha");
      expect(took).toBeLessThan(LEASE_MS); // released, not expired
      // h2 leaves: alpha is free again, but h1 keeps away from it for its cool-down.
      runs.running.get("h2")!.clear();
      await h2.leave();
      await new Promise((r) => setTimeout(r, 5 * POLL_MS));
      expect(runs.of("h1")).toEqual([]);
      expect(runs.overlaps).toEqual([]);
    });

    test("a host whose lease was taken stops that bot", async () => {
      join("h1", ["alpha"]);
      await until(() => runs.of("h1").length === 1, 3000, "h1 running alpha");
      // Another host took the lease (as after h1 stalled past the lease time).
      await store.db.updateTable("bot_leases").set({ host: "thief" }).where("bot", "=", "alpha").execute();
      await until(() => runs.of("h1").length === 0, LEASE_MS + 1000, "h1 to stop alpha");
    });

    for (const mode of ["hang", "fail"] as const) {
      test(`a host cut off from the store (queries ${mode === "hang" ? "hang" : "fail"}) stops its bots before its leases expire`, async () => {
        let cut = false;
        const flaky = {
          db: store.db,
          dialect: {
            now: (db: typeof store.db) =>
              !cut ? store.dialect.now(db) : mode === "hang" ? new Promise<number>(() => {}) : Promise.reject(new Error("connection refused")),
          },
          version: () => store.version(),
        };
        const m = new FleetMember(flaky, { host: "h1", leaseMs: LEASE_MS, pollMs: POLL_MS }, BOTS, runs.hooks("h1"), log);
        members.push(m);
        m.start();
        await until(() => runs.of("h1").length === 3, 3000, "h1 running every bot");
        cut = true;
        const leases = await readLeases(store.db);
        const expiresAt = Math.min(...leases.map((l) => l.expiresAt));
        await until(() => runs.of("h1").length === 0, LEASE_MS + 1000, "h1 to stop its bots");
        expect(await store.dialect.now(store.db)).toBeLessThan(expiresAt);
        if (mode === "fail") {
          // Back in touch: nobody took the bots meanwhile, so they run here again.
          cut = false;
          await until(() => runs.of("h1").length === 3, 3000, "h1 to run its bots again");
        }
      });
    }

    test("a sync on another host makes every host rebuild", async () => {
      join("h1");
      join("h2");
      await until(() => runs.all().length === 3, 3000, "all bots running");
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      expect(runs.rebuilds.get("h1")).toBe(0);
      await store.sync([daily("d")], [], NOW);
      await until(() => runs.rebuilds.get("h1")! > 0 && runs.rebuilds.get("h2")! > 0, 2000, "both hosts to rebuild");
      // An unchanged sync bumps nothing.
      const before = [runs.rebuilds.get("h1"), runs.rebuilds.get("h2")];
      await store.sync([daily("d")], [], NOW);
      await new Promise((r) => setTimeout(r, 4 * POLL_MS));
      expect([runs.rebuilds.get("h1"), runs.rebuilds.get("h2")]).toEqual(before);
    });
  });
}

describe("fleetSettings", () => {
  test("fleet mode only with PostgreSQL; lease and host from the environment", () => {
    expect(fleetSettings("seshet.db", {})).toBeUndefined();
    expect(fleetSettings("postgres://u@127.0.0.1/db", {})).toMatchObject({ leaseMs: 15_000, pollMs: 1000 });
    expect(fleetSettings("postgresql://u@h/db", { SESHET_LEASE_MS: "3000", SESHET_HOST: "box-1" })).toEqual({ host: "box-1", leaseMs: 3000, pollMs: 1000 });
    expect(() => fleetSettings("postgres://u@h/db", { SESHET_LEASE_MS: "50" })).toThrow(/SESHET_LEASE_MS/);
  });
});
