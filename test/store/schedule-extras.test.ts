// EXDATE, RDATE, cron, reminders and late_after in the store: kept through a
// reopen, part of what makes a task "changed", and used for its next due.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { taskHash } from "../../src/store/task-hash.ts";
import { usePostgres } from "../support/postgres.ts";
import { daily, DRIVERS, NOW, tempDir } from "./store-fixtures.ts";

const JUNE_2_9H = Date.UTC(2026, 5, 2, 9);
const JUNE_3_9H = Date.UTC(2026, 5, 3, 9);

const postgres = usePostgres();

for (const backend of [...DRIVERS, "postgres" as const]) {
  describe.skipIf(backend === "postgres" && postgres.skip)(`schedule extras in the store (${backend === "postgres" ? "PostgreSQL" : `SQLite, ${backend} driver`})`, () => {
    const driver = backend === "postgres" ? undefined : backend;
    const open = (where: string) => openKyselyStore(where, { driver, env: postgres.cluster?.env ?? {} });
    let tmp: ReturnType<typeof tempDir>;
    let file: string;
    let store: KyselyTaskStore;
    beforeEach(async () => {
      tmp = tempDir();
      file = backend === "postgres" ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      store = await open(file);
    });
    afterEach(async () => {
      await store.close();
      tmp.remove();
    });

    test("an EXDATE moves the next due past the excluded day, and survives a reopen", async () => {
      const extras = { exdate: ["2026-06-02"], rdate: ["2026-06-20T12:00:00"], lateAfter: 600_000 };
      await store.sync([daily("d", { extras })], [], NOW);
      expect((await store.getTask("alpha", "d"))!.nextDue).toBe(JUNE_3_9H);
      await store.close();
      store = await open(file);
      const t = (await store.getTask("alpha", "d"))!;
      expect(t.extras).toEqual(extras);
      expect(t.remaining).toBe(null);
    });

    test("a change to the exceptions is a changed task, rescheduled; no extras keeps the old hash", async () => {
      await store.sync([daily("d")], [], NOW);
      expect((await store.getTask("alpha", "d"))!.nextDue).toBe(JUNE_2_9H);
      expect(taskHash(daily("d"))).toBe(taskHash({ ...daily("d"), extras: undefined }));
      const counts = await store.sync([daily("d", { extras: { exdate: ["2026-06-02T09:00:00"] } })], [], NOW);
      expect(counts).toEqual({ added: 0, changed: 1, retired: 0, unchanged: 0 });
      expect((await store.getTask("alpha", "d"))!.nextDue).toBe(JUNE_3_9H);
      const again = await store.sync([daily("d", { extras: { exdate: ["2026-06-02T09:00:00"] } })], [], NOW);
      expect(again).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
    });

    test("a cron task and a reminder are scheduled by their own rules", async () => {
      await store.sync(
        [
          daily("c", { rrule: null, start: "1970-01-01T00:00:00", extras: { cron: "30 8 * * 1-5" } }),
          daily("r", { extras: { before: 15 * 60_000 } }),
        ],
        [],
        NOW,
      );
      // NOW is Monday 2026-06-01 12:00 UTC: the next weekday 08:30 is Tuesday's.
      expect((await store.getTask("alpha", "c"))!.nextDue).toBe(Date.UTC(2026, 5, 2, 8, 30));
      expect((await store.getTask("alpha", "r"))!.nextDue).toBe(JUNE_2_9H - 15 * 60_000);
    });
  });
}
