// ModuleRegistry.reload against real plugin files: the file's current text is
// loaded (the runtime's module cache does not hide an edit), the new copy is
// set up before the old one goes, and failures are failures with FILE:LINE:COL.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventDispatcher } from "../../src/modules/event-dispatcher.ts";
import { ModuleRegistry } from "../../src/modules/module-registry.ts";
import { PluginError, importPlugin } from "../../src/modules/plugin-loader.ts";
import type { BotApi } from "../../src/modules/module-types.ts";
import { memoryLogger } from "../support/memory-logger.ts";
import { tempDir } from "../store/store-fixtures.ts";

/** A plugin whose command answers `text`, whose "ping" handler records `text`, and whose teardown is recorded. */
const plugin = (text: string, extra = "") => `
export default {
  name: "extras",
  setup(api) {
    ${extra}
    api.command("say", { help: "says", run: ({ reply }) => reply(${JSON.stringify(text)}) });
    api.task("tip", () => globalThis.__calls.push("tip:" + ${JSON.stringify(text)}));
    api.on("ping", () => globalThis.__calls.push("ping:" + ${JSON.stringify(text)}));
  },
  teardown() {
    globalThis.__calls.push("teardown:" + ${JSON.stringify(text)});
  },
};
`;

declare global {
  var __calls: string[];
}

let tmp: { dir: string; remove(): void };
let file: string;
let registry: ModuleRegistry;
let dispatcher: EventDispatcher;

async function say(): Promise<string | undefined> {
  let said: string | undefined;
  await registry.command("say")?.run({ reply: (t: string) => void (said = t) } as never);
  return said;
}

beforeEach(async () => {
  globalThis.__calls = [];
  tmp = tempDir("seshet-registry-");
  file = join(tmp.dir, "extras.ts");
  writeFileSync(file, plugin("one"));
  dispatcher = new EventDispatcher(() => {});
  const api = (_name: string, hooks: { command: BotApi["command"]; task: BotApi["task"]; on: (e: string, h: (p: unknown) => void) => void }) =>
    ({ command: hooks.command, task: hooks.task, on: hooks.on }) as unknown as BotApi;
  registry = new ModuleRegistry(dispatcher, api, memoryLogger().log);
  await registry.loadFile(file);
});

afterEach(() => tmp.remove());

describe("ModuleRegistry.reload", () => {
  test("an edited file is loaded as it is now: command, task and handler are the new ones, the old copy torn down", async () => {
    expect(await say()).toBe("one");
    writeFileSync(file, plugin("two"));
    await registry.reload("extras");
    expect(await say()).toBe("two");
    await registry.resolveTask("extras:tip")!({ args: [], kwargs: {}, task: { name: "t", due: 0 } });
    await dispatcher.emit("ping", {});
    expect(globalThis.__calls).toEqual(["teardown:one", "tip:two", "ping:two"]);
    writeFileSync(file, plugin("three"));
    await registry.reload("extras");
    expect(await say()).toBe("three");
    expect(dispatcher.listenerCount("ping")).toBe(1);
  });

  test("the copy it imports from is gone afterwards, and so are copies a killed process left", async () => {
    writeFileSync(join(tmp.dir, ".extras.ts.reload-999999999-3.ts"), "left by a process killed mid-import");
    writeFileSync(join(tmp.dir, `.extras.ts.reload-${process.pid}-999.ts`), "a live process's own");
    writeFileSync(file, plugin("two"));
    await registry.reload("extras");
    expect(readdirSync(tmp.dir).sort()).toEqual([`.extras.ts.reload-${process.pid}-999.ts`, "extras.ts"]);
  });

  test("a syntax error is a failure with FILE:LINE:COL, and the old copy keeps running", async () => {
    writeFileSync(file, plugin("two").replace('api.command("say"', "const x = ;\n    api.command(\"say\""));
    const error = await registry.reload("extras").catch((e) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).lines()).toEqual([`${file}:6:15: Unexpected ;`]);
    expect(await say()).toBe("one");
    expect(globalThis.__calls).toEqual([]); // no teardown of the running copy
  });

  test("a setup that throws leaves the old copy running, with nothing of the new one registered", async () => {
    writeFileSync(file, plugin("two", 'api.on("ping", () => globalThis.__calls.push("half-set-up"));\n    throw new Error("no API key");'));
    const error = await registry.reload("extras").catch((e) => e);
    expect(String(error.message)).toContain("the new copy of 'extras' failed in setup, the old copy keeps running: no API key");
    expect(await say()).toBe("one");
    await dispatcher.emit("ping", {});
    expect(globalThis.__calls).toEqual(["ping:one"]);
  });

  test("a file that now names another module is refused; the old copy stays", async () => {
    writeFileSync(file, plugin("two").replace('name: "extras"', 'name: "other"'));
    await expect(registry.reload("extras")).rejects.toThrow(/now defines module 'other'/);
    expect(await say()).toBe("one");
  });

  test("a missing file is refused; unknown and built-in modules are named in the error", async () => {
    await expect(registry.reload("nope")).rejects.toThrow(/no module named 'nope' \(loaded: extras\)/);
    tmp.remove();
    await expect(registry.reload("extras")).rejects.toThrow(/no such file/);
    expect(await say()).toBe("one");
  });
});

describe("plugin load errors carry FILE:LINE:COL for each error", () => {
  test("several errors in one file (Bun: 'N errors building'): one positioned line each", async () => {
    const bad = join(tmp.dir, "bad.ts");
    writeFileSync(bad, 'const a = 1;\nconst a = 2;\nlet b = 1;\nlet b = 2;\nexport default { name: "bad", setup() {} };\n');
    const error = (await importPlugin(bad).catch((e) => e)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.lines().length).toBeGreaterThanOrEqual(1);
    for (const line of error.lines()) expect(line).toMatch(new RegExp(`^${bad}:\\d+:\\d+: .*already been declared`));
    expect(error.lines()[0]).toMatch(new RegExp(`^${bad}:2:7: `));
    if (error.lines().length > 1) expect(error.message).toContain(`(and ${error.lines().length - 1} more error`);
  });

  test("an import that cannot be resolved points at the import", async () => {
    const bad = join(tmp.dir, "imports.ts");
    writeFileSync(bad, 'import helper from "./missing-helper.ts";\nexport default { name: "imports", setup() { helper(); } };\n');
    const error = (await importPlugin(bad).catch((e) => e)) as PluginError;
    expect(error.lines()).toHaveLength(1);
    expect(error.lines()[0]).toMatch(new RegExp(`^${bad}:1:(19|20): .*missing-helper`));
  });
});
