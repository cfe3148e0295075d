// The supervisor's control channel is a pipe of its own (fd 3), for the
// compiled binary, Bun from source and Deno: a plugin printing a control message on
// stdout is logged as output and acted on by nobody, while a real sync in one
// bot (`!reloadtasks`) still reaches the other, which then fires the new task.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver } from "../support/irc-observer.ts";
import { ensureBinary, makeProject, startSeshet, utcLocal, type SeshetProcess } from "../support/seshet-process.ts";
import { BUN_SESHET, DENO_SESHET, requireDeno } from "../deno/deno-cli.ts";

const FAKE = '{"type":"synced","added":9,"changed":0,"retired":0,"errors":0}';
// Prints what used to be taken for a control message, at setup and on a timer.
const NOISY_PLUGIN = `
export default {
  name: "noisy",
  setup(api) {
    console.log(${JSON.stringify(FAKE)});
    const t = setInterval(() => console.log(${JSON.stringify(FAKE)}), 300);
    return undefined;
  },
};
`;

const bot = (nick: string, port: number, modules: string[]) =>
  `nick = "${nick}"\nchannels = ["#ctl"]\nadmins = ["boss!*@127.0.0.1"]\nmodules = ${JSON.stringify(modules)}\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`;

let irc: Ngircd;
let boss: IrcObserver;
const running: SeshetProcess[] = [];
const projects: { remove(): void }[] = [];

beforeAll(async () => {
  irc = await startNgircd();
  boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#ctl"] });
}, 30_000);

afterAll(async () => {
  for (const p of running) await p.stop(5000);
  await boss?.quit().catch(() => {});
  await irc?.stop();
  for (const p of projects) p.remove();
}, 30_000);

const runtimes: [string, () => string[], string][] = [
  ["compiled binary", () => [ensureBinary()], "bin"],
  ["Bun from source", () => BUN_SESHET, "src"],
  ["Deno", () => (requireDeno(), DENO_SESHET), "deno"],
];

describe.each(runtimes)("control channel (%s)", (_label, command, tag) => {
  const alpha = `${tag}alpha`;
  const beta = `${tag}beta`;
  let sup: SeshetProcess;
  let dir: string;

  beforeAll(async () => {
    const project = makeProject({
      [`bots/${alpha}.toml`]: bot(alpha, irc.port, ["plugins/noisy.js"]),
      [`bots/${beta}.toml`]: bot(beta, irc.port, []),
      "plugins/noisy.js": NOISY_PLUGIN,
    });
    projects.push(project);
    dir = project.dir;
    sup = startSeshet(["run", "--db", "seshet.db"], { cwd: dir, command: command() });
    running.push(sup);
    for (const nick of [alpha, beta]) {
      await boss.waitForLine((l) => new RegExp(`^:${nick}!\\S+ JOIN :?#ctl`).test(l), 30_000).catch(() => {
        throw new Error(`${nick} never joined; seshet said:\n${sup.output()}`);
      });
    }
  }, 60_000);

  test("a plugin's JSON on stdout is logged as the bot's output, never taken as a control message", async () => {
    await sup.waitForOutput(new RegExp(`${alpha} \\| stdout: \\{"type":"synced"`), 10_000);
    await Bun.sleep(1000); // several more prints
    expect(sup.output()).not.toMatch(/synced the task files; telling the other bots/);
    expect(sup.output()).not.toMatch(/queue rebuilt from the store/);
  }, 20_000);

  test("a real sync in one bot reaches the other over the control pipe: it fires the new task", async () => {
    const due = Math.ceil(Date.now() / 1000) * 1000 + 4000; // task files give whole seconds
    writeFileSync(
      join(dir, "tasks", "added.toml"),
      `[[task]]\nname = "added"\nbot = "${beta}"\nfunc = "core:say"\nargs = ["#ctl", "added by ${alpha}'s sync"]\nstart = ${utcLocal(due)}\ntz = "UTC"\n`,
    );
    boss.say(alpha, "!reloadtasks");
    await sup.waitForOutput(new RegExp(`bot '${alpha}' synced the task files; telling the other bots`), 15_000);
    await sup.waitForOutput(new RegExp(`\\[${beta}\\] queue rebuilt from the store`), 15_000);
    const m = await boss.waitFor((m) => m.from === beta && m.text === `added by ${alpha}'s sync`, 20_000).catch(() => {
      throw new Error(`${beta} did not fire the new task; seshet said:\n${sup.output()}`);
    });
    expect(m.at).toBeGreaterThanOrEqual(due);
  }, 40_000);
});
