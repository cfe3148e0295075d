// The lease rule (pure) and the lease statements on a real store: SQLite
// and PostgreSQL (skipped with a message where PostgreSQL is not installed,
// an error in CI).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import {
  acquireLease,
  announceHost,
  decideLeases,
  fairShare,
  leaveFleet,
  liveHosts,
  readLeases,
  releaseLease,
  renewLease,
  type LeaseRow,
} from "../../src/fleet/bot-leases.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { openKyselyStore } from "../../src/store/open-store.ts";
import { usePostgres } from "../support/postgres.ts";
import { tempDir } from "../store/store-fixtures.ts";

const T = 1_000_000;
const lease = (bot: string, host: string, expiresAt = T + 10_000): LeaseRow => ({ bot, host, expiresAt });

describe("fairShare", () => {
  test("is the ceiling of bots per live host", () => {
    expect(fairShare(3, 3)).toBe(1);
    expect(fairShare(3, 2)).toBe(2);
    expect(fairShare(4, 3)).toBe(2);
    expect(fairShare(3, 1)).toBe(3);
    expect(fairShare(3, 0)).toBe(3);
    expect(fairShare(0, 2)).toBe(0);
  });
});

describe("decideLeases", () => {
  const bots = ["a", "b", "c"];

  test("a lone host takes every free bot", () => {
    const d = decideLeases({ self: "h1", bots, leases: [], hostsAlive: 1, now: T });
    expect(d.keep).toEqual([]);
    expect(d.release).toEqual([]);
    expect([...d.acquire].sort()).toEqual(["a", "b", "c"]);
  });

  test("a bot this host gave up on is left to the others", () => {
    const d = decideLeases({ self: "h1", bots, leases: [], hostsAlive: 1, now: T, avoid: new Set(["b"]) });
    expect([...d.acquire].sort()).toEqual(["a", "c"]);
  });

  test("with three hosts a host takes one bot only", () => {
    const d = decideLeases({ self: "h1", bots, leases: [], hostsAlive: 3, now: T });
    expect(d.acquire).toHaveLength(1);
  });

  test("hosts try the free bots in different orders", () => {
    const firsts = new Set(["h1", "h2", "h3", "h4", "h5", "h6"].map((self) => decideLeases({ self, bots, leases: [], hostsAlive: 3, now: T }).acquire[0]));
    expect(firsts.size).toBeGreaterThan(1);
  });

  test("a bot leased by a live host is not free; an expired lease is", () => {
    const leases = [lease("a", "h2"), lease("b", "h3", T - 1), lease("c", "h3", T)];
    const d = decideLeases({ self: "h1", bots, leases, hostsAlive: 1, now: T });
    expect([...d.acquire].sort()).toEqual(["b", "c"]);
  });

  test("our own lease is kept even when expired (nobody took it) and counts toward our share", () => {
    const leases = [lease("a", "h1", T - 5000), lease("b", "h2")];
    const d = decideLeases({ self: "h1", bots, leases, hostsAlive: 2, now: T });
    expect(d.keep).toEqual(["a"]);
    expect(d.acquire).toEqual(["c"]); // share is 2
    expect(d.release).toEqual([]);
  });

  test("when more hosts come up, a host gives back what is beyond its share", () => {
    const leases = [lease("a", "h1"), lease("b", "h1"), lease("c", "h1")];
    const two = decideLeases({ self: "h1", bots, leases, hostsAlive: 2, now: T });
    expect(two).toEqual({ keep: ["a", "b"], acquire: [], release: ["c"] });
    const three = decideLeases({ self: "h1", bots, leases, hostsAlive: 3, now: T });
    expect(three).toEqual({ keep: ["a"], acquire: [], release: ["b", "c"] });
  });

  test("bots being given back are neither released again nor counted", () => {
    const leases = [lease("a", "h1"), lease("b", "h1"), lease("c", "h1")];
    const d = decideLeases({ self: "h1", bots, leases, hostsAlive: 3, now: T, releasing: new Set(["b", "c"]) });
    expect(d).toEqual({ keep: ["a"], acquire: [], release: [] });
  });

  test("a lease for a bot this host has no file for is released", () => {
    const d = decideLeases({ self: "h1", bots: ["a"], leases: [lease("a", "h1"), lease("zz", "h1")], hostsAlive: 1, now: T });
    expect(d).toEqual({ keep: ["a"], acquire: [], release: ["zz"] });
  });

  test("at a fair spread nothing moves", () => {
    const leases = [lease("a", "h1"), lease("b", "h2"), lease("c", "h3")];
    for (const self of ["h1", "h2", "h3"]) {
      const d = decideLeases({ self, bots, leases, hostsAlive: 3, now: T });
      expect(d.acquire).toEqual([]);
      expect(d.release).toEqual([]);
      expect(d.keep).toHaveLength(1);
    }
  });

  test("when a host's leases expire, the others share its bots out", () => {
    const leases = [lease("a", "h1"), lease("b", "h2", T - 1), lease("c", "h3")];
    // h2 is dead: two hosts alive, share 2 each.
    const h1 = decideLeases({ self: "h1", bots, leases, hostsAlive: 2, now: T });
    const h3 = decideLeases({ self: "h3", bots, leases, hostsAlive: 2, now: T });
    expect(h1.acquire).toEqual(["b"]);
    expect(h3.acquire).toEqual(["b"]); // both try; the store lets one win
  });
});

