// 500 lines produced at once reach the channel in order, and the bot stays
// connected under ngIRCd's default penalties (which admit ~2.5 lines/s).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";

const LINES = 500;
const PLUGIN = `
export default {
  name: "burst",
  setup(api) {
    api.task("many", ({ args }) => { for (let i = 1; i <= ${LINES}; i++) api.say(args[0], "line " + i); });
  },
};
`;

let irc: Ngircd;
let observer: IrcObserver;
let seshet: SeshetProcess;
let project: { dir: string; remove(): void };

beforeAll(async () => {
  irc = await startNgircd();
  observer = await connectObserver({ port: irc.port, nick: "counter", channels: ["#flood"] });
  project = makeProject({
    // rate 3 is above what ngIRCd admits, so the server's own throttling is exercised too.
    "bots/floody.toml": `nick = "floody"\nchannels = ["#flood"]\nmodules = ["plugins/burst.js"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n[flood]\nburst = 5\nrate = 3\n`,
    "plugins/burst.js": PLUGIN,
    "tasks/burst.toml": `[[task]]\nname = "burst"\nfunc = "burst:many"\nargs = ["#flood"]\nstart = ${utcLocal(Date.now() + 4000)}\ntz = "UTC"\n`,
  });
  seshet = startSeshet(["run", "--bot", "floody", "--db", "seshet.db"], { cwd: project.dir });
}, 30_000);

afterAll(async () => {
  await seshet?.stop();
  await observer?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
}, 30_000);

test(`${LINES} lines queued at once all arrive, in order, without a disconnect`, async () => {
  const started = Date.now();
  await observer.waitFor((m) => m.from === "floody" && m.text === `line ${LINES}`, 400_000);
  const got = observer.messages.filter((m) => m.from === "floody").map((m) => m.text);
  expect(got).toEqual(Array.from({ length: LINES }, (_, i) => `line ${i + 1}`));
  expect(observer.lines.some((l) => /floody.*(Excess Flood|QUIT)/i.test(l.line))).toBe(false);
  expect(seshet.output()).not.toMatch(/disconnected|connection closed/i);
  console.log(`${LINES} lines delivered in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, 420_000);
