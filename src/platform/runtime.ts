// The only place that asks which runtime we are on. Everything else calls these.
declare const Bun: { version: string } | undefined;
declare const Deno: { version: { deno: string } } | undefined;

export const runtime: "bun" | "deno" | "node" =
  typeof Bun !== "undefined" ? "bun" : typeof Deno !== "undefined" ? "deno" : "node";

/** Whether this is the compiled binary: its modules sit in Bun's embedded file system. */
export const compiled = runtime === "bun" && /\$bunfs|~BUN/.test(import.meta.url);

export function runtimeVersion(): string {
  if (typeof Bun !== "undefined") return `bun ${Bun.version}`;
  if (typeof Deno !== "undefined") return `deno ${Deno.version.deno}`;
  return `node ${process.versions.node}`;
}

/**
 * The command line that starts this same program again: the compiled binary
 * alone, or the runtime plus the entry script (with Deno's permission flag).
 */
export function selfCommand(): string[] {
  const script = process.argv[1];
  if (compiled) return [process.execPath];
  if (runtime === "deno") return [process.execPath, "run", "-A", script!];
  return [process.execPath, script!];
}
