// The store suite, run against every backend: SQLite through both drivers
// and PostgreSQL (a private cluster started here; skipped with a message
// where PostgreSQL is not installed, an error in CI).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { sql } from "kysely";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import { taskHash } from "../../src/store/task-hash.ts";
import { usePostgres } from "../support/postgres.ts";
import { counted, daily, DAY, DRIVERS, HOUR, NOW, oneShot, tempDir } from "./store-fixtures.ts";

const JUNE_2_9H = Date.UTC(2026, 5, 2, 9);

type Backend = "bun" | "node" | "postgres";
const BACKENDS: Backend[] = [...DRIVERS, "postgres"];
const postgres = usePostgres();
const skipPostgres = postgres.skip;

for (const backend of BACKENDS) {
  describe.skipIf(backend === "postgres" && skipPostgres)(`task store (${backend === "postgres" ? "PostgreSQL" : `SQLite, ${backend} driver`})`, () => {
    const pg = backend === "postgres";
    const driver = pg ? undefined : backend;
    let tmp: ReturnType<typeof tempDir>;
    /** A SQLite file path or a postgres:// URL (a fresh database per test). */
    let location: string;
    let store: KyselyTaskStore;
    const env = () => postgres.cluster?.env ?? {};
    const open = (opts: { historyLimit?: number; pruneEvery?: number } = {}) => openKyselyStore(location, { driver, env: env(), ...opts });
    const rawTasks = () => store.db.selectFrom("tasks").selectAll().orderBy("id").execute();
    const rawRuns = () => store.db.selectFrom("runs").selectAll().orderBy("id").execute();

    beforeEach(async () => {
      tmp = tempDir();
      location = pg ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      tmp.remove();
    });

    describe("sync", () => {
      test("adds new tasks, scheduled from now", async () => {
        const counts = await store.sync([daily("d", { order: 0 }), counted("c", { order: 1 }), oneShot("o", { order: 2 })], [], NOW);
        expect(counts).toEqual({ added: 3, changed: 0, retired: 0, unchanged: 0 });
        const d = (await store.getTask("alpha", "d"))!;
        expect(d).toMatchObject({
          bot: "alpha",
          func: "core:say",
          args: ["#chan", "hello from d"],
          kwargs: {},
          tz: "UTC",
          rrule: { freq: "daily", interval: 1 },
          catchup: "once",
          nextDue: JUNE_2_9H,
          remaining: null,
          lastRun: null,
          origin: "tasks/a.toml",
          state: "active",
          order: 0,
        });
        expect(d.hash).toBe(taskHash(daily("d")));
        expect(await store.getTask("alpha", "c")).toMatchObject({ nextDue: JUNE_2_9H, remaining: 2, state: "active" });
        expect(await store.getTask("alpha", "o")).toMatchObject({ nextDue: Date.UTC(2026, 5, 10, 8), remaining: null, rrule: null });
        expect((await store.activeTasks("alpha")).map((t) => t.name)).toEqual(["d", "c", "o"]);
        expect(await store.activeTasks("beta")).toEqual([]);
      });

      test("activeTaskHeads is activeTasks reduced to what a queue holds, in the same order", async () => {
        await store.sync([daily("d", { order: 0 }), counted("c", { order: 1 }), oneShot("o", { order: 2, func: "x:y" })], [], NOW);
        const full = await store.activeTasks("alpha");
        const heads = full.map((t) => ({ id: t.id, name: t.name, func: t.func, nextDue: t.nextDue, order: t.order }));
        const got = await store.activeTaskHeads("alpha");
        expect(got).toEqual(heads);
        expect(typeof got[0]!.nextDue).toBe("number");
        expect(await store.activeTaskHeads("beta")).toEqual([]);
      });

      test("a task whose occurrences are all past is stored as done", async () => {
        await store.sync([oneShot("past", { start: "2026-05-01T08:00:00" }), counted("over", { start: "2026-01-01T09:00:00" })], [], NOW);
        expect(await store.getTask("alpha", "past")).toMatchObject({ state: "done", nextDue: null, remaining: null });
        expect(await store.getTask("alpha", "over")).toMatchObject({ state: "done", nextDue: null, remaining: 0 });
        expect(await store.activeTasks("alpha")).toEqual([]);
      });

      test("unchanged tasks keep next due, remaining, last run and history: a reload changes nothing", async () => {
        const tasks = [daily("d"), counted("c", { order: 1 })];
        await store.sync(tasks, [], NOW);
        const c = (await store.getTask("alpha", "c"))!;
        const runId = await store.claim(c.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: 1 });
        await store.finish(runId!, "ok", JUNE_2_9H + 5);
        const tasksBefore = await rawTasks();
        const runsBefore = await rawRuns();

        const later = JUNE_2_9H + 2 * DAY; // c's June 3 occurrence is now past: a reschedule would show
        const counts = await store.sync(tasks, [], later);
        expect(counts).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 2 });
        expect(await rawTasks()).toEqual(tasksBefore);
        expect(await rawRuns()).toEqual(runsBefore);
        expect(await store.getTask("alpha", "c")).toMatchObject({ nextDue: JUNE_2_9H + DAY, remaining: 1, lastRun: JUNE_2_9H + 5 });
      });

      test("a changed definition is updated and rescheduled from now; its history stays", async () => {
        await store.sync([counted("c")], [], NOW);
        const before = (await store.getTask("alpha", "c"))!;
        await store.claim(before.id, JUNE_2_9H, JUNE_2_9H, "skipped", { nextDue: JUNE_2_9H + DAY, remaining: 1 });

        const later = NOW + 10 * DAY;
        const changed = counted("c", { start: "2026-06-10T18:00:00", args: ["#other", "moved"] });
        expect(await store.sync([changed], [], later)).toEqual({ added: 0, changed: 1, retired: 0, unchanged: 0 });
        const after = (await store.getTask("alpha", "c"))!;
        expect(after.id).toBe(before.id);
        expect(after.args).toEqual(["#other", "moved"]);
        // Occurrences June 10…14 at 18:00; at June 11 12:00 one is past.
        expect(after.nextDue).toBe(Date.UTC(2026, 5, 11, 18));
        expect(after.remaining).toBe(4);
        expect(after.hash).toBe(taskHash(changed));
        expect(after.hash).not.toBe(before.hash);
        expect((await rawTasks())[0]!.updated_at).toBe(later);
        expect((await store.history("alpha", "c", 10)).map((r) => r.outcome)).toEqual(["skipped"]);
      });

      test("a task whose declaration disappeared is retired: kept with its history, off the queue", async () => {
        await store.sync([daily("d"), daily("gone", { order: 1 })], [], NOW);
        const gone = (await store.getTask("alpha", "gone"))!;
        await store.claim(gone.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: null });

        expect(await store.sync([daily("d")], [], NOW + DAY)).toEqual({ added: 0, changed: 0, retired: 1, unchanged: 1 });
        expect(await store.getTask("alpha", "gone")).toMatchObject({ state: "retired", nextDue: JUNE_2_9H + DAY });
        expect((await store.activeTasks("alpha")).map((t) => t.name)).toEqual(["d"]);
        expect((await store.listTasks()).map((t) => t.name)).toEqual(["d"]);
        expect((await store.listTasks({ includeRetired: true })).map((t) => t.name)).toEqual(["d", "gone"]);
        expect(await store.history("alpha", "gone", 10)).toHaveLength(1);
        // A retired task is not retired again, nor claimable.
        expect(await store.sync([daily("d")], [], NOW + 2 * DAY)).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
        expect(await store.claim(gone.id, JUNE_2_9H + DAY, NOW, "started", { nextDue: null, remaining: null })).toBeNull();
      });

      test("a retired task declared again becomes active, rescheduled from now, history kept", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        await store.claim(d.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: null });
        await store.sync([], [], NOW + DAY);
        expect((await store.getTask("alpha", "d"))!.state).toBe("retired");

        const back = NOW + 30 * DAY;
        expect(await store.sync([daily("d")], [], back)).toEqual({ added: 0, changed: 1, retired: 0, unchanged: 0 });
        const again = (await store.getTask("alpha", "d"))!;
        expect(again).toMatchObject({ id: d.id, state: "active", nextDue: Date.UTC(2026, 6, 2, 9) });
        expect(await store.history("alpha", "d", 10)).toHaveLength(1);
      });

      test("runtime tasks are never touched by a sync", async () => {
        const rt = await store.addRuntimeTask(
          { bot: "alpha", name: "rt", func: "core:say", args: [], kwargs: {}, start: "2026-06-01T00:00:00", tz: "UTC", catchup: "skip", rrule: { freq: "hourly", interval: 1 } },
          NOW + HOUR,
          NOW,
        );
        expect(rt).toMatchObject({ origin: "runtime", state: "active", nextDue: NOW + HOUR, remaining: null });
        const before = await rawTasks();
        // Not declared in any file: not retired.
        expect(await store.sync([daily("d")], [], NOW)).toEqual({ added: 1, changed: 0, retired: 0, unchanged: 0 });
        // Declared in a file under the same name: the runtime one stays as it is.
        const clash = daily("rt", { func: "other:thing" });
        expect(await store.sync([daily("d"), clash], [], NOW + DAY)).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
        expect((await rawTasks()).find((r) => r.name === "rt")).toEqual(before.find((r) => r.name === "rt"));
      });

      test("a broken file's previous declarations stay exactly as they were while other files sync", async () => {
        const a1 = daily("a1", { origin: "tasks/a.toml", order: 0 });
        const a2 = counted("a2", { origin: "tasks/a.toml", order: 1 });
        const b1 = daily("b1", { origin: "tasks/b.toml", order: 2 });
        const b2 = daily("b2", { origin: "tasks/b.toml", order: 3 });
        await store.sync([a1, a2, b1, b2], [], NOW);
        const rowsOfA = (await rawTasks()).filter((r) => r.origin === "tasks/a.toml");

        // a.toml fails to parse: none of its tasks are given. b.toml drops b2, changes b1, adds b3.
        const b1x = daily("b1", { origin: "tasks/b.toml", order: 0, args: ["#chan", "changed"] });
        const b3 = daily("b3", { origin: "tasks/b.toml", order: 1 });
        const counts = await store.sync([b1x, b3], ["tasks/a.toml"], NOW + DAY);
        expect(counts).toEqual({ added: 1, changed: 1, retired: 1, unchanged: 0 });
        expect((await rawTasks()).filter((r) => r.origin === "tasks/a.toml")).toEqual(rowsOfA);
        expect((await store.getTask("alpha", "b2"))!.state).toBe("retired");

        // Once a.toml parses again without a2, a2 retires.
        expect(await store.sync([a1, b1x, b3], [], NOW + DAY)).toEqual({ added: 0, changed: 0, retired: 1, unchanged: 3 });
        expect((await store.getTask("alpha", "a2"))!.state).toBe("retired");
      });

      test("a task moved to another file is a change, not retire plus add; its schedule carries on", async () => {
        await store.sync([counted("c", { origin: "tasks/a.toml" })], [], NOW);
        const before = (await store.getTask("alpha", "c"))!;
        await store.claim(before.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: 1 });

        const counts = await store.sync([counted("c", { origin: "tasks/b.toml", order: 4 })], [], NOW + 5 * DAY);
        expect(counts).toEqual({ added: 0, changed: 1, retired: 0, unchanged: 0 });
        expect(await store.getTask("alpha", "c")).toMatchObject({ id: before.id, origin: "tasks/b.toml", order: 4, nextDue: JUNE_2_9H + DAY, remaining: 1, state: "active" });
        expect(await store.history("alpha", "c", 10)).toHaveLength(1);
      });

      test("a task moved out of a file that is now broken is still moved, not kept twice", async () => {
        await store.sync([daily("d", { origin: "tasks/a.toml" })], [], NOW);
        const counts = await store.sync([daily("d", { origin: "tasks/b.toml" })], ["tasks/a.toml"], NOW);
        expect(counts).toEqual({ added: 0, changed: 1, retired: 0, unchanged: 0 });
        expect((await store.getTask("alpha", "d"))!.origin).toBe("tasks/b.toml");
      });

      test("declaration order is refreshed without counting as a change", async () => {
        await store.sync([daily("x", { order: 0 }), daily("y", { order: 1 })], [], NOW);
        const counts = await store.sync([daily("y", { order: 0 }), daily("x", { order: 1 })], [], NOW + 1);
        expect(counts).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 2 });
        expect((await store.activeTasks("alpha")).map((t) => t.name)).toEqual(["y", "x"]);
      });

      test("the same name on two bots is two tasks; only the bot that lost it retires it", async () => {
        await store.sync([daily("d", { bot: "alpha" }), daily("d", { bot: "beta" })], [], NOW);
        expect(await store.sync([daily("d", { bot: "beta" })], [], NOW)).toEqual({ added: 0, changed: 0, retired: 1, unchanged: 1 });
        expect((await store.getTask("alpha", "d"))!.state).toBe("retired");
        expect((await store.getTask("beta", "d"))!.state).toBe("active");
      });

      test("a failing sync leaves the store as it was (one transaction)", async () => {
        await store.sync([daily("d")], [], NOW);
        const before = await rawTasks();
        const bad = daily("bad", { tz: "Not/AZone" });
        await expect(store.sync([daily("n1"), bad], [], NOW + DAY)).rejects.toThrow();
        expect(await rawTasks()).toEqual(before);
      });
    });

    describe("claims", () => {
      test("the same occurrence is claimed once: the second claim returns null", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        const advance = { nextDue: JUNE_2_9H + DAY, remaining: null };
        const first = await store.claim(d.id, JUNE_2_9H, JUNE_2_9H + 10, "started", advance);
        expect(first).toBeNumber();
        expect(await store.claim(d.id, JUNE_2_9H, JUNE_2_9H + 20, "started", advance)).toBeNull();
        expect(await rawRuns()).toEqual([
          { id: first!, task_id: d.id, due: JUNE_2_9H, fired: JUNE_2_9H + 10, finished: null, outcome: "started", error: null },
        ]);
        expect((await store.getTask("alpha", "d"))!.nextDue).toBe(JUNE_2_9H + DAY);
      });

      test("a one-shot task is done once claimed", async () => {
        await store.sync([oneShot("o")], [], NOW);
        const o = (await store.getTask("alpha", "o"))!;
        const runId = await store.claim(o.id, o.nextDue!, o.nextDue!, "started", { nextDue: null, remaining: null });
        expect(runId).toBeNumber();
        expect(await store.getTask("alpha", "o")).toMatchObject({ state: "done", nextDue: null });
        expect(await store.activeTasks("alpha")).toEqual([]);
        await store.finish(runId!, "ok", o.nextDue! + 50);
        expect((await store.getTask("alpha", "o"))!.lastRun).toBe(o.nextDue! + 50);
        // A done task stays done across a reload.
        expect(await store.sync([oneShot("o")], [], NOW + 30 * DAY)).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
        expect((await store.getTask("alpha", "o"))!.state).toBe("done");
      });

      test("a counted task counts down and is done at zero", async () => {
        await store.sync([counted("c")], [], NOW);
        let c = (await store.getTask("alpha", "c"))!;
        expect(c.remaining).toBe(2);
        expect(await store.claim(c.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: 1 })).toBeNumber();
        c = (await store.getTask("alpha", "c"))!;
        expect(c).toMatchObject({ remaining: 1, state: "active" });
        expect(await store.claim(c.id, JUNE_2_9H + DAY, JUNE_2_9H + DAY, "started", { nextDue: null, remaining: 0 })).toBeNumber();
        expect(await store.getTask("alpha", "c")).toMatchObject({ remaining: 0, state: "done", nextDue: null });
      });

      test("a stale due is refused", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        expect(await store.claim(d.id, JUNE_2_9H - DAY, NOW, "started", { nextDue: JUNE_2_9H, remaining: null })).toBeNull();
        expect(await rawRuns()).toEqual([]);
      });

      test("finish records the outcome and error, and the task's last run", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        const runId = (await store.claim(d.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: null }))!;
        await store.finish(runId, "error", JUNE_2_9H + 7, "boom");
        expect(await store.history("alpha", "d", 5)).toEqual([
          { id: runId, taskId: d.id, due: JUNE_2_9H, fired: JUNE_2_9H, finished: JUNE_2_9H + 7, outcome: "error", error: "boom" },
        ]);
        expect((await store.getTask("alpha", "d"))!.lastRun).toBe(JUNE_2_9H + 7);
      });

      test("markInterrupted turns one bot's leftover started runs into interrupted", async () => {
        await store.sync([daily("d", { bot: "alpha" }), daily("e", { bot: "alpha" }), daily("d", { bot: "beta" })], [], NOW);
        const ids = await Promise.all([["alpha", "d"], ["alpha", "e"], ["beta", "d"]].map(async ([b, n]) => (await store.getTask(b!, n!))!.id));
        const runs: number[] = [];
        for (const id of ids) runs.push((await store.claim(id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: null }))!);
        await store.finish(runs[1]!, "ok", JUNE_2_9H + 1);

        expect(await store.markInterrupted("alpha", JUNE_2_9H + 100)).toBe(1);
        expect(await store.markInterrupted("alpha", JUNE_2_9H + 200)).toBe(0);
        expect((await store.history("alpha", "d", 1))[0]).toMatchObject({ outcome: "interrupted", finished: JUNE_2_9H + 100 });
        expect((await store.history("alpha", "e", 1))[0]).toMatchObject({ outcome: "ok" });
        expect((await store.history("beta", "d", 1))[0]).toMatchObject({ outcome: "started", finished: null });
      });

      test("history is newest first and limited", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        for (let i = 0; i < 5; i++) {
          const due = JUNE_2_9H + i * DAY;
          await store.claim(d.id, due, due, "started", { nextDue: due + DAY, remaining: null });
        }
        expect((await store.history("alpha", "d", 3)).map((r) => r.due)).toEqual([4, 3, 2].map((i) => JUNE_2_9H + i * DAY));
        expect(await store.history("alpha", "nope", 3)).toEqual([]);
      });
    });

    describe("runtime tasks", () => {
      test("are stored with origin runtime, survive a reopen, and may be replaced by another runtime add", async () => {
        const def = { bot: "alpha", name: "rt", func: "core:say", args: [1], kwargs: { a: 1 }, start: "2026-06-01T00:00:00", tz: "UTC", catchup: "all" as const, rrule: { freq: "hourly" as const, interval: 1, count: 24 } };
        const t = await store.addRuntimeTask(def, Date.UTC(2026, 5, 1, 13), NOW);
        // Occurrences 00:00 … 23:00; 13 are before 13:00.
        expect(t).toMatchObject({ origin: "runtime", remaining: 11, state: "active", args: [1], kwargs: { a: 1 } });
        await store.close();
        store = await open();
        expect(await store.getTask("alpha", "rt")).toEqual(t);
        const replaced = await store.addRuntimeTask({ ...def, args: [2] }, null, NOW);
        expect(replaced).toMatchObject({ id: t.id, args: [2], state: "done", nextDue: null, remaining: 0 });
      });

      test("may not take the name of a task declared in a file", async () => {
        await store.sync([daily("d")], [], NOW);
        const { origin: _o, order: _r, ...def } = daily("d");
        await expect(store.addRuntimeTask(def, NOW + HOUR, NOW)).rejects.toThrow(/declared in tasks\/a\.toml/);
      });
    });

    describe("history retention", () => {
      test("keeps the newest historyLimit runs of a task, pruned every pruneEvery-th run", async () => {
        await store.close();
        store = await open({ historyLimit: 3, pruneEvery: 4 });
        await store.sync([daily("d"), daily("e", { order: 1 })], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        const e = (await store.getTask("alpha", "e"))!;
        const dues: number[] = [];
        for (let i = 0; i < 10; i++) {
          const due = JUNE_2_9H + i * DAY;
          dues.push(due);
          await store.claim(d.id, due, due, "started", { nextDue: due + DAY, remaining: null });
        }
        await store.claim(e.id, JUNE_2_9H, JUNE_2_9H, "skipped", { nextDue: JUNE_2_9H + DAY, remaining: null });
        // Pruned at d's 1st, 5th and 9th runs: 3 kept at the 9th, then the 10th added.
        const runsOfD = (await rawRuns()).filter((r) => r.task_id === d.id).map((r) => r.due);
        expect(runsOfD).toEqual(dues.slice(6));
        expect((await store.history("alpha", "e", 10)).length).toBe(1);
      });

      // 1100 runs written in one batch, then five claims: cheap on every
      // backend (1105 claims took seconds on a loaded PostgreSQL). The first
      // claim this process records prunes, as the 1st, 101st, ... do.
      test("the default bound is 1000 runs per task", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        const earlier = Array.from({ length: 1100 }, (_, i) => {
          const due = JUNE_2_9H - (1100 - i) * HOUR;
          return { task_id: d.id, due, fired: null, finished: due, outcome: "skipped" as const, error: "skipped" };
        });
        await store.db.insertInto("runs").values(earlier).execute();
        const dues: number[] = [];
        for (let i = 0; i < 5; i++) {
          const due = JUNE_2_9H + i * HOUR;
          dues.push(due);
          expect(await store.claim(d.id, due, due, "skipped", { nextDue: due + HOUR, remaining: null })).not.toBeNull();
        }
        // Pruned at the first claim (1101 rows): 1000 kept, then 4 more.
        const count = await store.db.selectFrom("runs").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(1004);
        const kept = (await rawRuns()).map((r) => r.due).sort((a, b) => a - b);
        expect(kept[0]).toBe(JUNE_2_9H - 999 * HOUR);
        expect(kept.slice(-5)).toEqual(dues);
      }, 30_000);
    });

    describe("the database file", () => {
      test("migrations are applied once; reopening keeps the data", async () => {
        await store.sync([daily("d")], [], NOW);
        await store.close();
        store = await open();
        await store.close();
        store = await open();
        const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
        expect(applied.rows.map((r) => r.name)).toEqual(["0001-tasks-and-runs", "0002-fleet", "0003-chat-scheduling", "0004-schedule-extras", "0005-chat-quota-key", "0006-chat-every-prefix"]);
        expect((await store.getTask("alpha", "d"))!.nextDue).toBe(JUNE_2_9H);
      });

      test.skipIf(pg)("is in WAL mode with foreign keys on, and passes an integrity check", async () => {
        await store.sync([daily("d"), counted("c", { order: 1 })], [], NOW);
        const c = (await store.getTask("alpha", "c"))!;
        await store.claim(c.id, JUNE_2_9H, JUNE_2_9H, "started", { nextDue: JUNE_2_9H + DAY, remaining: 1 });
        const pragma = async (q: string) => Object.values((await sql.raw<Record<string, unknown>>(q).execute(store.db)).rows[0]!)[0];
        expect(await pragma("pragma journal_mode")).toBe("wal");
        expect(await pragma("pragma foreign_keys")).toBe(1);
        expect(await pragma("pragma busy_timeout")).toBe(5000);
        expect(await pragma("pragma synchronous")).toBe(1); // NORMAL
        expect(await pragma("pragma integrity_check")).toBe("ok");
        await expect(
          store.db.insertInto("runs").values({ task_id: 9999, due: 1, fired: null, finished: null, outcome: "ok", error: null }).execute(),
        ).rejects.toThrow();
      });

      test("two processes claiming one task's occurrences never both win the same one", async () => {
        await store.sync([daily("d", { start: "2026-06-02T09:00:00", rrule: { freq: "secondly", interval: 1 } })], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        const first = d.nextDue!;
        const attempts = 300;
        const startAt = Date.now() + 1500; // every worker opens the store first, then all start together
        const worker = path.join(import.meta.dir, "claim-worker.ts");
        const results = await Promise.all(
          [0, 1, 2].map(
            () =>
              new Promise<number[]>((resolve, reject) => {
                const child = spawn(process.execPath, [worker, location, driver ?? "-", String(d.id), String(attempts), String(startAt)], {
                  stdio: ["ignore", "pipe", "pipe"],
                  env: { ...process.env, ...env() },
                });
                children.add(child.pid!);
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (b) => (stdout += b));
                child.stderr.on("data", (b) => (stderr += b));
                child.on("exit", (code) => {
                  children.delete(child.pid!);
                  if (code === 0) resolve(JSON.parse(stdout) as number[]);
                  else reject(new Error(`worker exited ${code}: ${stderr}`));
                });
              }),
          ),
        );
        const won = results.flat();
        expect(new Set(won).size).toBe(won.length);
        // Each attempt wins or loses; every occurrence won is one run and the task advanced past all of them.
        expect(won.length).toBeGreaterThan(0);
        // The workers really raced: more than one of them won occurrences.
        expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
        const runs = await rawRuns();
        expect(runs.map((r) => r.due).sort((a, b) => a - b)).toEqual([...won].sort((a, b) => a - b));
        expect((await store.getTask("alpha", "d"))!.nextDue).toBe(first + won.length * 1000);
        if (!pg) {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
          expect(check.rows[0]!.integrity_check).toBe("ok");
        }
      }, 60_000);

      test("a sync that changed something bumps the store version; one that changed nothing does not", async () => {
        expect(await store.version()).toBe(0);
        await store.sync([daily("d")], [], NOW);
        expect(await store.version()).toBe(1);
        await store.sync([daily("d")], [], NOW);
        expect(await store.version()).toBe(1);
        await store.sync([daily("d", { args: ["#chan", "changed"] })], [], NOW);
        await store.sync([], [], NOW);
        expect(await store.version()).toBe(3);
      });

      // The PostgreSQL tests below get 30 s: their timeouts guard against a
      // hang, not a slow machine (speed is measured in `bun run bench`).
      // In one process SQLite's synchronous drivers cannot interleave two write
      // transactions (the busy wait blocks the thread); across processes the
      // claim race above covers SQLite.
      test.skipIf(!pg)("two handles syncing the same new tasks at once: both succeed, each task stored once", async () => {
        const other = await open();
        try {
          const tasks = Array.from({ length: 50 }, (_, i) => daily(`t${i}`, { order: i }));
          const [a, b] = await Promise.all([store.sync(tasks, [], NOW), other.sync(tasks, [], NOW)]);
          expect([a.added, b.added].sort()).toEqual([0, 50]);
          expect(a.unchanged + b.unchanged).toBe(50);
          expect(await rawTasks()).toHaveLength(50);
        } finally {
          await other.close();
        }
      }, 30_000);

      test.skipIf(!pg)("several connections opening a new store at once apply each migration once", async () => {
        const fresh = pg ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "fresh.db");
        const handles = await Promise.all([0, 1, 2, 3].map(() => openKyselyStore(fresh, { driver, env: env() })));
        try {
          const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handles[0]!.db);
          expect(applied.rows.map((r) => r.name)).toEqual(["0001-tasks-and-runs", "0002-fleet", "0003-chat-scheduling", "0004-schedule-extras", "0005-chat-quota-key", "0006-chat-every-prefix"]);
        } finally {
          for (const h of handles) await h.close();
        }
      }, 30_000);

      test.skipIf(!pg)("PostgreSQL: epoch ms and ids come back as numbers, foreign keys hold, no password in the URL", async () => {
        await store.sync([daily("d")], [], NOW);
        const d = (await store.getTask("alpha", "d"))!;
        expect(typeof d.id).toBe("number");
        expect(typeof d.nextDue).toBe("number");
        const row = (await rawTasks())[0]!;
        expect(typeof row.created_at).toBe("number");
        expect(await store.dialect.now(store.db)).toBeGreaterThan(Date.UTC(2025, 0, 1));
        await expect(
          store.db.insertInto("runs").values({ task_id: 9999, due: 1, fired: null, finished: null, outcome: "ok", error: null }).execute(),
        ).rejects.toThrow();
        const withPassword = location.replace("seshet@", "seshet:secret@");
        await expect(openKyselyStore(withPassword, { env: env() })).rejects.toThrow(/SESHET_DB_PASSWORD/);
        await expect(openKyselyStore(location, { env: {} })).rejects.toThrow();
      });
    });
  });
}

const children = new Set<number>();
afterAll(() => {
  for (const pid of children) {
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }
  children.clear();
});
