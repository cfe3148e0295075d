// A bot child whose supervisor dies exits on its own: it sees end-of-file on
// its stdin, sends QUIT and closes its store, so no orphan keeps the nick (or,
// in a fleet, keeps running a bot whose lease nobody renews).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";
import { processAlive } from "../support/process-alive.ts";

let irc: Ngircd;
let observer: IrcObserver;
let seshet: SeshetProcess;
let project: { dir: string; remove(): void };
const leftovers = new Set<number>();

beforeAll(async () => {
  irc = await startNgircd();
  observer = await connectObserver({ port: irc.port, nick: "watcher", channels: ["#orphan"] });
  project = makeProject({
    "bots/orphanbot.toml": `nick = "orphanbot"\nchannels = ["#orphan"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
  });
  seshet = startSeshet(["run", "--db", "seshet.db"], { cwd: project.dir });
}, 30_000);

afterAll(async () => {
  for (const pid of [seshet?.pid, ...leftovers]) {
    if (pid !== undefined && processAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await observer?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);


/** Child pids from /proc (Linux), no `ps` needed. */
function childrenOf(pid: number): number[] {
  const dir = `/proc/${pid}/task`;
  return readdirSync(dir).flatMap((tid) =>
    readFileSync(`${dir}/${tid}/children`, "utf8").split(" ").map(Number).filter((n) => n > 0),
  );
}

test("kill -9 of the supervisor: its bot child QUITs and exits within a few seconds", async () => {
  await observer.waitForLine((l) => l.startsWith(":orphanbot!") && l.includes(" JOIN "), 15_000);
  const kids = childrenOf(seshet.pid);
  expect(kids).toHaveLength(1);
  const child = kids[0]!;
  leftovers.add(child);

  process.kill(seshet.pid, "SIGKILL");
  await seshet.exited;
  const killedAt = Date.now();
  while (processAlive(child)) {
    if (Date.now() - killedAt > 5000) throw new Error(`bot child ${child} still running 5 s after its supervisor died`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exitedAfter = Date.now() - killedAt;
  console.log(`orphaned bot child exited ${exitedAfter} ms after its supervisor was killed`);
  // It left IRC with a QUIT of its own, not a dropped connection.
  const quit = await observer.waitForLine((l) => l.startsWith(":orphanbot!") && l.includes(" QUIT "), 2000);
  expect(quit).not.toMatch(/ping timeout|connection reset|broken pipe|EOF/i);
}, 40_000);
