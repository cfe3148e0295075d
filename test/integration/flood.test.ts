// Many lines produced at once reach the channel in order, and the bot stays
// connected under ngIRCd's default penalties (which admit ~2.5 lines/s).
//
// The two facts are proven apart, so the default run stays short: the order
// of 500 lines against an ngIRCd whose penalties are off (the bot's own flood
// control at a high rate), and staying connected with a short burst against
// the default penalties at a rate above what they admit. SESHET_SLOW_TESTS=1
// also runs the original: 500 lines at the default penalties (~200 s).
import { afterEach, expect, test } from "bun:test";
import { startNgircd, type Ngircd, type NgircdOptions } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";

const SLOW = process.env.SESHET_SLOW_TESTS === "1";

const plugin = (lines: number) => `
export default {
  name: "burst",
  setup(api) {
    api.task("many", ({ args }) => { for (let i = 1; i <= ${lines}; i++) api.say(args[0], "line " + i); });
  },
};
`;

let irc: Ngircd | undefined;
let observer: IrcObserver | undefined;
let seshet: SeshetProcess | undefined;
let project: { dir: string; remove(): void } | undefined;

afterEach(async () => {
  await seshet?.stop();
  await observer?.quit().catch(() => {});
  await irc?.stop();
  project?.remove();
  [irc, observer, seshet, project] = [undefined, undefined, undefined, undefined];
}, 30_000);

/** Starts ngIRCd and the bot; the burst task fires 4 s later. Returns when the last line arrived. */
async function flood(lines: number, rate: number, server: NgircdOptions, timeoutMs: number): Promise<void> {
  irc = await startNgircd(server);
  observer = await connectObserver({ port: irc.port, nick: "counter", channels: ["#flood"] });
  project = makeProject({
    "bots/floody.toml": `nick = "floody"\nchannels = ["#flood"]\nmodules = ["plugins/burst.js"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n[flood]\nburst = 5\nrate = ${rate}\n`,
    "plugins/burst.js": plugin(lines),
    "tasks/burst.toml": `[[task]]\nname = "burst"\nfunc = "burst:many"\nargs = ["#flood"]\nstart = ${utcLocal(Date.now() + 4000)}\ntz = "UTC"\n`,
  });
  seshet = startSeshet(["run", "--bot", "floody", "--db", "seshet.db"], { cwd: project.dir });
  const started = Date.now();
  await observer.waitFor((m) => m.from === "floody" && m.text === `line ${lines}`, timeoutMs);
  console.log(`${lines} lines at rate ${rate} delivered in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function expectAllInOrderConnected(lines: number): void {
  const got = observer!.messages.filter((m) => m.from === "floody").map((m) => m.text);
  expect(got).toEqual(Array.from({ length: lines }, (_, i) => `line ${i + 1}`));
  expect(observer!.lines.some((l) => /floody.*(Excess Flood|QUIT)/i.test(l.line))).toBe(false);
  expect(seshet!.output()).not.toMatch(/disconnected|connection closed/i);
}

test("500 lines queued at once all arrive, in order (server penalties off, the bot's flood control at 50 lines/s)", async () => {
  await flood(500, 50, { maxPenaltyTime: 0 }, 60_000);
  expectAllInOrderConnected(500);
}, 90_000);

test("a burst above what ngIRCd's default penalties admit: all arrive, in order, without a disconnect", async () => {
  // rate 3 is above what ngIRCd admits, so the server's own throttling is exercised too.
  await flood(40, 3, {}, 60_000);
  expectAllInOrderConnected(40);
}, 90_000);

test.skipIf(!SLOW)("500 lines at ngIRCd's default penalties (SESHET_SLOW_TESTS=1)", async () => {
  await flood(500, 3, {}, 400_000);
  expectAllInOrderConnected(500);
}, 420_000);
