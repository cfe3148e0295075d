// The JSON Schemas: generated from the validators' key tables, shipped equal
// to what `seshet schema` prints, and checked with the real Taplo CLI against
// the example files, the starter files and misspelt keys.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BOT_FILE_KEYS } from "../../src/config/bot-file-keys.ts";
import { configSchema, configSchemaText, SCHEMA_FILES, SCHEMA_KINDS } from "../../src/config/config-schema.ts";
import type { KeyTable } from "../../src/config/config-keys.ts";
import { parseBotFile } from "../../src/config/parse-bot-file.ts";
import { parseTaskFile } from "../../src/config/parse-task-file.ts";
import { RRULE_PART_KEYS, TASK_KEYS } from "../../src/config/task-file-keys.ts";
import { RULE_PART_NAMES } from "../../src/scheduler/rule-parse.ts";
import { ROOT } from "../support/seshet-process.ts";
import { tempProject } from "./temp-project.ts";

const TAPLO = join(ROOT, "node_modules/.bin/taplo");
const project = tempProject();
afterAll(() => project.remove());

/** `taplo check` on files whose `#:schema` line names the schema; output without Taplo's INFO lines. */
function taplo(...files: string[]): { code: number | null; out: string } {
  const r = spawnSync(TAPLO, ["check", "--colors", "never", ...files], { cwd: ROOT, encoding: "utf8", env: { ...process.env, RUST_LOG: "warn" } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A file in the temp project that names the shipped schema, as the examples do. */
function withSchema(rel: string, kind: "bot" | "tasks", body: string): string {
  return project.write(rel, `#:schema ${join(ROOT, SCHEMA_FILES[kind])}\n${body}`);
}

describe("shipped schemas", () => {
  test.each(SCHEMA_KINDS.map((k) => [k]))("schema/%s.schema.json is what the key tables generate", (kind) => {
    expect(readFileSync(join(ROOT, SCHEMA_FILES[kind]), "utf8")).toBe(configSchemaText(kind));
  });

  test("`seshet schema` prints the same text, and refuses an unknown kind", () => {
    const cli = (kind: string) => spawnSync(process.execPath, [join(ROOT, "src/cli.ts"), "schema", kind], { encoding: "utf8" });
    expect(cli("tasks").stdout).toBe(configSchemaText("tasks"));
    const bad = cli("bots");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown kind 'bots'; use one of: bot, tasks");
  });

  test("the rrule parts in the task keys are the recurrence engine's parts", () => {
    expect(Object.keys(RRULE_PART_KEYS).sort()).toEqual([...RULE_PART_NAMES].sort());
  });
});

describe("one source of truth: every key the schema lists, the validator accepts, and the other way round", () => {
  test("every unknown-key check in src/config takes its keys from a key table (so a new key cannot bypass the schema)", () => {
    const dir = join(ROOT, "src/config");
    const literal = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/ck\.unknownKeys\(([^)]*\))/g)].map((m) => `${f}: ${m[1]}`))
      .filter((call) => !/keysOf\(/.test(call) && !/\["env"\]/.test(call)); // { env = "NAME" } is the schema's "secret" kind
    expect(literal).toEqual([]);
  });

  const unknownKeyIssues = (issues: { message: string }[]) => issues.filter((i) => i.message.includes("unknown key"));

  function tableKeys(table: KeyTable): string[] {
    return Object.keys(table);
  }

  test("bot file keys", () => {
    const schemaKeys = Object.keys((configSchema("bot").properties ?? {}) as object);
    expect(schemaKeys).toEqual(tableKeys(BOT_FILE_KEYS));
    // Every listed key, given (with a wrong value): the validator complains about values, never about an unknown key.
    const text = schemaKeys.map((k) => `${k} = 0`).join("\n");
    expect(unknownKeyIssues(parseBotFile("bots/x.toml", text, {}).issues)).toEqual([]);
    const misspelt = parseBotFile("bots/x.toml", 'nik = "x"\n', {}).issues;
    expect(unknownKeyIssues(misspelt).map((i) => i.message)).toEqual(["unknown key 'nik'; did you mean 'nick'?"]);
  });

  test("task file keys", () => {
    const items = (configSchema("tasks").properties as { task: { items: { properties: object } } }).task.items;
    const schemaKeys = Object.keys(items.properties);
    expect(schemaKeys).toEqual(tableKeys(TASK_KEYS));
    const text = `[[task]]\n${schemaKeys.map((k) => `${k} = 0`).join("\n")}\n`;
    expect(unknownKeyIssues(parseTaskFile("tasks/x.toml", text, null).issues)).toEqual([]);
    const misspelt = parseTaskFile("tasks/x.toml", '[[task]]\nname = "a"\nfunc = "core:say"\nstart = 2026-01-01\ntzz = "UTC"\n', null).issues;
    expect(misspelt.map((i) => i.message)).toEqual(["unknown key 'tzz' in [[task]] #1; did you mean 'tz'?"]);
  });
});

