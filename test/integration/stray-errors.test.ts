// A plugin's stray async errors (a rejected promise nobody awaits, a throw in
// a timer) do not end the bot: more of them than the supervisor's crash limit
// later, it is still in its channel, answers and fires its tasks, and each
// error is in the log with its stack and the module it came from.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";
import { CRASH_LIMIT } from "../../src/supervisor/restart-policy.ts";

const STRAYS = CRASH_LIMIT + 2;
const SLOPPY_PLUGIN = `
export default {
  name: "sloppy",
  setup(api) {
    api.command("boom", {
      help: "starts work it never awaits",
      run: ({ reply }) => {
        for (let i = 0; i < ${STRAYS}; i++) {
          setTimeout(() => { Promise.reject(new Error("stray rejection " + i)); }, 10 * i);
        }
        setTimeout(function throwsInTimer() { throw new Error("stray throw"); }, 10 * ${STRAYS});
        reply("started");
      },
    });
    api.command("alive", { help: "", run: ({ reply }) => reply("still here") });
  },
};
`;

let irc: Ngircd;
let boss: IrcObserver;
let seshet: SeshetProcess;
let project: { dir: string; remove(): void };
let due: number;

beforeAll(async () => {
  irc = await startNgircd();
  boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#stray"] });
  due = Math.ceil(Date.now() / 1000) * 1000 + 8000;
  project = makeProject({
    "bots/strayer.toml": `nick = "strayer"\nchannels = ["#stray"]\nadmins = ["boss!*@127.0.0.1"]\nmodules = ["plugins/sloppy.js"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    "plugins/sloppy.js": SLOPPY_PLUGIN,
    "tasks/later.toml": `[[task]]\nname = "later"\nfunc = "core:say"\nargs = ["#stray", "fired after the strays"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`,
  });
  // Under the supervisor: a bot that died here would be restarted, so also check it never did.
  seshet = startSeshet(["run", "--db", "seshet.db"], { cwd: project.dir });
  await boss.waitForLine((l) => /^:strayer!\S+ JOIN :?#stray/.test(l), 30_000).catch(() => {
    throw new Error(`strayer never joined; seshet said:\n${seshet.output()}`);
  });
}, 60_000);

afterAll(async () => {
  await seshet?.stop(5000);
  await boss?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);

test(`${STRAYS} unhandled rejections and an uncaught throw: logged with stacks, the bot keeps running`, async () => {
  boss.say("#stray", "!boom");
  await boss.waitFor((m) => m.from === "strayer" && m.text === "started", 10_000);
  await seshet.waitForOutput(/uncaught exception from module 'sloppy'; the bot keeps running error=stray throw/, 10_000);
  const rejections = () => seshet.output().match(/unhandled rejection from module 'sloppy'; the bot keeps running error=stray rejection \d/g)?.length ?? 0;
  // The runtime reports rejections after the microtasks settle: wait for them, in any order with the throw.
  for (const deadline = Date.now() + 10_000; rejections() < STRAYS && Date.now() < deadline; ) await Bun.sleep(50);
  expect(rejections()).toBe(STRAYS);
  await seshet.waitForOutput(/at throwsInTimer \(\S*sloppy\.js:\d+:\d+\)/, 5000); // its stack, with the plugin's FILE:LINE:COL
  await Bun.sleep(2100); // the command rate limit
  boss.say("#stray", "!alive");
  await boss.waitFor((m) => m.from === "strayer" && m.text === "still here", 10_000);
  const fired = await boss.waitFor((m) => m.from === "strayer" && m.text === "fired after the strays", 20_000);
  expect(fired.at).toBeGreaterThanOrEqual(due);
  expect(seshet.output().match(/bot 'strayer' started/g)).toHaveLength(1); // never restarted
  expect(seshet.output()).not.toMatch(/bot 'strayer' (crashed|exited)/);
}, 40_000);
