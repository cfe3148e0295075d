// The first Python that can import the given reference modules: SESHET_PYTHON,
// the one on PATH, or Debian's (python3-dateutil, python3-croniter,
// python3-icalendar; test/support/system-deps.sh installs them).
import { spawnSync } from "node:child_process";

export function referencePython(modules: readonly string[]): string {
  const candidates = [process.env.SESHET_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  const probe = modules.map((m) => `import ${m}`).join("; ");
  return candidates.find((py) => spawnSync(py, ["-c", probe]).status === 0) ?? "python3";
}

/** Runs a Python script with arguments; its stdout parsed as JSON. */
export function runPythonJson<T>(modules: readonly string[], script: string, args: readonly string[], input?: string): T {
  const r = spawnSync(referencePython(modules), [script, ...args], { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) {
    const pkgs = modules.map((m) => `python3-${m}`).join(" ");
    throw new Error(`cannot run ${script} (python3 with ${modules.join(", ")} is required; apt install ${pkgs}): ${r.error?.message ?? r.stderr}`);
  }
  return JSON.parse(r.stdout) as T;
}
