// `seshet run` (the supervisor) at its edges, on a real ngircd with the real
// binary: signals while the startup sync child runs (a SIGHUP must not end the
// process; a SIGTERM stops it and the sync child, even one waiting on a store
// that never answers, before any bot starts; a sync child whose supervisor is
// killed quits), a burst of SIGHUPs (two
// syncs, not one per signal), a crashing child's last line written without
// its newline (logged before the crash), and a plugin's process.send (the
// control channel is not the plugins': Bun's IPC has no bound on a message).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";
import { processAlive } from "../support/process-alive.ts";

const CHANNEL = "#edges";

const botFile = (nick: string, port: number, modules: string[] = []) =>
  `nick = "${nick}"\nchannels = ["${CHANNEL}"]\nadmins = ["edgewatch!*@127.0.0.1"]\nmodules = ${JSON.stringify(modules)}\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;

// Dies with a last line that has no newline (a write cut short by the exit).
const LAST_WORDS = `export default { name: "lastwords", setup() {
  setTimeout(() => { process.stderr.write("FATAL last words without newline"); process.exit(2); }, 300);
} };`;

// Tries the control channel as a plugin could under a Bun supervisor: a forged
// "synced" and a message far beyond any line bound.
const SENDER = `export default { name: "sender", setup() {
  setTimeout(() => {
    console.error("sender: process.send is " + typeof process.send);
    if (typeof process.send === "function") {
      process.send({ type: "synced", added: 1, changed: 0, retired: 0, errors: 0 });
      process.send({ type: "junk", big: "y".repeat(4 << 20) });
    }
    console.error("sender: process.disconnect is " + typeof process.disconnect);
    if (typeof process.disconnect === "function") process.disconnect();
    console.error("sender: done");
  }, 300);
} };`;

let irc: Ngircd;
let observer: IrcObserver;
const projects: { dir: string; remove(): void }[] = [];
const started: SeshetProcess[] = [];
/** Every child of a supervisor seen, stopped by pid if one outlives its test. */
const kids = new Set<number>();

function childrenOf(pid: number): number[] {
  try {
    const found = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").map(Number).filter((n) => n > 0),
    );
    for (const k of found) kids.add(k);
    return found;
  } catch {
    return [];
  }
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
};

function start(files: Record<string, string>, args: string[] = []): SeshetProcess {
  const project = makeProject(files);
  projects.push(project);
  const s = startSeshet(["run", "--db", "seshet.db", ...args], { cwd: project.dir });
  started.push(s);
  return s;
}

/** Waits for the supervisor's startup sync child (`run --sync-only startup`) and returns its pid. */
async function syncChildOf(sup: SeshetProcess): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const child = childrenOf(sup.pid).find((k) => cmdline(k).includes("--sync-only"));
    if (child) return child;
    if (/bot '\w+' started/.test(sup.output())) throw new Error(`the startup sync ended before it was seen:\n${sup.output()}`);
    if (Date.now() > deadline) throw new Error(`no sync child within 10 s:\n${sup.output()}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

beforeAll(async () => {
  irc = await startNgircd();
  observer = await connectObserver({ port: irc.port, nick: "edgewatch", channels: [CHANNEL] });
}, 30_000);

afterAll(async () => {
  for (const s of started) await s.stop(5000);
  for (const pid of kids) if (processAlive(pid) && cmdline(pid).includes(" run ")) process.kill(pid, "SIGKILL");
  await observer?.quit().catch(() => {});
  await irc?.stop();
  for (const p of projects) p.remove();
}, 60_000);

