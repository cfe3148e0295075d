// `seshet sync` in another process while `seshet run` runs on the same SQLite
// file: the running bots notice within a second (PRAGMA data_version polling)
// and fire the task it added, without a SIGHUP.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ensureBinary, makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";

let irc: Ngircd;
let boss: IrcObserver;
let sup: SeshetProcess;
let project: { dir: string; remove(): void };

const bot = (nick: string, port: number) =>
  `nick = "${nick}"\nchannels = ["#sync"]\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;

beforeAll(async () => {
  irc = await startNgircd();
  boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#sync"] });
  project = makeProject({ "bots/synca.toml": bot("synca", irc.port), "bots/syncb.toml": bot("syncb", irc.port) });
  sup = startSeshet(["run", "--db", "seshet.db"], { cwd: project.dir });
  for (const nick of ["synca", "syncb"]) {
    await boss.waitForLine((l) => new RegExp(`^:${nick}!\\S+ JOIN :?#sync`).test(l), 30_000).catch(() => {
      throw new Error(`${nick} never joined; seshet said:\n${sup.output()}`);
    });
  }
}, 60_000);

afterAll(async () => {
  await sup?.stop(5000);
  await boss?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);

test("a task added by `seshet sync` fires in every running bot, on time, without SIGHUP", async () => {
  const due = Math.ceil(Date.now() / 1000) * 1000 + 4000;
  writeFileSync(join(project.dir, "tasks", "added.toml"), `[[task]]\nname = "added"\nfunc = "core:say"\nargs = ["#sync", "added by seshet sync"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`);
  const synced = spawnSync(ensureBinary(), ["sync", "--db", "seshet.db"], { cwd: project.dir, encoding: "utf8", timeout: 30_000 });
  expect(synced.status).toBe(0);
  const syncedAt = Date.now();
  for (const nick of ["synca", "syncb"]) {
    await sup.waitForOutput(new RegExp(`\\[${nick}\\] the tasks changed in the store \\(a sync by another process\\): queue rebuilt, 1 task`), 5000);
  }
  console.log(`both bots rebuilt within ${Date.now() - syncedAt} ms of the sync (poll every 500 ms)`);
  for (const nick of ["synca", "syncb"]) {
    const m = await boss.waitFor((m) => m.from === nick && m.text === "added by seshet sync", 15_000).catch(() => {
      throw new Error(`${nick} did not fire the task; seshet said:\n${sup.output()}`);
    });
    expect(m.at).toBeGreaterThanOrEqual(due);
    expect(m.at - due).toBeLessThan(1000);
  }
  expect(sup.output()).not.toMatch(/SIGHUP/);
}, 40_000);
