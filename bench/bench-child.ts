// Runs a bench script in a fresh process and returns what it printed as JSON
// on its last stdout line. The precision and footprint sections run this way:
// the observer's arrival times must not wait on garbage collection of the
// 100,000-entry queues the queue section left in this process.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export async function benchChild<T>(script: string, args: string[]): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, ...args, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
    process.stderr.write(d);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${err.slice(-4000)}`);
  const last = out.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as T;
}
