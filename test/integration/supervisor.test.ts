// `seshet run` as a supervisor, on a real ngircd, watched by an independent
// IRC client: two healthy bots and one that crash-loops. A killed child comes
// back, the other bot never notices; a reload in one bot reaches the other
// through the supervisor; SIGHUP syncs once for all; SIGTERM makes every bot
// QUIT and the supervisor exit 0 within its bound. The tests pass in any
// order (`bun test --randomize`): the one that stops the supervisor has a
// supervisor of its own. (Resident memory is measured by the footprint
// benchmark, not here.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";
import { SHUTDOWN_BOUND_MS } from "../../src/supervisor/supervisor.ts";
import { processAlive } from "../support/process-alive.ts";

const CHANNEL = "#sup";
const QUIT_MESSAGE = "Seshet shutting down";

const botFile = (nick: string, port: number, modules: string[] = []) =>
  [
    `nick = "${nick}"`,
    `channels = ["${CHANNEL}"]`,
    `admins = ["boss!*@127.0.0.1"]`,
    `modules = ${JSON.stringify(modules)}`,
    `[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`,
  ].join("\n");

// Dies during setup every time: the supervisor must give up on it, loudly.
const BROKEN_PLUGIN = `
export default {
  name: "broken",
  setup() {
    console.error("ERROR broken plugin: refusing to start");
    process.exit(1);
  },
};
`;

let irc: Ngircd;
let boss: IrcObserver;
let project: { dir: string; remove(): void };
let sup: SeshetProcess;
/** Every child pid the supervisor reported, to make sure none outlives the test. */
const childPids = new Set<number>();

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; supervisor output:\n${sup?.output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** pids from the supervisor's `bot 'NAME' started pid=N` lines, oldest first. */
function startedPids(name: string): number[] {
  const pids = [...sup.output().matchAll(new RegExp(`bot '${name}' started pid=(\\d+)`, "g"))].map((m) => Number(m[1]));
  for (const pid of pids) childPids.add(pid);
  return pids;
}

const latestPid = (name: string) => startedPids(name).at(-1);

const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);

const joinLine = (nick: string) => new RegExp(`^:${nick}_*!\\S+ JOIN :?${CHANNEL}\\b`, "i");
const quitLine = (nick: string) => new RegExp(`^:${nick}_*!\\S+ QUIT\\b`, "i");
const linesSince = (mark: number) => boss.lines.slice(mark).map((l) => l.line);
const outputLines = () => sup.output().split("\n");

beforeAll(async () => {
  irc = await startNgircd();
  boss = await connectObserver({ port: irc.port, nick: "boss", channels: [CHANNEL] });
  project = makeProject({
    "bots/alpha.toml": botFile("alpha", irc.port),
    "bots/beta.toml": botFile("beta", irc.port),
    "bots/broken.toml": botFile("broken", irc.port, ["plugins/broken.js"]),
    "plugins/broken.js": BROKEN_PLUGIN,
  });
  sup = startSeshet(["run", "--db", "seshet.db"], { cwd: project.dir });
  for (const nick of ["alpha", "beta"]) {
    await boss.waitForLine((l) => joinLine(nick).test(l), 20_000).catch((e) => {
      throw new Error(`${e.message}\nsupervisor output:\n${sup.output()}`);
    });
  }
}, 40_000);

