// `!reload MODULE` as a user tries it, on a real ngircd: edit a loaded plugin
// on disk, reload, and see the new code answer; then a syntax error and a
// throwing setup are failures (with FILE:LINE:COL) while the last good copy
// keeps answering. Shared by the compiled-binary and the Deno test files.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNgircd, type Ngircd } from "./ngircd.ts";
import { connectObserver, type IrcObserver } from "./irc-observer.ts";
import { makeProject, startSeshet, type SeshetProcess } from "./seshet-process.ts";

const plugin = (version: string, setupExtra = "") => `
export default {
  name: "extras",
  setup(api) {
    ${setupExtra}
    api.command("tip", { help: "a tip", run: ({ reply }) => reply("tip ${version}") });
  },
};
`;

export function reloadScenario(label: string, nick: string, command: () => string[]): void {
  describe(`!reload MODULE (${label})`, () => {
    let irc: Ngircd;
    let boss: IrcObserver;
    let seshet: SeshetProcess;
    let project: { dir: string; remove(): void };
    let pluginPath: string;

    let lastAsked = 0;
    /** Sends `text` to the channel and waits for the bot's answer containing `expected` (paced under the command rate limit). */
    async function ask(text: string, expected: string): Promise<string> {
      const wait = lastAsked + 2100 - Date.now();
      if (wait > 0) await Bun.sleep(wait);
      lastAsked = Date.now();
      const mark = boss.messages.length;
      boss.say("#reload", text);
      const m = await boss
        .waitFor((m) => m.from === nick && boss.messages.indexOf(m) >= mark && m.text.includes(expected), 10_000)
        .catch(() => {
          const got = boss.messages.slice(mark).map((m) => `${m.from}: ${m.text}`).join("\n");
          throw new Error(`no answer containing '${expected}' to '${text}'; got:\n${got}\nseshet said:\n${seshet.output()}`);
        });
      return m.text;
    }

    beforeAll(async () => {
      irc = await startNgircd();
      boss = await connectObserver({ port: irc.port, nick: "boss", channels: ["#reload"] });
      project = makeProject({
        [`bots/${nick}.toml`]: `nick = "${nick}"\nchannels = ["#reload"]\nadmins = ["boss!*@127.0.0.1"]\nmodules = ["plugins/extras.js"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
        "plugins/extras.js": plugin("v1"),
      });
      pluginPath = join(project.dir, "plugins", "extras.js");
      seshet = startSeshet(["run", "--bot", nick, "--db", "seshet.db"], { cwd: project.dir, command: command() });
      await boss.waitForLine((l) => new RegExp(`^:${nick}!\\S+ JOIN :?#reload`).test(l), 30_000).catch(() => {
        throw new Error(`${nick} never joined; it said:\n${seshet.output()}`);
      });
    }, 60_000);

    afterAll(async () => {
      await seshet?.stop(5000);
      await boss?.quit().catch(() => {});
      await irc?.stop();
      project?.remove();
    }, 30_000);

    test("an edited plugin answers with its new code after !reload", async () => {
      expect(await ask("!tip", "tip ")).toBe("tip v1");
      writeFileSync(pluginPath, plugin("v2"));
      await ask("!reload extras", "module 'extras' reloaded");
      expect(await ask("!tip", "tip ")).toBe("tip v2");
      writeFileSync(pluginPath, plugin("v3"));
      await ask("!reload extras", "module 'extras' reloaded");
      expect(await ask("!tip", "tip ")).toBe("tip v3");
    }, 60_000);

    test("a syntax error is reported as a failure with FILE:LINE:COL; the running copy keeps answering", async () => {
      writeFileSync(pluginPath, plugin("broken", "const x = ;"));
      const reply = await ask("!reload extras", "'reload' failed");
      expect(reply).toMatch(/plugins\/extras\.js:5:\d+: /);
      expect(reply).not.toContain("reloaded");
      await seshet.waitForOutput(/reload of 'extras' failed: \S*plugins\/extras\.js:5:\d+: /, 5000);
      expect(await ask("!tip", "tip ")).toBe("tip v3");
    }, 40_000);

    test("a setup that throws is a failure; the old copy keeps running", async () => {
      writeFileSync(pluginPath, plugin("v4", 'throw new Error("missing API key");'));
      const reply = await ask("!reload extras", "'reload' failed");
      expect(reply).toContain("the old copy keeps running: missing API key");
      expect(await ask("!tip", "tip ")).toBe("tip v3");
    }, 40_000);
  });
}
