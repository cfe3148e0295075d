// Writing a line to stderr. Under Bun `console.error` writes a string as it
// is, natively; `process.stderr` is a Node stream whose first use loads
// Node's stream and tty modules, ~8 MB a process holds for good (measured on
// compiled binaries: 26.0 MB with console.error, 33.7 MB with
// process.stderr). The supervisor writes nothing else, so there it matters.
import { runtime } from "./runtime.ts";

/** Writes `line` and a newline to stderr. */
export const writeStderrLine: (line: string) => void =
  runtime === "bun" ? (line) => console.error(line) : (line) => void process.stderr.write(line + "\n");
