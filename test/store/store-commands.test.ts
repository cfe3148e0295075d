// `seshet sync`, `seshet tasks` and `seshet history` through their run*
// functions, on real files in a temp project, and syncFiles beneath them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runHistory } from "../../src/cli/history-command.ts";
import { runSync } from "../../src/cli/sync-command.ts";
import { runTasks } from "../../src/cli/tasks-command.ts";
import { openStore } from "../../src/store/open-store.ts";
import { syncFiles } from "../../src/sync/sync-files.ts";
import { skipPostgresReason, startPostgres, type PostgresCluster } from "../support/postgres.ts";
import { DRIVERS, tempDir } from "./store-fixtures.ts";

const BOT = (nick: string) => `nick = "${nick}"\nchannels = ["#t"]\ntz = "Europe/Berlin"\n[server]\nhost = "127.0.0.1"\nport = 6667\ntls = false\n`;

const STANDUP = `[[task]]
name = "standup"
func = "core:say"
args = ["#t", "stand-up"]
start = 2026-01-05T09:00:00
rrule = { freq = "weekly", byweekday = ["MO", "TU", "WE", "TH", "FR"] }

[[task]]
name = "once"
bot = "alpha"
func = "core:say"
args = ["#t", "hi"]
start = 2099-01-01T00:00:00
tz = "UTC"
`;

const NIGHTLY = `[[task]]
name = "nightly"
func = "core:say"
args = ["#t", "night"]
start = 2026-01-01T23:00:00
tz = "UTC"
rrule = { freq = "daily", count = 1000 }
`;

const skipPostgres = skipPostgresReason() !== null;
let cluster: PostgresCluster | undefined;
beforeAll(async () => {
  if (skipPostgres) return;
  cluster = await startPostgres();
  // The commands read the password where a user's shell would have it.
  process.env.SESHET_DB_PASSWORD = cluster.password;
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
}, 30_000);

