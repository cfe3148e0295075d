// `seshet init [DIR]`: a starter project that `seshet check` accepts as is,
// with the JSON Schemas its files name in their `#:schema` line.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { configSchemaText, SCHEMA_FILES, SCHEMA_KINDS } from "../config/config-schema.ts";
import { STARTER_BOT, STARTER_TASKS } from "../config/starter-files.ts";
import { selfCommand } from "../platform/runtime.ts";
import { hiddenFromOthers } from "./path-access.ts";
import { ENV_FILE, secretVarsIn, serviceUnit, UNIT_FILE } from "./service-unit.ts";

const FILES: readonly (readonly [string, string])[] = [
  ["bots/example.toml", STARTER_BOT],
  ["tasks/example.toml", STARTER_TASKS],
];

/**
 * Creates bots/, tasks/, plugins/ and schema/ under `dir` and the example
 * files; an existing bot or task file is never touched. The schemas are
 * generated, not edited, so they are brought up to date with this binary.
 */
export async function runInit(dir: string, out: (line: string) => void, opts: { service?: boolean } = {}): Promise<number> {
  for (const sub of ["bots", "tasks", "plugins", "schema"]) await mkdir(path.join(dir, sub), { recursive: true });
  for (const [rel, text] of FILES) await writeNew(path.join(dir, rel), text, out);
  for (const kind of SCHEMA_KINDS) await writeSchema(path.join(dir, SCHEMA_FILES[kind]), configSchemaText(kind), out);
  if (opts.service) return writeService(dir, out);
  out(`next: cd ${dir} && seshet check && seshet run --console`);
  return 0;
}

/** "wx" fails if the file exists, so there is no window between a check and the write. */
async function writeNew(file: string, text: string, out: (line: string) => void): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: "wx" });
    out(`created ${file}`);
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code !== "EEXIST") throw err;
    out(`${file} exists, left as is`);
    return false;
  }
}

/** `seshet.service` for this project and this very binary, and how to install it. */
async function writeService(dir: string, out: (line: string) => void): Promise<number> {
  const projectDir = path.resolve(dir);
  const command = selfCommand().map((p, i) => (i === 0 || p.includes("/") ? path.resolve(p) : p));
  const botFiles = (await readdir(path.join(projectDir, "bots"))).filter((f) => f.endsWith(".toml"));
  const texts = await Promise.all(botFiles.map((f) => readFile(path.join(projectDir, "bots", f), "utf8")));
  const secretVars = secretVarsIn(texts);
  const file = path.join(projectDir, UNIT_FILE);
  if (!(await writeNew(file, serviceUnit({ command, projectDir, secretVars }), out))) return 0;
  // DynamicUser runs the service as a user that is not you: it must be able to reach the binary and the project.
  for (const p of [command[0]!, ...command.slice(1).filter((a) => a.includes("/")), projectDir]) {
    const hidden = await hiddenFromOthers(p);
    if (hidden) out(`warning: ${hidden} is not readable by other users, so the service (DynamicUser) cannot use ${p}; put the binary and the project under e.g. /opt or /srv`);
  }
  if (/^\/(var\/)?tmp(\/|$)/.test(projectDir)) out(`warning: the service has a private /tmp (PrivateTmp=yes), so it cannot see ${projectDir}; move the project to e.g. /srv/seshet`);
  out("install it:");
  out(`  sudo cp ${file} /etc/systemd/system/${UNIT_FILE}`);
  if (secretVars.length > 0) out(`  sudo install -D -m 0600 /dev/null ${ENV_FILE} && sudoedit ${ENV_FILE}   # ${secretVars.map((v) => `${v}=…`).join(", ")}`);
  out("  sudo systemctl daemon-reload && sudo systemctl enable --now seshet");
  return 0;
}

async function writeSchema(file: string, text: string, out: (line: string) => void): Promise<void> {
  const old = await readFile(file, "utf8").catch(() => undefined);
  if (old === text) return;
  await writeFile(file, text);
  out(`${old === undefined ? "created" : "updated"} ${file} (editor schema for Taplo / Even Better TOML)`);
}
