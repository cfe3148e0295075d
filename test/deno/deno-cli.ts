// Runs the Seshet source under Deno (the deno pinned in devDependencies, so a
// machine with only Node and npm has it after `npm install`) and, for
// comparison, under the Bun that runs the tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/seshet-process.ts";

export const DENO = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "deno.cmd" : "deno");
export const CLI = join(ROOT, "src", "cli.ts");
/** `seshet` under Deno, as the README tells users to run it. */
export const DENO_SESHET = [DENO, "run", "-A", CLI];
/** `seshet` under Bun from source. */
export const BUN_SESHET = [process.execPath, CLI];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function requireDeno(): void {
  if (!existsSync(DENO)) throw new Error(`${DENO} is missing: run \`npm install\` (deno is a devDependency)`);
}

/** Runs one command to completion (bounded) in `cwd`; colours off so output compares as text. */
export function runCli(command: string[], args: string[], cwd: string): CliResult {
  const [cmd, ...pre] = command;
  const r = spawnSync(cmd!, [...pre, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
