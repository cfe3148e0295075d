import { describe, expect, test } from "bun:test";
import { StoreWatcher } from "../../src/bot/store-watcher.ts";

function setup() {
  let version = 1;
  let fail = false;
  let rebuildFails = 0;
  const events: string[] = [];
  const watcher = new StoreWatcher({
    version: async () => {
      if (fail) throw new Error("database is locked");
      return version;
    },
    changed: async () => {
      if (rebuildFails > 0) {
        rebuildFails--;
        throw new Error("rebuild failed");
      }
      events.push(`changed to ${version}`);
    },
    failed: (e) => void events.push(`failed: ${(e as Error).message}`),
  });
  return { watcher, events, set: (v: number) => (version = v), failing: (f: boolean) => (fail = f), rebuildFailing: (n: number) => (rebuildFails = n) };
}

describe("StoreWatcher", () => {
  test("calls changed once per new version, not for the first one seen", async () => {
    const { watcher, events, set } = setup();
    await watcher.poll();
    await watcher.poll();
    expect(events).toEqual([]);
    set(2);
    await watcher.poll();
    await watcher.poll();
    expect(events).toEqual(["changed to 2"]);
  });

  test("a version recorded by sync() (a rebuild for another reason) is not reported again", async () => {
    const { watcher, events, set } = setup();
    await watcher.poll();
    set(5);
    await watcher.sync();
    await watcher.poll();
    expect(events).toEqual([]);
  });

  test("failures are reported once per streak, and a change during the outage is still seen", async () => {
    const { watcher, events, set, failing } = setup();
    await watcher.poll();
    failing(true);
    await watcher.poll();
    await watcher.poll();
    set(3);
    failing(false);
    await watcher.poll();
    expect(events).toEqual(["failed: database is locked", "changed to 3"]);
  });

  test("a rebuild that fails is tried again on the next poll", async () => {
    const { watcher, events, set, rebuildFailing } = setup();
    await watcher.poll();
    set(2);
    rebuildFailing(1);
    await watcher.poll();
    expect(events).toEqual(["failed: rebuild failed"]);
    await watcher.poll();
    expect(events).toEqual(["failed: rebuild failed", "changed to 2"]);
  });
});
