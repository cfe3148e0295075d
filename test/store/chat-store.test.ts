// The chat part of the store (migration 0003) on every backend: SQLite through
// both drivers and PostgreSQL (skipped with a message where it is not installed).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as path from "node:path";
import { sql } from "kysely";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";
import type { ChatTask, NewChatTask } from "../../src/store/chat-store-types.ts";
import { usePostgres } from "../support/postgres.ts";
import { daily, DRIVERS, HOUR, NOW, tempDir } from "./store-fixtures.ts";

type Backend = "bun" | "node" | "postgres";
const postgres = usePostgres();

const reminder = (owner: string, text: string, over: Partial<NewChatTask> = {}): NewChatTask => ({
  bot: "alpha",
  func: "core:remind",
  args: ["#chan", owner.split(":")[1]!, text],
  kwargs: {},
  start: "2026-06-01T13:00:00",
  tz: "UTC",
  rrule: null,
  catchup: "once",
  owner,
  ownerNick: owner.split(":")[1]!,
  ...over,
});

for (const backend of [...DRIVERS, "postgres"] as Backend[]) {
  describe.skipIf(backend === "postgres" && postgres.skip)(`chat store (${backend})`, () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: KyselyTaskStore;
    let location: string;
    const open = () => openKyselyStore(location, { driver: backend === "postgres" ? undefined : backend, env: postgres.cluster?.env ?? {} });

    beforeEach(async () => {
      tmp = tempDir();
      location = backend === "postgres" ? await postgres.cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      tmp.remove();
    });

    const add = async (t: NewChatTask, due = NOW + HOUR, max: number | null = null): Promise<ChatTask> => {
      const r = await store.chat.add(t, due, NOW, max);
      if ("refused" in r) throw new Error(`refused at ${r.refused}`);
      return r;
    };

    test("a task made from IRC is named by its id, owned, and runs like any runtime task", async () => {
      const t = await add(reminder("nick:alice", "tea"));
      expect(t).toMatchObject({ name: `chat-${t.id}`, origin: "runtime", owner: "nick:alice", ownerNick: "alice", paused: false, state: "active", nextDue: NOW + HOUR });
      expect((await store.activeTasks("alpha")).map((x) => x.name)).toEqual([t.name]);
      expect(await store.chat.find("alpha", `#${t.id}`)).toMatchObject({ id: t.id });
      expect(await store.chat.find("alpha", t.name)).toMatchObject({ id: t.id });
      expect(await store.chat.find("beta", `#${t.id}`)).toBeUndefined();
    });

    test("migration 0006: an !every task made before it says [#ID] TEXT (core:every); other tasks are left alone", async () => {
      const every = await add(reminder("account:al", "!op mallory", { func: "core:say", args: ["#chan", "!op mallory"], rrule: { freq: "daily", interval: 1 } }));
      const remind = await add(reminder("nick:alice", "tea"));
      const { origin: _o, order: _r, ...plugin } = daily("from-plugin");
      await store.addRuntimeTask(plugin, NOW + HOUR, NOW);
      await store.sync([daily("d")], [], NOW);
      // As a store made before 0006: the migration not yet applied.
      await sql`delete from kysely_migration where name = ${"0006-chat-every-prefix"}`.execute(store.db);
      await store.close();
      store = await open();
      expect(await store.chat.find("alpha", `#${every.id}`)).toMatchObject({ func: "core:every", args: ["#chan", "!op mallory"], nextDue: every.nextDue, state: "active" });
      expect(await store.chat.find("alpha", `#${remind.id}`)).toMatchObject({ func: "core:remind" });
      expect(await store.getTask("alpha", "from-plugin")).toMatchObject({ func: "core:say" });
      expect(await store.getTask("alpha", "d")).toMatchObject({ func: "core:say" });
    });

    test("the per-owner quota is checked in the adding transaction", async () => {
      const results = await Promise.all([0, 1, 2, 3, 4].map((i) => store.chat.add(reminder("account:bob", `t${i}`), NOW + HOUR, NOW, 3)));
      expect(results.filter((r) => !("refused" in r)).length).toBe(3);
      expect(results.filter((r) => "refused" in r)).toEqual([{ refused: 3 }, { refused: 3 }]);
      expect((await store.chat.owned("alpha", "account:bob", 10, 0)).total).toBe(3);
      // Another owner is not affected; a cancelled task frees its place.
      await add(reminder("account:carol", "x"), NOW + HOUR, 3);
      const first = (await store.chat.owned("alpha", "account:bob", 1, 0)).tasks[0]!;
      expect(await store.chat.cancel(first.id, NOW)).toBe(true);
      expect("refused" in (await store.chat.add(reminder("account:bob", "again"), NOW + HOUR, NOW, 3))).toBe(false);
    });

    test("an unidentified user's quota follows the host: a new nick brings no new quota", async () => {
      const from = (nick: string, host: string) => reminder(`nick:${nick}`, "x", { quotaKey: `host:${host}` });
      expect("refused" in (await store.chat.add(from("m1", "evil.example"), NOW + HOUR, NOW, 2))).toBe(false);
      expect("refused" in (await store.chat.add(from("m2", "evil.example"), NOW + HOUR, NOW, 2))).toBe(false);
      expect(await store.chat.add(from("m3", "evil.example"), NOW + HOUR, NOW, 2)).toEqual({ refused: 2 });
      // Racing nicks from one host cannot both pass either.
      await store.chat.cancel((await store.chat.owned("alpha", "nick:m1", 1, 0)).tasks[0]!.id, NOW);
      const raced = await Promise.all(["m4", "m5", "m6"].map((n) => store.chat.add(from(n, "evil.example"), NOW + HOUR, NOW, 2)));
      expect(raced.filter((r) => !("refused" in r)).length).toBe(1);
      // Another host is not affected; the owner's own tasks still count wherever they were made.
      expect("refused" in (await store.chat.add(from("m1", "other.example"), NOW + HOUR, NOW, 2))).toBe(false);
      expect("refused" in (await store.chat.add(from("m2", "other.example"), NOW + HOUR, NOW, 2))).toBe(true);
    });

    test("pages come soonest first with the total; paused tasks are listed but not queued or claimed", async () => {
      for (let i = 0; i < 7; i++) await add(reminder("nick:alice", `t${i}`), NOW + (7 - i) * HOUR);
      const page1 = await store.chat.owned("alpha", "nick:alice", 5, 0);
      expect(page1.total).toBe(7);
      expect(page1.tasks.map((t) => t.args[2])).toEqual(["t6", "t5", "t4", "t3", "t2"]);
      expect((await store.chat.owned("alpha", "nick:alice", 5, 5)).tasks.map((t) => t.args[2])).toEqual(["t1", "t0"]);
      const t = page1.tasks[0]!;
      expect(await store.chat.setPaused(t.id, true, t.nextDue, NOW)).toBe(true);
      expect((await store.activeTasks("alpha")).some((x) => x.id === t.id)).toBe(false);
      expect(await store.claim(t.id, t.nextDue!, NOW, "started", { nextDue: null, remaining: null })).toBeNull();
      expect((await store.chat.active("alpha", 10, 0)).tasks.find((x) => x.id === t.id)?.paused).toBe(true);
      expect(await store.chat.setPaused(t.id, false, t.nextDue, NOW)).toBe(true);
      expect(await store.claim(t.id, t.nextDue!, NOW, "started", { nextDue: null, remaining: null })).not.toBeNull();
    });

    test("a paused file task stays paused through a sync that changes it", async () => {
      await store.sync([daily("standup")], [], NOW);
      const file = (await store.chat.find("alpha", "standup"))!;
      await store.chat.setPaused(file.id, true, file.nextDue, NOW);
      await store.sync([daily("standup", { args: ["#chan", "changed"] })], [], NOW);
      const after = (await store.chat.find("alpha", "standup"))!;
      expect(after.args).toEqual(["#chan", "changed"]);
      expect(after.paused).toBe(true);
      expect(await store.activeTasks("alpha")).toEqual([]);
      // Runtime tasks are not touched by sync, and cancelling a file task is not possible.
      expect(await store.chat.cancel(file.id, NOW)).toBe(false);
    });

    test("last fired task of an owner, extra runs, users' zones", async () => {
      const a = await add(reminder("nick:alice", "first"));
      const b = await add(reminder("nick:alice", "second"));
      expect(await store.chat.lastFired("alpha", "nick:alice")).toBeUndefined();
      await store.chat.recordRun(b.id, NOW + 1000, "ok");
      await store.chat.recordRun(a.id, NOW + 2000, "error", "boom");
      expect((await store.chat.lastFired("alpha", "nick:alice"))).toMatchObject({ fired: NOW + 2000, task: { id: a.id } });
      expect((await store.history("alpha", a.name, 5))[0]).toMatchObject({ outcome: "error", error: "boom" });
      expect((await store.chat.find("alpha", `#${b.id}`))!.nextDue).toBe(NOW + HOUR);
      expect(await store.chat.zone("alpha", "nick:alice")).toBeUndefined();
      await store.chat.setZone("alpha", "nick:alice", "Europe/Berlin", NOW);
      await store.chat.setZone("alpha", "nick:alice", "Asia/Tokyo", NOW + 1);
      expect(await store.chat.zone("alpha", "nick:alice")).toBe("Asia/Tokyo");
      expect(await store.chat.zone("beta", "nick:alice")).toBeUndefined();
      expect((await store.chat.runtime("alpha")).map((t) => t.id)).toEqual([a.id, b.id]);
    });
  });
}