for (const backend of ["sqlite", "postgres"] as const) {
  describe.skipIf(backend === "postgres" && skipPostgres)(`store commands (${backend})`, () => {
    const pg = backend === "postgres";
    let tmp: ReturnType<typeof tempDir>;
    let bots: string;
    let tasks: string;
    let db: string;
    let lines: string[];
    const out = (line: string) => lines.push(line);
    const write = (file: string, text: string) => writeFileSync(path.join(tmp.dir, file), text);

    beforeEach(async () => {
      tmp = tempDir("seshet-cmd-");
      bots = path.join(tmp.dir, "bots");
      tasks = path.join(tmp.dir, "tasks");
      db = pg ? await cluster!.createDatabase() : path.join(tmp.dir, "seshet.db");
      mkdirSync(bots);
      mkdirSync(tasks);
      write("bots/alpha.toml", BOT("alpha"));
      write("bots/beta.toml", BOT("beta"));
      write("tasks/a-standup.toml", STANDUP);
      write("tasks/b-nightly.toml", NIGHTLY);
      lines = [];
    });
    afterEach(() => tmp.remove());

    test("sync prints the counts, and a second sync changes nothing", async () => {
      expect(await runSync({ bots, tasks, db }, out, {})).toBe(0);
      // standup and nightly on both bots, once on alpha only.
      expect(lines).toEqual(["added 5, changed 0, retired 0, unchanged 0, errors 0"]);
      lines = [];
      expect(await runSync({ bots, tasks, db }, out, {})).toBe(0);
      expect(lines).toEqual(["added 0, changed 0, retired 0, unchanged 5, errors 0"]);
    });

    test("sync reports a broken file as FILE:LINE:COL, exits 1, and leaves that file's tasks alone", async () => {
      await runSync({ bots, tasks, db }, out, {});
      write("tasks/a-standup.toml", STANDUP.replace('func = "core:say"', 'func = "core:say"\nfunc = "again"'));
      write("tasks/b-nightly.toml", NIGHTLY.replace('"night"', '"good night"'));
      lines = [];
      expect(await runSync({ bots, tasks, db }, out, {})).toBe(1);
      // Tasks of the broken file are neither counted nor touched.
      expect(lines[0]).toBe("added 0, changed 2, retired 0, unchanged 0, errors 1");
      expect(lines[1]).toMatch(/a-standup\.toml:\d+:\d+: .+/);
      expect(lines).toHaveLength(2);

      lines = [];
      expect(await runSync({ bots, tasks, db, json: true }, out, {})).toBe(1);
      const report = JSON.parse(lines[0]!);
      expect(report).toMatchObject({ added: 0, changed: 0, retired: 0, unchanged: 2 });
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toEqual({ file: expect.stringContaining("a-standup.toml"), line: expect.any(Number), col: expect.any(Number), message: expect.any(String) });
    });

    test("a broken bot file does not retire that bot's tasks", async () => {
      await runSync({ bots, tasks, db }, out, {});
      write("bots/beta.toml", "nick = \n");
      lines = [];
      expect(await runSync({ bots, tasks, db }, out, {})).toBe(1);
      expect(lines[0]).toMatch(/^added 0, changed 0, retired 0, unchanged 5, errors [1-9]/);
      // Deleting the bot file on purpose does retire them.
      const { rmSync } = await import("node:fs");
      rmSync(path.join(bots, "beta.toml"));
      lines = [];
      expect(await runSync({ bots, tasks, db }, out, {})).toBe(0);
      expect(lines).toEqual(["added 0, changed 0, retired 2, unchanged 3, errors 0"]);
    });

    test("removing a task file retires its tasks; origins do not depend on how the folder is named", async () => {
      await runSync({ bots, tasks, db }, out, {});
      lines = [];
      // The same folder through a different path is the same origin.
      const relativeTasks = path.relative(process.cwd(), tasks);
      expect(await runSync({ bots, tasks: relativeTasks + "/", db }, out, {})).toBe(0);
      expect(lines).toEqual(["added 0, changed 0, retired 0, unchanged 5, errors 0"]);
      const { rmSync } = await import("node:fs");
      rmSync(path.join(tasks, "b-nightly.toml"));
      lines = [];
      await runSync({ bots, tasks, db }, out, {});
      expect(lines).toEqual(["added 0, changed 0, retired 2, unchanged 3, errors 0"]);
    });

    for (const driver of pg ? [undefined] : DRIVERS) {
      test(`syncFiles reports a file task clashing with a runtime task (${driver ?? "pg"} driver)`, async () => {
        const store = await openStore(db, { driver });
        try {
          await store.addRuntimeTask(
            { bot: "alpha", name: "nightly", func: "mod:fn", args: [], kwargs: {}, start: "2026-01-01T00:00:00", tz: "UTC", catchup: "skip", rrule: null },
            null,
            Date.now(),
          );
          const report = await syncFiles(store, { botsDir: bots, tasksDir: tasks, env: {}, now: Date.now() });
          expect(report).toMatchObject({ added: 4, changed: 0, retired: 0, unchanged: 0 });
          expect(report.errors).toHaveLength(1);
          expect(report.errors[0]!.file).toContain("b-nightly.toml");
          expect(report.errors[0]!.line).toBe(1);
          expect(report.errors[0]!.message).toContain("created at run time");
          expect((await store.getTask("alpha", "nightly"))!.func).toBe("mod:fn");
          expect((await store.getTask("beta", "nightly"))!.origin).toBe("tasks/b-nightly.toml");
        } finally {
          await store.close();
        }
      });
    }

    test("tasks lists the stored tasks as an aligned table and as JSON", async () => {
      await runSync({ bots, tasks, db }, out, {});
      lines = [];
      expect(await runTasks({ db, bot: "alpha" }, out)).toBe(0);
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^NAME\s+BOT\s+FUNC\s+ORIGIN\s+OWNER\s+WHERE\s+STATE\s+LEFT\s+NEXT DUE\s+LAST RUN\s+SCHEDULE$/);
      const col = lines[0]!.indexOf("NEXT DUE");
      const standup = lines.find((l) => l.startsWith("standup"))!;
      expect(standup).toMatch(/^standup\s+alpha\s+core:say\s+tasks\/a-standup\.toml\s+-\s+-\s+active\s+-\s+\d{4}-\d\d-\d\dT09:00:00\+0[12]:00\s+-\s+every weekday at 09:00 \(Europe\/Berlin\)$/);
      expect(standup.slice(col)).toMatch(/^\d{4}-/);
      expect(lines.find((l) => l.startsWith("once"))).toContain("2099-01-01T00:00:00+00:00");
      expect(lines.find((l) => l.startsWith("once"))).toMatch(/once, at Thu 1 Jan 2099 00:00 \(UTC\)$/);
      expect(lines.find((l) => l.startsWith("nightly"))).toMatch(/active\s+\d+\s+.*every day at 23:00 \(UTC\), 1000 times$/);

      lines = [];
      expect(await runTasks({ db, json: true }, out)).toBe(0);
      const listed = JSON.parse(lines[0]!) as { name: string; bot: string; state: string; nextDue: string; tz: string }[];
      expect(listed.map((t) => `${t.bot}/${t.name}`)).toEqual(["alpha/standup", "alpha/once", "alpha/nightly", "beta/standup", "beta/nightly"]);
      expect(listed[0]).toMatchObject({ func: "core:say", origin: "tasks/a-standup.toml", state: "active", remaining: null, tz: "Europe/Berlin", lastRun: null, schedule: "every weekday at 09:00 (Europe/Berlin)" });
    });

    test.skipIf(pg)("tasks and history refuse a missing store without creating one", async () => {
      const missing = path.join(tmp.dir, "nope.db");
      expect(await runTasks({ db: missing }, out)).toBe(1);
      expect(await runHistory({ task: "x", db: missing }, out)).toBe(1);
      expect(existsSync(missing)).toBe(false);
      expect(lines[0]).toContain("no store at");
    });

    test("history shows a task's runs newest first, and asks for --bot when the name is ambiguous", async () => {
      await runSync({ bots, tasks, db }, out, {});
      const store = await openStore(db);
      const t = (await store.getTask("alpha", "nightly"))!;
      let due = t.nextDue!;
      for (let i = 0; i < 3; i++) {
        const next = due + 86_400_000;
        const runId = (await store.claim(t.id, due, due + 1000, "started", { nextDue: next, remaining: t.remaining! - i - 1 }))!;
        await store.finish(runId, i === 1 ? "error" : "ok", due + 2000, i === 1 ? "channel gone" : undefined);
        due = next;
      }
      await store.close();

      lines = [];
      expect(await runHistory({ task: "nightly", db }, out)).toBe(1);
      expect(lines[0]).toContain("--bot (alpha, beta)");

      lines = [];
      expect(await runHistory({ task: "nightly", db, bot: "alpha", n: 2 }, out)).toBe(0);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^DUE\s+FIRED\s+OUTCOME\s+DETAIL$/);
      const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "+00:00");
      expect(lines[1]).toBe(`${iso(t.nextDue! + 2 * 86_400_000)}  ${iso(t.nextDue! + 2 * 86_400_000 + 1000)}  ok`);
      expect(lines[2]).toBe(`${iso(t.nextDue! + 86_400_000)}  ${iso(t.nextDue! + 86_400_000 + 1000)}  error    channel gone`);

      lines = [];
      expect(await runHistory({ task: "standup", db, bot: "beta" }, out)).toBe(0);
      expect(lines).toEqual(["beta/standup: no runs yet"]);
      lines = [];
      expect(await runHistory({ task: "nosuch", db }, out)).toBe(1);
      expect(await runHistory({ task: "nightly", db, bot: "alpha", n: 0 }, out)).toBe(1);
    });
  });
}