// Taplo takes seconds per start on a loaded machine: one run for the valid files, one for the broken ones.
describe("Taplo", () => {
  test("the example files, the starter files written by `seshet init` and files using every key validate", () => {
    const init = spawnSync(process.execPath, [join(ROOT, "src/cli.ts"), "init", join(project.dir, "fresh")], { encoding: "utf8" });
    expect(init.status).toBe(0);
    expect(init.stdout).toContain("schema/bot.schema.json");
    const starter = join(project.dir, "fresh");
    expect(readFileSync(join(starter, "bots/example.toml"), "utf8")).toStartWith("#:schema ../schema/bot.schema.json\n");
    expect(readFileSync(join(starter, "schema/tasks.schema.json"), "utf8")).toBe(configSchemaText("tasks"));
    const bot = withSchema(
      "full/bots/full.toml",
      "bot",
      `nick = "n"\nalt_nicks = ["n_"]\nchannels = ["#c"]\ntick = 0.5\noutbox_limit = 10\n` +
        `[server]\nhost = "irc.example.net"\nport = 6697\npassword = { env = "PW" }\n` +
        `[sasl]\nmechanism = "external"\n[flood]\nburst = 3\nrate = 0.5\n[replies]\nburst = 4\nqueue = 20\n`,
    );
    const tasks = withSchema(
      "full/tasks/full.toml",
      "tasks",
      `[[task]]\nname = "a"\nfunc = "core:say"\nargs = ["#c", "hi"]\nstart = 2026-01-01T09:00:00\ntz = "UTC"\ncatchup = "all"\n` +
        `exdate = [2026-01-02, 2026-01-03T09:00:00]\nrdate = [2026-02-01T10:00:00]\nbefore = ["15m", { offset = "1d", args = ["#c", "tomorrow"] }]\nlate_after = "2h"\n` +
        `[task.rrule]\nfreq = "weekly"\nbyweekday = ["MO", "-1FR"]\nbyhour = [9]\ncount = 3\n` +
        `[[task]]\nname = "b"\nfunc = "core:say"\ncron = "0 9 * * 1-5"\n` +
        `[[task]]\nname = "c"\nfunc = "core:say"\nstart = 2026-01-01\nrrule = "FREQ=DAILY"\n`,
    );
    const r = taplo("bots/example.toml", "tasks/example.toml", join(starter, "bots/example.toml"), join(starter, "tasks/example.toml"), bot, tasks);
    expect(r.out).not.toContain("error");
    expect(r.code).toBe(0);
  }, 120_000);

  test("a misspelt key (or a secret written in the file, or a wrong choice) fails, at that file", () => {
    const cases = [
      ["bot", "bots/a.toml", 'nik = "x"\n[server]\nhost = "h"\n', "'nik' was unexpected"],
      ["bot", "bots/b.toml", 'nick = "x"\n[server]\nhost = "h"\nprot = 6697\n', "'prot' was unexpected"],
      ["bot", "bots/c.toml", 'nick = "x"\n[server]\nhost = "h"\npassword = "hunter2"\n', "is not of type"],
      ["tasks", "tasks/d.toml", '[[task]]\nname = "a"\nfucn = "core:say"\nstart = 2026-01-01\n', "'fucn' was unexpected"],
      ["tasks", "tasks/e.toml", '[[task]]\nname = "a"\nfunc = "core:say"\nstart = 2026-01-01\nrrule = { freq = "daily", byhuor = 9 }\n', "byhuor"],
      ["tasks", "tasks/f.toml", '[[task]]\nname = "a"\nfunc = "core:say"\nstart = 2026-01-01\ncatchup = "sometimes"\n', "sometimes"],
    ] as const;
    const files = cases.map(([kind, rel, body]) => withSchema(`bad/${rel}`, kind, body));
    const r = taplo(...files);
    expect(r.code).not.toBe(0);
    // Taplo prints "error: MESSAGE" then the file and the source excerpt; attribute each error block to its file.
    const blocks = r.out.split(/^error: /m);
    cases.forEach(([, , , expected], i) => {
      expect({ file: files[i], found: blocks.some((b) => b.includes(files[i]!) && b.includes(expected)) }).toEqual({ file: files[i], found: true });
    });
  }, 120_000);
});
