// TOML fuzzing (issue 12 item 12): seeded mutations of the valid example and
// starter bot and task files. `seshet check` must always answer with problem
// lines (FILE:LINE:COL: message, one line each, no control characters) and
// exit 1, or `ok:` and exit 0 — never throw, crash or hang (each check is
// also held to a generous time bound). Reproducible: SESHET_FUZZ_SEED
// picks the sequence (printed on failure), SESHET_FUZZ_SECONDS how long it
// runs (default 3).
import { afterAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runCheck } from "../../src/cli/check-command.ts";
import { STARTER_BOT, STARTER_TASKS } from "../../src/config/starter-files.ts";
import { ROOT } from "../support/seshet-process.ts";
import { tempProject } from "./temp-project.ts";
import { seededRandom } from "../support/seeded-random.ts";

const SEED = Number(process.env.SESHET_FUZZ_SEED ?? 1212);
const SECONDS = Number(process.env.SESHET_FUZZ_SECONDS ?? 3);

const rnd = seededRandom(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const BOTS = [readFileSync(path.join(ROOT, "bots/example.toml"), "utf8"), STARTER_BOT];
const TASKS = [readFileSync(path.join(ROOT, "tasks/example.toml"), "utf8"), STARTER_TASKS];
const PLUGIN = readFileSync(path.join(ROOT, "plugins/remind.ts"), "utf8");

// What a careless or hostile hand might put where a value was.
const VALUES = [
  "0", "-1", "9007199254740991", "9007199254740993", "1e309", "nan", "inf", "-0", "0x10", "1_000", "3.5",
  '""', '"0"', '"#t\\r\\nQUIT :bye"', '"\\u0000"', '"\\u001b[31m"', `"${"x".repeat(5000)}"`, '"core:sya"', '"extra:tip"',
  '"FREQ=SECONDLY;COUNT=9007199254740991"', '"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"', '"FREQ=DAILY;INTERVAL=0"',
  "[]", "[[]]", '["#t"]', '["0"]', "{}", "{ freq = \"secondly\", count = 9007199254740991 }", '{ freq = "minutely", bysetpos = [400] }',
  "2026-02-30T09:00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "2026-11-30T09:00:00Z", "2026-11-30", "09:00:00",
  "true", '"Europe/Berln"', '"UTC"', '"../../etc/passwd"', '"plugins/nope.ts"', '"é"', "'''\nmulti\n'''",
];
const SNIPPETS = ["[", "]", "[[task]]", "[server]", "=", '"', "'", "#", "\n", "\r", "\t", "\\", "{", "}", ",", ".", "\u0000", "\uFEFF", "\u00e9", "\ud800", "key = 1"];

function mutate(text: string): string {
  const lines = text.split("\n");
  const i = int(lines.length);
  switch (int(9)) {
    case 0: { // replace a value
      const line = lines[i]!;
      const eq = line.indexOf("=");
      if (eq > 0) lines[i] = `${line.slice(0, eq + 1)} ${pick(VALUES)}`;
      return lines.join("\n");
    }
    case 1: // delete a line
      lines.splice(i, 1);
      return lines.join("\n");
    case 2: // duplicate a line
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    case 3: { // insert a snippet at a random spot
      const at = int(text.length + 1);
      return text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
    }
    case 4: { // delete a few characters
      const at = int(text.length + 1);
      return text.slice(0, at) + text.slice(at + 1 + int(4));
    }
    case 5: // truncate
      return text.slice(0, int(text.length + 1));
    case 6: { // misspell a key
      const line = lines[i]!;
      const m = /^(\s*)([a-z_]+)(\s*=)/.exec(line);
      if (m) lines[i] = `${m[1]}${m[2]!.slice(0, -1) || "x"}${m[2]!.slice(-1) === "s" ? "" : "s"}${m[3]}${line.slice(m[0].length)}`;
      return lines.join("\n");
    }
    case 7: // add a key the schema does not know, or a second value for one it does
      lines.splice(i, 0, `${pick(["count", "until", "nick", "func", "args", "bot", "unknown"])} = ${pick(VALUES)}`);
      return lines.join("\n");
    default: { // a random byte, possibly invalid UTF-8 once read back
      const at = int(text.length + 1);
      return text.slice(0, at) + String.fromCharCode(int(256)) + text.slice(at);
    }
  }
}

const ISSUE = /^[^\n]*?(:\d+:\d+)?: [^\n]+$/;
const project = tempProject({ "plugins/remind.ts": PLUGIN, "bots/example.toml": "", "tasks/example.toml": "" });
afterAll(() => project.remove());

test(`check answers every mutated file with problems or ok (seed ${SEED}, ${SECONDS} s)`, async () => {
  const deadline = Date.now() + SECONDS * 1000;
  let runs = 0;
  let failing = 0;
  while (Date.now() < deadline || runs < 20) {
    let bot = pick(BOTS);
    let tasks = pick(TASKS);
    for (let n = 1 + int(3); n > 0; n--) {
      if (rnd() < 0.5) bot = mutate(bot);
      else tasks = mutate(tasks);
    }
    writeFileSync(path.join(project.botsDir, "example.toml"), bot);
    writeFileSync(path.join(project.tasksDir, "example.toml"), tasks);
    const lines: string[] = [];
    const started = Date.now();
    let code: number;
    try {
      code = await runCheck({ bots: project.botsDir, tasks: project.tasksDir }, (l) => lines.push(l), {});
    } catch (err) {
      throw new Error(`seed ${SEED}, run ${runs}: check threw ${err instanceof Error ? err.stack : String(err)}\n--- bot\n${bot}\n--- tasks\n${tasks}`);
    }
    const context = () => `seed ${SEED}, run ${runs}\n${lines.join("\n")}\n--- bot\n${bot}\n--- tasks\n${tasks}`;
    // Generous: a slow machine is fine, an unbounded expansion is not.
    if (Date.now() - started > 10_000) throw new Error(`check took ${Date.now() - started} ms: ${context()}`);
    for (const line of lines) {
      if (/[\u0000-\u001f\u007f]/.test(line)) throw new Error(`a control character in the output: ${JSON.stringify(line)}; ${context()}`);
    }
    if (code === 0) {
      const ok = lines.filter((l) => !/: warning: /.test(l));
      if (ok.length !== 1 || !ok[0]!.startsWith("ok: ")) throw new Error(`exit 0 without one ok line: ${context()}`);
    } else {
      expect(code).toBe(1);
      const last = lines[lines.length - 1] ?? "";
      if (!/^\d+ problems? found$/.test(last)) throw new Error(`exit 1 without a problem count: ${context()}`);
      for (const line of lines.slice(0, -1)) if (!ISSUE.test(line)) throw new Error(`not an issue line: ${JSON.stringify(line)}; ${context()}`);
      failing++;
    }
    runs++;
  }
  // The mutations must exercise both answers.
  expect(failing).toBeGreaterThan(0);
  expect(failing).toBeLessThan(runs);
}, SECONDS * 1000 + 60_000);
