// `seshet init [DIR]`: a starter project that `seshet check` accepts as is.
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { STARTER_BOT, STARTER_TASKS } from "../config/starter-files.ts";

const FILES: readonly (readonly [string, string])[] = [
  ["bots/example.toml", STARTER_BOT],
  ["tasks/example.toml", STARTER_TASKS],
];

/** Creates bots/, tasks/ and plugins/ under `dir` and the example files; an existing file is never touched. */
export async function runInit(dir: string, out: (line: string) => void): Promise<number> {
  for (const sub of ["bots", "tasks", "plugins"]) await mkdir(path.join(dir, sub), { recursive: true });
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
  out(`next: cd ${dir} && seshet check && seshet run --console`);
  return 0;
}