describe("signals while the startup sync runs", () => {
  test("SIGHUP: the supervisor lives on, syncs once more and starts its bots", async () => {
    const sup = start({ "bots/hupbot.toml": botFile("hupbot", irc.port) });
    await syncChildOf(sup);
    process.kill(sup.pid, "SIGHUP");
    await observer.waitForLine((l) => /^:hupbot!\S+ JOIN/.test(l), 20_000).catch((e) => {
      throw new Error(`${e.message}\nsupervisor (exit ${sup.proc.exitCode}, signal ${sup.proc.signalCode}):\n${sup.output()}`);
    });
    expect(processAlive(sup.pid)).toBe(true);
    await sup.waitForOutput(/SIGHUP: tasks synced/, 10_000);
    expect(await sup.stop()).toBe(0);
  }, 40_000);

  test("SIGTERM: no bot starts, the sync child is stopped, the supervisor exits 0", async () => {
    const sup = start({ "bots/termbot.toml": botFile("termbot", irc.port) });
    const sync = await syncChildOf(sup);
    process.kill(sup.pid, "SIGTERM");
    expect(await sup.exited).toBe(0);
    expect(sup.proc.signalCode).toBeNull();
    expect(sup.output()).toMatch(/SIGTERM before the bots started: none started; supervisor exiting/);
    expect(sup.output()).not.toMatch(/bot 'termbot' started/);
    expect(processAlive(sync)).toBe(false);
  }, 40_000);

  /** A supervisor whose startup sync child is waiting on a PostgreSQL "server" that accepts connections and never says a word. */
  async function stuckOnSilentStore(run: (sup: SeshetProcess, sync: number) => Promise<void>): Promise<void> {
    const silent: Socket[] = [];
    const server = createServer((socket) => void silent.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const project = makeProject({ "bots/pgbot.toml": botFile("pgbot", irc.port) });
      projects.push(project);
      const sup = startSeshet(["run", "--db", `postgres://seshet@127.0.0.1:${port}/seshet`], { cwd: project.dir });
      started.push(sup);
      const sync = await syncChildOf(sup);
      const deadline = Date.now() + 10_000;
      while (silent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(silent.length).toBeGreaterThan(0); // the sync child is waiting on the store
      await run(sup, sync);
    } finally {
      for (const socket of silent) socket.destroy();
      server.close();
    }
  }

  test("SIGTERM while the startup sync waits on a store that never answers: the sync child is stopped, exit 0 at once", async () => {
    await stuckOnSilentStore(async (sup, sync) => {
      process.kill(sup.pid, "SIGTERM");
      const code = await Promise.race([sup.exited, new Promise((r) => setTimeout(() => r("still running 5 s after SIGTERM"), 5000))]);
      expect(code).toBe(0);
      expect(processAlive(sync)).toBe(false);
    });
  }, 40_000);

  test("kill -9 of the supervisor then: its sync child sees the end of its stdin and quits", async () => {
    await stuckOnSilentStore(async (sup, sync) => {
      process.kill(sup.pid, "SIGKILL");
      await sup.exited;
      const deadline = Date.now() + 5000;
      while (processAlive(sync) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(processAlive(sync)).toBe(false);
    });
  }, 40_000);
});

describe("a SIGHUP's sync child at shutdown", () => {
  test("one waiting on a locked store does not outlive the supervisor", async () => {
    const sup = start({ "bots/lockbot.toml": botFile("lockbot", irc.port) });
    await observer.waitForLine((l) => /^:lockbot!\S+ JOIN/.test(l), 20_000);
    const project = projects.at(-1)!;
    // Another process holds the write lock: the sync child waits on it (busy_timeout).
    const db = new Database(join(project.dir, "seshet.db"));
    try {
      db.run("begin exclusive");
      const before = new Set(childrenOf(sup.pid));
      process.kill(sup.pid, "SIGHUP");
      let sync: number | undefined;
      const deadline = Date.now() + 10_000;
      while (sync === undefined && Date.now() < deadline) {
        sync = childrenOf(sup.pid).find((k) => !before.has(k) && cmdline(k).includes("--sync-only"));
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(sync).toBeDefined();
      expect(await sup.stop()).toBe(0);
      const gone = Date.now() + 1000;
      while (processAlive(sync!) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
      expect(processAlive(sync!)).toBe(false);
    } finally {
      db.close();
    }
  }, 40_000);
});

describe("a running supervisor", () => {
  let sup: SeshetProcess;

  beforeAll(async () => {
    sup = start({
      "bots/steady.toml": botFile("steady", irc.port),
      "bots/lastwords.toml": botFile("lastwords", irc.port, ["plugins/lastwords.js"]),
      "bots/sender.toml": botFile("sender", irc.port, ["plugins/sender.js"]),
      "plugins/lastwords.js": LAST_WORDS,
      "plugins/sender.js": SENDER,
    });
    await observer.waitForLine((l) => /^:steady!\S+ JOIN/.test(l), 20_000);
  }, 30_000);

  test("a burst of SIGHUPs: at most one sync runs and one waits, not one per signal", async () => {
    for (let i = 0; i < 40; i++) {
      process.kill(sup.pid, "SIGHUP");
      await new Promise((r) => setTimeout(r, 25));
    }
    const atLastSignal = count(sup.output(), /SIGHUP: tasks synced/g);
    // Quiet for 3 s: the syncs still owed have run.
    let last = -1;
    while (count(sup.output(), /SIGHUP: tasks synced/g) !== last) {
      last = count(sup.output(), /SIGHUP: tasks synced/g);
      await new Promise((r) => setTimeout(r, 3000));
    }
    const after = last - atLastSignal;
    console.log(`${last} SIGHUP syncs for 40 signals, ${after} after the last one`);
    // The sync running at the last signal and the one waiting (3: a line may still be in the pipe).
    expect(after).toBeLessThanOrEqual(3);
    expect(last).toBeGreaterThan(0);
    expect(processAlive(sup.pid)).toBe(true);
  }, 120_000);

  test("a crashing child's last line without a newline is logged before its crash", async () => {
    await sup.waitForOutput(/bot 'lastwords' crashed/, 20_000);
    const lines = sup.output().split("\n");
    const words = lines.indexOf("lastwords | FATAL last words without newline");
    const crashed = lines.findIndex((l) => l.includes("bot 'lastwords' crashed"));
    expect(words).toBeGreaterThanOrEqual(0);
    expect(words).toBeLessThan(crashed);
  }, 30_000);

  test("a plugin finds no process.send: nothing it sends reaches the supervisor", async () => {
    await sup.waitForOutput(/sender \| sender: done/, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sup.output()).toMatch(/sender \| sender: process\.send is undefined/);
    expect(sup.output()).not.toMatch(/bot 'sender' sent a malformed control message/);
    expect(sup.output()).not.toMatch(/bot 'sender' synced the task files/);
  }, 30_000);

  test("nor process.disconnect: after the plugin ran, the bot's own sync still reaches the supervisor", async () => {
    await sup.waitForOutput(/sender \| sender: done/, 20_000);
    expect(sup.output()).toMatch(/sender \| sender: process\.disconnect is undefined/);
    observer.say("sender", "reloadtasks");
    await sup.waitForOutput(/sender \| .*!reloadtasks: tasks synced/, 10_000);
    await sup.waitForOutput(/bot 'sender' synced the task files; telling the other bots/, 5000);
  }, 30_000);
});

describe("--log-format json", () => {
  // Prints as a plugin might: plain text on both streams, and a JSON record posing as another bot's.
  const PRINTER = `export default { name: "printer", setup() {
    setTimeout(() => {
      console.log("plain print from a plugin");
      console.error("plain stderr from a plugin \u001b[31m");
      console.error(JSON.stringify({ time: "2000-01-01T00:00:00.000Z", level: "error", bot: "steady", msg: "forged" }));
      console.error("printer: done");
    }, 300);
  } };`;

  test("every line the supervisor writes is a JSON record, children's lines with their bot", async () => {
    const sup = start({ "bots/jbot.toml": botFile("jbot", irc.port, ["plugins/printer.js"]), "plugins/printer.js": PRINTER }, ["--log-format", "json"]);
    await observer.waitForLine((l) => /^:jbot!\S+ JOIN/.test(l), 20_000);
    await sup.waitForOutput(/printer: done/, 10_000);
    expect(await sup.stop()).toBe(0);
    const records = sup
      .output()
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          throw new Error(`not a JSON record: ${l}`);
        }
      });
    const ofBot = records.filter((r) => r.bot === "jbot");
    expect(ofBot.some((r) => r.msg === "connecting" && r.level === "info")).toBe(true);
    expect(ofBot).toContainEqual(expect.objectContaining({ stream: "stdout", msg: "plain print from a plugin" }));
    expect(ofBot).toContainEqual(expect.objectContaining({ stream: "stderr", msg: "plain stderr from a plugin \u001b[31m" }));
    // The forged record stays the plugin's print: it is no log record of 'steady'.
    expect(records.some((r) => r.bot === "steady")).toBe(false);
    expect(ofBot.some((r) => typeof r.msg === "string" && r.msg.includes('"forged"'))).toBe(true);
    // The supervisor's own records and the sync child's are there too.
    expect(records.some((r) => r.bot === undefined && r.msg === "bot 'jbot' started")).toBe(true);
    expect(records.some((r) => typeof r.msg === "string" && r.msg.startsWith("startup: tasks synced"))).toBe(true);
  }, 40_000);
});
