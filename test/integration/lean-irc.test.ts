// The bot with irc-framework's dependencies as each runtime loads them
// (src/platform/lean-modules.ts): the compiled binary and `bun src/cli.ts`
// run the lean lodash, iconv and socks stand-ins, Deno the original modules.
// Under each, on a real ngircd: the bot connects and joins, a task's text
// longer than one line arrives split on word boundaries with nothing lost,
// and a line that is not UTF-8 (a Latin-1 client) is decoded, answered, and
// does not disturb the next command.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ensureBinary, makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";
import { BUN_SESHET, DENO_SESHET, requireDeno } from "../deno/deno-cli.ts";

const CHANNEL = "#lean";
const WORDS = Array.from({ length: 160 }, (_, i) => `w${String(i).padStart(3, "0")}`);
const LONG = WORDS.join(" "); // ~800 bytes: two lines at least

let irc: Ngircd;
let watcher: IrcObserver;
const started: SeshetProcess[] = [];
const projects: { remove(): void }[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  irc = await startNgircd();
  watcher = await connectObserver({ port: irc.port, nick: "watcher", channels: [CHANNEL] });
}, 30_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const p of started) await p.stop(3000);
  await watcher?.quit().catch(() => {});
  await irc?.stop();
  for (const p of projects) p.remove();
}, 30_000);

/** A client that speaks Latin-1 bytes, as old IRC clients do. */
async function latin1Client(nick: string): Promise<Socket> {
  const s = connect({ host: "127.0.0.1", port: irc.port });
  sockets.push(s);
  let buf = "";
  await new Promise<void>((resolve, reject) => {
    s.on("error", reject);
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      if (/ 001 /.test(buf)) s.write(`JOIN ${CHANNEL}\r\n`);
      if (/ 366 /.test(buf)) resolve();
      for (const m of buf.matchAll(/^PING (\S+)/gm)) s.write(`PONG ${m[1]}\r\n`);
    });
    s.write(`NICK ${nick}\r\nUSER ${nick} 0 * :latin1\r\n`);
  });
  return s;
}

const RUNTIMES: [string, () => string[]][] = [
  ["the compiled binary", () => [ensureBinary()]],
  ["Bun from source", () => BUN_SESHET],
  ["Deno from source", () => (requireDeno(), DENO_SESHET)],
];

describe.each(RUNTIMES)("irc-framework's dependencies under %s", (label, command) => {
  const nick = `lean${RUNTIMES.findIndex(([l]) => l === label)}`;
  const fromBot = (m: { from: string; target: string }) => m.from === nick && m.target === CHANNEL;

  test("connects, joins, splits a long line on words, decodes a Latin-1 line", async () => {
    const due = Date.now() + 6000;
    const project = makeProject({
      [`bots/${nick}.toml`]: `nick = "${nick}"\nchannels = ["${CHANNEL}"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
      [`tasks/${nick}.toml`]: `[[task]]\nname = "long"\nfunc = "core:say"\nargs = ["${CHANNEL}", "${LONG}"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`,
    });
    projects.push(project);
    const seshet = startSeshet(["run", "--bot", nick, "--db", "seshet.db"], { cwd: project.dir, command: command() });
    started.push(seshet);
    await watcher.waitForLine((l) => l.startsWith(`:${nick}!`) && l.includes(" JOIN "), 20_000).catch(() => {
      throw new Error(`${nick} never joined:\n${seshet.output()}`);
    });

    // Split: every word once, in order, over two lines or more.
    await watcher.waitFor((m) => fromBot(m) && m.text.includes(WORDS.at(-1)!), due - Date.now() + 15_000);
    const lines = watcher.messages.filter((m) => fromBot(m) && /w\d{3}/.test(m.text)).map((m) => m.text);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect([...lines.join(" ").matchAll(/w\d{3}/g)].map((m) => m[0])).toEqual(WORDS);

    // Not UTF-8: "café" in Latin-1 (0xE9) reaches the bot as U+FFFD and is answered.
    const latin = await latin1Client(`${nick}l1`);
    latin.write(Buffer.concat([Buffer.from(`PRIVMSG ${CHANNEL} :!help caf`), Buffer.from([0xe9]), Buffer.from("\r\n")]));
    const reply = await watcher.waitFor((m) => fromBot(m) && m.text.startsWith("no command 'caf"), 10_000);
    expect(reply.text).toContain("caf\uFFFD");
    latin.write(`PRIVMSG ${CHANNEL} :!help help\r\n`);
    await watcher.waitFor((m) => fromBot(m) && m.text.startsWith("!help"), 10_000);
    latin.write(`QUIT\r\n`);

    expect(await seshet.stop()).toBe(0);
  }, 60_000);
});
