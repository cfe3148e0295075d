// Seshet under Deno on a real ngircd, watched by a separate IRC client: one
// bot in the foreground (`run --bot NAME`) firing a recurring task and
// answering a .ts plugin's command, then the supervisor spawning its bots as
// Deno children, reloading on SIGHUP and shutting them down cleanly.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";
import { BUN_SESHET, DENO_SESHET, requireDeno, runCli } from "./deno-cli.ts";
import { openStore } from "../../src/store/open-store.ts";

// A typed plugin: Deno strips the types as Bun does, and it imports nothing.
const PLUGIN = `
export default {
  name: "echo",
  setup(api: { command(name: string, def: { help: string; run(ctx: { rest: string; reply(text: string): void }): void }): void }) {
    api.command("echo", { help: "echoes", run: ({ rest, reply }) => reply(\`echo: \${rest}\`) });
  },
};
`;

const bot = (nick: string, port: number) =>
  `nick = "${nick}"\nchannels = ["#deno"]\nadmins = ["*!*@127.0.0.1"]\nmodules = ["plugins/echo.ts"]\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;

const oneShot = (name: string, text: string, at: number) =>
  `[[task]]\nname = "${name}"\nfunc = "core:say"\nargs = ["#deno", "${text}"]\nstart = ${utcLocal(at)}\ntz = "UTC"\n`;

let irc: Ngircd;
let watcher: IrcObserver;
const started: SeshetProcess[] = [];
const projects: { remove(): void }[] = [];

function seshetUnderDeno(args: string[], cwd: string): SeshetProcess {
  const p = startSeshet(args, { cwd, command: DENO_SESHET });
  started.push(p);
  return p;
}

beforeAll(async () => {
  requireDeno();
  irc = await startNgircd();
  watcher = await connectObserver({ port: irc.port, nick: "watcher", channels: ["#deno"] });
}, 30_000);

afterAll(async () => {
  for (const p of started) await p.stop(3000);
  await watcher?.quit().catch(() => {});
  await irc?.stop();
  for (const p of projects) p.remove();
}, 30_000);

/** The process runs `deno run -A src/cli.ts …` (checked where /proc shows command lines). */
function expectDenoSeshet(pid: number): void {
  if (!existsSync(`/proc/${pid}/cmdline`)) return;
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  expect(argv[0]).toMatch(/deno(\.exe)?$/);
  expect(argv.slice(1, 4)).toEqual(["run", "-A", DENO_SESHET[3]!]);
}

const said = (nick: string, text: string) => watcher.messages.filter((m) => m.from === nick && m.target === "#deno" && m.text === text);

describe("run --bot NAME under Deno", () => {
  let seshet: SeshetProcess;
  let dir: string;
  let recurringStart: number;

  beforeAll(async () => {
    // Far enough ahead that a slow Deno start on a loaded machine still syncs
    // the task before its first run (a run already past at sync is not fired).
    recurringStart = Math.ceil(Date.now() / 1000) * 1000 + 6000;
    const project = makeProject({
      "bots/denobot.toml": bot("denobot", irc.port),
      "plugins/echo.ts": PLUGIN,
      "tasks/fire.toml": `[[task]]\nname = "every2"\nfunc = "core:say"\nargs = ["#deno", "recurring"]\nstart = ${utcLocal(recurringStart)}\ntz = "UTC"\nrrule = { freq = "secondly", interval = 2, count = 3 }\n`,
    });
    projects.push(project);
    dir = project.dir;
    seshet = seshetUnderDeno(["run", "--bot", "denobot", "--db", "seshet.db"], dir);
    await watcher.waitForLine((l) => /^:denobot!\S+ JOIN :?#deno/.test(l), 20_000).catch(() => {
      throw new Error(`denobot never joined; it said:\n${seshet.output()}`);
    });
  }, 30_000);

  test("a recurring task fires each of its runs once, into the channel", async () => {
    const lastDue = recurringStart + 2 * 2000;
    await watcher.waitFor((m) => m.from === "denobot" && m.text === "recurring" && m.at >= lastDue, 20_000).catch(() => {
      throw new Error(`not all runs arrived; seshet said:\n${seshet.output()}`);
    });
    // No fourth run can come: each is claimed in the store first, and the store says the task is done.
    const store = await openStore(join(dir, "seshet.db"));
    try {
      expect(await store.getTask("denobot", "every2")).toMatchObject({ state: "done", nextDue: null });
      expect((await store.history("denobot", "every2", 10)).length).toBe(3);
    } finally {
      await store.close();
    }
    const runs = said("denobot", "recurring");
    expect(runs.length).toBe(3);
    runs.forEach((m, i) => expect(m.at).toBeGreaterThanOrEqual(recurringStart + i * 2000));
  }, 30_000);

  test("the .ts plugin is loaded from disk and answers", async () => {
    watcher.say("#deno", "!echo hello from the watcher");
    const m = await watcher.waitFor((m) => m.from === "denobot" && m.text === "echo: hello from the watcher", 10_000);
    expect(m.target).toBe("#deno");
  }, 15_000);

  test("SIGTERM: QUIT on the wire, exit 0, and the runs are in the store for Bun to read", async () => {
    const code = await seshet.stop();
    expect(code).toBe(0);
    await watcher.waitForLine((l) => /^:denobot!\S+ QUIT/.test(l), 5000);
    const history = runCli(BUN_SESHET, ["history", "every2", "--db", "seshet.db"], dir);
    expect(history.code).toBe(0);
    expect(history.stdout.match(/\bok\b/g)?.length).toBe(3);
  }, 30_000);
});

describe("the supervisor under Deno", () => {
  let seshet: SeshetProcess;
  let dir: string;
  let firstDue: number;

  beforeAll(async () => {
    firstDue = Math.ceil(Date.now() / 1000) * 1000 + 5000;
    const project = makeProject({
      "bots/alpha.toml": bot("alpha", irc.port),
      "bots/beta.toml": bot("beta", irc.port),
      "plugins/echo.ts": PLUGIN,
      "tasks/first.toml": oneShot("first", "first one-shot", firstDue),
    });
    projects.push(project);
    dir = project.dir;
    seshet = seshetUnderDeno(["run", "--db", "seshet.db"], dir);
    for (const nick of ["alpha", "beta"]) {
      await watcher.waitForLine((l) => new RegExp(`^:${nick}!\\S+ JOIN :?#deno`).test(l), 20_000).catch(() => {
        throw new Error(`${nick} never joined; seshet said:\n${seshet.output()}`);
      });
    }
  }, 40_000);

  test("each bot is a Deno child process of its own", () => {
    const pids = [...seshet.output().matchAll(/bot '(alpha|beta)' started pid=(\d+)/g)].map((m) => Number(m[2]));
    expect(pids.length).toBe(2);
    expect(new Set(pids).size).toBe(2);
    for (const pid of pids) expectDenoSeshet(pid);
  });

  test("both bots fire their task once", async () => {
    for (const nick of ["alpha", "beta"]) {
      await watcher.waitFor((m) => m.from === nick && m.text === "first one-shot", 15_000).catch(() => {
        throw new Error(`${nick} did not fire; seshet said:\n${seshet.output()}`);
      });
    }
    await Bun.sleep(1000);
    expect(said("alpha", "first one-shot").length).toBe(1);
    expect(said("beta", "first one-shot").length).toBe(1);
    for (const m of [...said("alpha", "first one-shot"), ...said("beta", "first one-shot")]) expect(m.at).toBeGreaterThanOrEqual(firstDue);
  }, 30_000);

  test("SIGHUP syncs the task files and every bot's queue picks up a new task", async () => {
    const due = Date.now() + 3000;
    writeFileSync(join(dir, "tasks", "second.toml"), oneShot("second", "added by SIGHUP", due));
    process.kill(seshet.pid, "SIGHUP");
    await seshet.waitForOutput(/SIGHUP: tasks synced: added 2, changed 0, retired 0, unchanged 2, errors 0/, 10_000);
    for (const nick of ["alpha", "beta"]) {
      await watcher.waitFor((m) => m.from === nick && m.text === "added by SIGHUP", 15_000).catch(() => {
        throw new Error(`${nick} did not fire the new task; seshet said:\n${seshet.output()}`);
      });
    }
  }, 30_000);

  test("a bot killed with SIGKILL is restarted as a Deno child and rejoins", async () => {
    const startedAlpha = () => [...seshet.output().matchAll(/bot 'alpha' started pid=(\d+)/g)].map((m) => Number(m[1]));
    const joins = () => watcher.lines.filter((l) => /^:alpha!\S+ JOIN :?#deno/.test(l.line)).length;
    const [pid] = startedAlpha();
    const joinsBefore = joins();
    process.kill(pid!, "SIGKILL");
    await seshet.waitForOutput(/bot 'alpha' started pid=\d+[\s\S]*bot 'alpha' started pid=\d+/, 10_000);
    await watcher.waitForLine(() => joins() > joinsBefore, 15_000).catch(() => {
      throw new Error(`alpha did not come back; seshet said:\n${seshet.output()}`);
    });
    const pids = startedAlpha();
    expect(pids.length).toBe(2);
    expect(pids[1]).not.toBe(pid);
    expectDenoSeshet(pids[1]!);
  }, 30_000);

  test("SIGTERM stops every bot cleanly: QUIT on the wire, children exit 0, supervisor exits 0", async () => {
    const code = await seshet.stop();
    expect(code).toBe(0);
    for (const nick of ["alpha", "beta"]) {
      await watcher.waitForLine((l) => new RegExp(`^:${nick}!\\S+ QUIT`).test(l), 5000);
      expect(seshet.output()).toMatch(new RegExp(`bot '${nick}' stopped code=0`));
    }
  }, 30_000);
});
