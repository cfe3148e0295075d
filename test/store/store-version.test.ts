// The store's version as two processes see it: each on its own SQLite
// connection (both drivers), polling through PRAGMA data_version.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { DRIVERS, NOW, daily, tempDir } from "./store-fixtures.ts";

describe.each(DRIVERS)("store version across connections (%s)", (driver) => {
  let tmp: { dir: string; remove(): void };
  let a: KyselyTaskStore;
  let b: KyselyTaskStore;

  beforeEach(async () => {
    tmp = tempDir("seshet-version-");
    a = await openKyselyStore(join(tmp.dir, "s.db"), { driver });
    b = await openKyselyStore(join(tmp.dir, "s.db"), { driver });
  });

  afterEach(async () => {
    await a.close();
    await b.close();
    tmp.remove();
  });

  test("a sync on another connection moves the version; a claim does not; our own sync does too", async () => {
    const v0 = await a.version();
    expect(await a.version()).toBe(v0);
    await b.sync([daily("x")], [], NOW);
    const v1 = await a.version();
    expect(v1).toBeGreaterThan(v0);
    const [task] = await b.activeTasks("alpha");
    expect(await b.claim(task!.id, task!.nextDue!, NOW, "started", { nextDue: task!.nextDue! + 86_400_000, remaining: null })).not.toBeNull();
    expect(await a.version()).toBe(v1);
    await a.sync([daily("x"), daily("y")], [], NOW);
    const v2 = await a.version();
    expect(v2).toBeGreaterThan(v1);
    expect(await b.version()).toBe(v2);
    await b.sync([daily("x"), daily("y")], [], NOW); // nothing changed: no new version
    expect(await a.version()).toBe(v2);
  });
});
