// `sync`, `tasks` and `history` under Deno on a real SQLite file (node:sqlite
// behind kysely), and the same file shared with the Bun store (bun:sqlite).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store.ts";
import { syncFiles } from "../../src/sync/sync-files.ts";
import { makeProject } from "../support/seshet-process.ts";
import { BUN_SESHET, DENO_SESHET, requireDeno, runCli } from "./deno-cli.ts";

const BOT = `nick = "b"\nchannels = ["#c"]\ntz = "Europe/Berlin"\n[server]\nhost = "127.0.0.1"\nport = 6667\n`;
const task = (name: string, text: string, extra = "") =>
  `[[task]]\nname = "${name}"\nfunc = "core:say"\nargs = ["#c", "${text}"]\nstart = 2026-01-05T09:00:00\n${extra}`;
const TASKS = [
  task("standup", "stand-up", `rrule = { freq = "weekly", byweekday = ["MO", "FR"] }\n`),
  task("counted", "five times", `tz = "UTC"\nrrule = { freq = "daily", count = 5000 }\n`),
  task("later", "far away", `start = 2099-01-01T00:00:00\n`).replace(/start = 2026-01-05T09:00:00\n/, ""),
].join("\n");

let project: { dir: string; remove(): void };
const db = () => join(project.dir, "seshet.db");

beforeAll(() => {
  requireDeno();
  project = makeProject({ "bots/b.toml": BOT, "tasks/t.toml": TASKS });
});
afterAll(() => project?.remove());

test("sync twice under Deno: everything added, then everything unchanged", () => {
  const first = runCli(DENO_SESHET, ["sync", "--json", "--db", db()], project.dir);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual({ added: 3, changed: 0, retired: 0, unchanged: 0, errors: [] });

  const second = runCli(DENO_SESHET, ["sync", "--json", "--db", db()], project.dir);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 3, errors: [] });
}, 60_000);

test("the file Deno wrote is read by the Bun store, and Bun's writes by Deno", async () => {
  const store = await openStore(db(), { driver: "bun" });
  try {
    const tasks = await store.listTasks({ bot: "b" });
    expect(tasks.map((t) => t.name).sort()).toEqual(["counted", "later", "standup"]);
    expect(tasks.find((t) => t.name === "counted")?.tz).toBe("UTC");
    expect(tasks.find((t) => t.name === "later")?.nextDue).toBe(Date.UTC(2098, 11, 31, 23, 0, 0)); // Europe/Berlin midnight

    // Bun changes one definition; Deno then sees it as already applied.
    writeFileSync(join(project.dir, "tasks", "t.toml"), TASKS.replace("far away", "further away"));
    const r = await syncFiles(store, { botsDir: join(project.dir, "bots"), tasksDir: join(project.dir, "tasks"), env: {}, now: Date.now() });
    expect([r.added, r.changed, r.retired, r.unchanged]).toEqual([0, 1, 0, 2]);
  } finally {
    await store.close();
  }
  const again = runCli(DENO_SESHET, ["sync", "--json", "--db", db()], project.dir);
  expect(JSON.parse(again.stdout)).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 3, errors: [] });
}, 60_000);

test("tasks and history print the same under Deno and Bun", () => {
  const deno = runCli(DENO_SESHET, ["tasks", "--json", "--db", db()], project.dir);
  expect(deno.code).toBe(0);
  const listed = JSON.parse(deno.stdout) as { name: string; state: string }[];
  expect(listed.map((t) => t.name).sort()).toEqual(["counted", "later", "standup"]);
  expect(deno.stdout).toBe(runCli(BUN_SESHET, ["tasks", "--json", "--db", db()], project.dir).stdout);

  const history = runCli(DENO_SESHET, ["history", "counted", "--db", db()], project.dir);
  expect(history.code).toBe(0);
  expect(history.stdout.trim()).toBe("b/counted: no runs yet");
}, 60_000);

test.skipIf(process.platform === "win32")("the store Deno creates is private (0600), as under Bun", () => {
  const fresh = join(project.dir, "deno-private.db");
  const r = runCli(DENO_SESHET, ["sync", "--json", "--db", fresh], project.dir);
  expect(r.code).toBe(0);
  expect(statSync(fresh).mode & 0o777).toBe(0o600);
  // SQLite removes -wal and -shm when the last connection closes; any left behind carry the file's mode.
  for (const side of [`${fresh}-wal`, `${fresh}-shm`]) if (existsSync(side)) expect(statSync(side).mode & 0o777).toBe(0o600);
}, 60_000);