afterAll(async () => {
  if (sup) await sup.stop(5000);
  // A child that outlived its supervisor (it should not: it exits on end of stdin) is stopped by its pid.
  for (const pid of childPids) {
    if (processAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run")) process.kill(pid, "SIGKILL");
  }
  await boss?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);

describe("seshet run (supervisor)", () => {
  test("one child per bot, each logged as started, children's lines carry the bot name", async () => {
    const alpha = latestPid("alpha")!;
    const beta = latestPid("beta")!;
    expect(alpha).toBeGreaterThan(0);
    expect(beta).toBeGreaterThan(0);
    expect(parentOf(alpha)).toBe(sup.pid);
    expect(parentOf(beta)).toBe(sup.pid);
    // A child's own log line (tagged [alpha] by its logger) arrives prefixed with the bot name.
    await until(() => outputLines().some((l) => l.startsWith("alpha | ") && l.includes("[alpha]")), "a forwarded line from alpha", 5000);
    const tagged = outputLines().filter((l) => /\[(alpha|beta|broken)\b/.test(l));
    const unprefixed = tagged.filter((l) => !/^(alpha|beta|broken) \| /.test(l));
    expect(unprefixed).toEqual([]);
    for (const l of tagged) expect(l.slice(0, l.indexOf(" |"))).toBe(/\[(\w+)/.exec(l)![1]!);
  });

  // The restart waits 1 s (backoff) and then starts and connects a process:
  // about 2 s idle, but seconds more on a loaded machine, hence the slack.
  test("kill -9 of one child: it is back in its channel within 10 s, the other bot stays connected", async () => {
    const before = latestPid("alpha")!;
    const beta = latestPid("beta")!;
    const mark = boss.lines.length;
    const killedAt = Date.now();
    process.kill(before, "SIGKILL");
    await until(() => linesSince(mark).some((l) => joinLine("alpha").test(l)), "alpha to rejoin", 10_000);
    const back = Date.now() - killedAt;
    console.log(`alpha rejoined ${back} ms after kill -9`);
    expect(back).toBeLessThan(10_000);

    const after = latestPid("alpha")!;
    expect(after).not.toBe(before);
    expect(processAlive(before)).toBe(false);
    expect(sup.output()).toMatch(/bot 'alpha' crashed; restarting in \d+\.\d s .*signal=SIGKILL/);
    expect(latestPid("beta")).toBe(beta);
    expect(processAlive(beta)).toBe(true);
    expect(boss.lines.some((l) => quitLine("beta").test(l.line))).toBe(false);
  }, 20_000);

  test("!reloadtasks in one bot makes the other fire a task added to the files after startup", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 4000;
    writeFileSync(
      join(project.dir, "tasks", "late.toml"),
      `[[task]]\nname = "late"\nbot = "beta"\nfunc = "core:say"\nargs = ["${CHANNEL}", "late task from beta"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`,
    );
    const mark = sup.output().length;
    boss.say("alpha", "reloadtasks");
    const reply = await boss.waitFor((m) => m.from.startsWith("alpha") && m.text.startsWith("tasks reloaded"), 10_000);
    expect(reply.text).toMatch(/added 1\b/);
    // Beta learns of it only from the supervisor: it rebuilds its queue from the store, reading no file.
    // Logged as every sync is: the trigger, the summary.
    await until(() => /^alpha \| .*!reloadtasks: tasks synced: added 1, changed 0/m.test(sup.output().slice(mark)), "alpha to log its sync", 5000);
    await until(() => sup.output().slice(mark).includes("bot 'alpha' synced the task files; telling the other bots"), "the supervisor to relay", 5000);
    await until(() => /^beta \| .*queue rebuilt from the store/m.test(sup.output().slice(mark)), "beta to rebuild its queue", 5000);
    const fired = await boss.waitFor((m) => m.text === "late task from beta", 15_000);
    expect(fired.from).toBe("beta");
    expect(fired.at).toBeGreaterThanOrEqual(due);
    expect(sup.output().slice(mark)).not.toMatch(/^beta \| .*tasks synced/m);
    expect(boss.messages.filter((m) => m.text === "late task from beta").length).toBe(1);
  }, 30_000);

  test("SIGHUP to the supervisor syncs once and every bot rebuilds its queue", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 4000;
    writeFileSync(
      join(project.dir, "tasks", "hup.toml"),
      `[[task]]\nname = "hup"\nfunc = "core:say"\nargs = ["${CHANNEL}", "after hup"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`,
    );
    const mark = sup.output().length;
    // A hangup of the whole process group reaches the children too: they leave the reload to the supervisor.
    process.kill(latestPid("alpha")!, "SIGHUP");
    await until(() => /^alpha \| .*SIGHUP ignored/m.test(sup.output().slice(mark)), "alpha to pass on its SIGHUP", 5000);
    process.kill(sup.pid, "SIGHUP");
    await until(() => /SIGHUP: tasks synced: added \d+/.test(sup.output().slice(mark)), "the supervisor's sync", 5000);
    for (const nick of ["alpha", "beta"]) {
      await until(() => new RegExp(`^${nick} \\| .*queue rebuilt from the store`, "m").test(sup.output().slice(mark)), `${nick} to rebuild`, 5000);
    }
    for (const nick of ["alpha", "beta"]) await boss.waitFor((m) => m.from === nick && m.text === "after hup", 15_000);
    const since = sup.output().slice(mark);
    expect(since.match(/tasks synced/g)?.length).toBe(1);
    expect(since).toMatch(/SIGHUP: tasks synced: added [1-9]/);
  }, 30_000);

  test("a crash-looping bot is given up on loudly while the others go on", async () => {
    const givenUp = /bot 'broken' crashed 5 times in 120 s; giving up on it \(the other bots go on\).*lastError=.*refusing to start/;
    await until(() => givenUp.test(sup.output()), "the supervisor to give up on 'broken'", 40_000);
    expect(startedPids("broken").length).toBe(5);
    expect(sup.output().match(/bot 'broken' crashed; restarting in/g)?.length).toBe(4);
    expect(outputLines().filter((l) => givenUp.test(l))[0]).toMatch(/ ERROR /);
    for (const pid of startedPids("broken")) expect(processAlive(pid)).toBe(false);
    // The healthy bots still answer.
    boss.say("beta", "help");
    await boss.waitFor((m) => m.from === "beta" && m.target === "boss" && m.text.startsWith("commands:"), 10_000);
    expect(processAlive(latestPid("alpha")!)).toBe(true);
    expect(startedPids("beta").length).toBe(1);
    expect(boss.lines.some((l) => quitLine("beta").test(l.line))).toBe(false);
    expect(sup.output()).not.toMatch(/^beta \| .*disconnected/m);
  }, 50_000);
});

// A supervisor of its own, so stopping it leaves the others' tests alone.
describe("seshet run (supervisor) and SIGTERM", () => {
  let shared: SeshetProcess;
  let own: { dir: string; remove(): void };

  beforeAll(async () => {
    shared = sup;
    own = makeProject({ "bots/gamma.toml": botFile("gamma", irc.port), "bots/delta.toml": botFile("delta", irc.port) });
    sup = startSeshet(["run", "--db", "seshet.db"], { cwd: own.dir });
    for (const nick of ["gamma", "delta"]) await until(() => boss.lines.some((l) => joinLine(nick).test(l.line)), `${nick} to join`, 20_000);
  }, 30_000);

  afterAll(async () => {
    await sup.stop(5000);
    startedPids("gamma");
    startedPids("delta");
    sup = shared;
    own.remove();
  }, 15_000);

  test("SIGTERM: both bots QUIT with the quit message and the supervisor exits 0 within its bound", async () => {
    const pids = [latestPid("gamma")!, latestPid("delta")!];
    const mark = boss.lines.length;
    const started = Date.now();
    const code = await sup.stop(SHUTDOWN_BOUND_MS + 5000);
    const took = Date.now() - started;
    console.log(`supervisor stopped in ${took} ms after SIGTERM (bound ${SHUTDOWN_BOUND_MS} ms)`);
    expect(code).toBe(0);
    expect(took).toBeLessThan(SHUTDOWN_BOUND_MS);
    for (const nick of ["gamma", "delta"]) {
      const quit = await until(() => linesSince(mark).find((l) => quitLine(nick).test(l)), `${nick}'s QUIT`, 5000);
      expect(quit).toContain(QUIT_MESSAGE);
      expect(sup.output()).toMatch(new RegExp(`bot '${nick}' stopped`));
    }
    expect(sup.output()).toMatch(/SIGTERM: stopping 2 running bot\(s\)/);
    expect(sup.output()).toMatch(/every bot stopped; supervisor exiting/);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
  }, 30_000);
});
