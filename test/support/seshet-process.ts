// Runs Seshet as a user would for integration tests: the compiled binary
// (built on demand), in a temp project folder, stopped by pid in afterAll.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist", "seshet");

/** Builds dist/seshet once if it is missing (the test script builds it first). */
export function ensureBinary(): string {
  if (!existsSync(BINARY)) {
    const r = spawnSync(process.execPath, ["build.ts"], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error("bun build.ts failed");
  }
  return BINARY;
}

/** A throwaway project folder with bots/ and tasks/ written from the given files. */
export function makeProject(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "seshet-it-"));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(join(dir, "tasks"), { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SeshetProcess {
  proc: ChildProcess;
  pid: number;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM by pid, SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startSeshet(args: string[], opts: { cwd: string; env?: Record<string, string>; command?: string[] }): SeshetProcess {
  const [cmd, ...pre] = opts.command ?? [ensureBinary()];
  const proc = spawn(cmd!, [...pre, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  return {
    proc,
    pid: proc.pid!,
    output: () => out,
    exited,
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in output:\n${out}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    async stop(graceMs = 12_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      process.kill(proc.pid!, "SIGTERM");
      const timer = setTimeout(() => proc.exitCode === null && process.kill(proc.pid!, "SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Local wall time `YYYY-MM-DDTHH:MM:SS` in UTC for an instant. */
export function utcLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
