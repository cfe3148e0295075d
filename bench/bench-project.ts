// A bot project for the benchmarks that run the compiled binary against a
// local ngircd: the bot file, optional task files, and the bot's log parsed
// back into timestamped lines.
import { makeProject } from "../test/support/seshet-process.ts";

export const BENCH_BOT = "benchbot";
export const BENCH_CHANNEL = "#bench";

export function benchProject(port: number, tasks: Record<string, string> = {}): { dir: string; remove(): void } {
  const files: Record<string, string> = {
    [`bots/${BENCH_BOT}.toml`]: `nick = "${BENCH_BOT}"\nchannels = ["${BENCH_CHANNEL}"]\nadmins = ["*!*@127.0.0.1"]\n[server]\nhost = "127.0.0.1"\nport = ${port}\ntls = false\n`,
  };
  for (const [name, text] of Object.entries(tasks)) files[`tasks/${name}`] = text;
  return makeProject(files);
}

export interface LogLine {
  at: number;
  level: string;
  text: string;
}

/** Text-format log lines (`ISO LEVEL [bot] message fields`) with their timestamps. */
export function parseLog(output: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of output.split("\n")) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\w+)\s+(.*)$/.exec(line);
    if (m) out.push({ at: Date.parse(m[1]!), level: m[2]!, text: m[3]! });
  }
  return out;
}

