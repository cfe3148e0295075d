// `seshet init [DIR]`: a starter project that `seshet check` accepts as is,
// with the JSON Schemas its files name in their `#:schema` line.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { configSchemaText, SCHEMA_FILES, SCHEMA_KINDS } from "../config/config-schema.ts";
import { STARTER_BOT, STARTER_TASKS } from "../config/starter-files.ts";

const FILES: readonly (readonly [string, string])[] = [
  ["bots/example.toml", STARTER_BOT],
  ["tasks/example.toml", STARTER_TASKS],
];

/**
 * Creates bots/, tasks/, plugins/ and schema/ under `dir` and the example
 * files; an existing bot or task file is never touched. The schemas are
 * generated, not edited, so they are brought up to date with this binary.
 */
export async function runInit(dir: string, out: (line: string) => void): Promise<number> {
  for (const sub of ["bots", "tasks", "plugins", "schema"]) await mkdir(path.join(dir, sub), { recursive: true });
  for (const [rel, text] of FILES) {
    const file = path.join(dir, rel);
    try {
      // "wx" fails if the file exists, so there is no window between a check and the write.
      await writeFile(file, text, { flag: "wx" });
      out(`created ${file}`);
    } catch (err) {
      if ((err as { code?: unknown }).code !== "EEXIST") throw err;
      out(`${file} exists, left as is`);
    }
  }
  for (const kind of SCHEMA_KINDS) await writeSchema(path.join(dir, SCHEMA_FILES[kind]), configSchemaText(kind), out);
  out(`next: cd ${dir} && seshet check && seshet run --console`);
  return 0;
}

async function writeSchema(file: string, text: string, out: (line: string) => void): Promise<void> {
  const old = await readFile(file, "utf8").catch(() => undefined);
  if (old === text) return;
  await writeFile(file, text);
  out(`${old === undefined ? "created" : "updated"} ${file} (editor schema for Taplo / Even Better TOML)`);
}
