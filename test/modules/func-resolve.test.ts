// A task's func resolves to a registered function or, along the dotted path,
// to one a plugin file exports; loaded from a real plugin file.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModuleRegistry } from "../../src/modules/module-registry.ts";
import { EventDispatcher } from "../../src/modules/event-dispatcher.ts";
import { createLogger } from "../../src/log/logger.ts";
import type { BotApi } from "../../src/modules/module-types.ts";

const PLUGIN = `
export const digest = {
  prefix: "digest",
  weekly(call) { return this.prefix + ":" + call.args[0]; },
  nested: { daily: () => "daily" },
};
export class Feeds { static refresh() { return "refreshed"; } poll() { return "instance"; } }
export function top() { return "top"; }
export default {
  name: "news",
  setup(api) {
    api.task("digest.monthly", () => "registered");
    api.task("digest.weekly", () => "registered wins");
  },
};
`;

let dir: string;
let registry: ModuleRegistry;
const call = (arg: string) => ({ args: [arg], kwargs: {}, task: { name: "t", due: 0 } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "seshet-resolve-"));
  writeFileSync(join(dir, "news.ts"), PLUGIN);
  const log = createLogger({ level: "error", write: () => {} });
  registry = new ModuleRegistry(new EventDispatcher(() => {}), (_name, hooks) => ({ task: hooks.task, command: hooks.command }) as unknown as BotApi, log);
  await registry.loadFile(join(dir, "news.ts"));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("resolving a func", () => {
  test("a function registered under a dotted name is found by it, and wins over an export", () => {
    expect(registry.resolveTask("news:digest.monthly")?.(call("x"))).toBe("registered");
    expect(registry.resolveTask("news:digest.weekly")?.(call("x"))).toBe("registered wins");
  });

  test("exported objects and classes are walked along the path; a method keeps its object", () => {
    expect(registry.resolveTask("news:digest.nested.daily")?.(call("x"))).toBe("daily");
    expect(registry.resolveTask("news:Feeds.refresh")?.(call("x"))).toBe("refreshed");
    expect(registry.resolveTask("news:top")?.(call("x"))).toBe("top");
  });

  test("nothing outside the exports' own functions resolves", () => {
    for (const ref of [
      "news:digest.prefix", // not a function
      "news:Feeds.poll", // on the prototype
      "news:digest.toString", // inherited
      "news:default.setup", // the module definition
      "news:missing.fn",
      "other:top", // no such module
      "news:digest..weekly",
    ]) {
      expect(registry.resolveTask(ref)).toBeUndefined();
    }
  });

  test("api.task refuses a name the validator refuses, and the module does not load", async () => {
    writeFileSync(join(dir, "bad.ts"), `export default { name: "bad", setup(api) { api.task("a.constructor", () => 1); } };`);
    await expect(registry.loadFile(join(dir, "bad.ts"))).rejects.toThrow("module 'bad': 'constructor' cannot be part of a function name");
    expect(registry.names()).toEqual(["news"]);
  });
});