const postgres = usePostgres();
const skipPostgres = postgres.skip;

for (const backend of ["sqlite", "postgres"] as const) {
  describe.skipIf(backend === "postgres" && skipPostgres)(`lease statements (${backend})`, () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: KyselyTaskStore;
    let location: string;
    const open = () => openKyselyStore(location, { env: postgres.cluster?.env ?? {} });

    beforeEach(async () => {
      tmp = tempDir("seshet-lease-");
      location = backend === "postgres" ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      tmp.remove();
    });

    test("acquire takes a free bot once; a live lease cannot be taken, an expired one can", async () => {
      const db = store.db;
      expect(await acquireLease(db, "a", "h1", T, 15_000)).toBe(true);
      expect(await acquireLease(db, "a", "h2", T + 14_999, 15_000)).toBe(false);
      expect(await readLeases(db)).toEqual([{ bot: "a", host: "h1", expiresAt: T + 15_000 }]);
      expect(await acquireLease(db, "a", "h2", T + 15_000, 15_000)).toBe(true);
      expect(await readLeases(db)).toEqual([{ bot: "a", host: "h2", expiresAt: T + 30_000 }]);
    });

    test("renew extends only our own lease; a lost lease reports false", async () => {
      const db = store.db;
      await acquireLease(db, "a", "h1", T, 15_000);
      expect(await renewLease(db, "a", "h1", T + 5000, 15_000)).toBe(true);
      expect((await readLeases(db))[0]!.expiresAt).toBe(T + 20_000);
      expect(await acquireLease(db, "a", "h2", T + 20_000, 15_000)).toBe(true);
      expect(await renewLease(db, "a", "h1", T + 21_000, 15_000)).toBe(false);
      expect((await readLeases(db))[0]).toEqual({ bot: "a", host: "h2", expiresAt: T + 35_000 });
    });

    test("release frees a bot at once, but only our own", async () => {
      const db = store.db;
      await acquireLease(db, "a", "h1", T, 15_000);
      await releaseLease(db, "a", "h2");
      expect(await readLeases(db)).toHaveLength(1);
      await releaseLease(db, "a", "h1");
      expect(await readLeases(db)).toEqual([]);
      expect(await acquireLease(db, "a", "h2", T + 1, 15_000)).toBe(true);
    });

    test("live hosts are those seen within the lease; leaving removes the host and its leases", async () => {
      const db = store.db;
      await announceHost(db, "h1", T);
      await announceHost(db, "h2", T - 20_000);
      await announceHost(db, "h3", T - 1000);
      expect((await liveHosts(db, T, 15_000)).sort()).toEqual(["h1", "h3"]);
      await announceHost(db, "h2", T);
      expect((await liveHosts(db, T, 15_000)).sort()).toEqual(["h1", "h2", "h3"]);
      await acquireLease(db, "a", "h1", T, 15_000);
      await acquireLease(db, "b", "h2", T, 15_000);
      await leaveFleet(db, "h1");
      expect((await liveHosts(db, T, 15_000)).sort()).toEqual(["h2", "h3"]);
      expect(await readLeases(db)).toEqual([{ bot: "b", host: "h2", expiresAt: T + 15_000 }]);
    });

    test.skipIf(backend !== "postgres")("hosts racing for the same free bots on separate connections: each bot goes to exactly one", async () => {
      const handles = await Promise.all([0, 1, 2, 3, 4].map(() => open()));
      try {
        const bots = Array.from({ length: 20 }, (_, i) => `bot${i}`);
        const wins = await Promise.all(
          handles.map(async (h, i) => {
            const won: string[] = [];
            for (const bot of bots) if (await acquireLease(h.db, bot, `h${i}`, T, 15_000)) won.push(bot);
            return won;
          }),
        );
        const all = wins.flat();
        expect(all.sort()).toEqual([...bots].sort());
        const leases = await readLeases(store.db);
        for (const [i, won] of wins.entries()) for (const bot of won) expect(leases.find((l) => l.bot === bot)!.host).toBe(`h${i}`);
      } finally {
        for (const h of handles) await h.close();
      }
    });
  });
}
