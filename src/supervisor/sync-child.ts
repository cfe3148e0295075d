// The supervisor's syncs (at start and on SIGHUP) run in a short-lived child
// of this same program, `run --sync-only`: the supervisor itself never loads
// the configuration, the store or its driver, so it holds little more than
// the runtime (issue 16). The child logs the sync as a bot would (its stderr
// is handed on as it is) and prints the bots it found as JSON on stdout.
import { selfCommand } from "../platform/runtime.ts";
import type { SpawnedProcess, Spawner } from "../platform/spawn-process.ts";
import { streamLines } from "./control-channel.ts";

/** The end of the sync child's stdout that is kept (its answer is the last line). */
const MAX_ANSWER = 1 << 20;

export interface SyncChildResult {
  /** The child's exit code: 0 when the files were read and applied (a file with errors still counts). */
  code: number;
  /** The usable bots the child found (on success). */
  bots?: string[];
  /** Why it could not run or what it printed instead of its answer. */
  error?: string;
}

/** `args`: the directories, the store and the log settings, as `run` takes them; `started` hears the child. */
export function runSyncChild(
  spawn: Spawner,
  args: string[],
  trigger: string,
  forward: (line: string) => void,
  started: (child: SpawnedProcess) => void = () => {},
): Promise<SyncChildResult> {
  return new Promise((resolve) => {
    let stdout = "";
    const err = streamLines(forward);
    // Its stdin stays open: the child quits at its end, when this process is gone.
    const child = spawn([...selfCommand(), "run", ...args, "--sync-only", trigger], { env: { ...process.env, SESHET_SUPERVISED: "1" }, control: false }, {
      // Its answer is one short line: what it prints beyond MAX_ANSWER is dropped, so memory stays bounded.
      output: (chunk, stream) => (stream === "stdout" ? (stdout = (stdout + chunk).slice(-MAX_ANSWER)) : err(chunk)),
      control: () => {},
      exit: (code, signal, error) => {
        err("\n"); // a last line without its newline
        if (error || code !== 0) return resolve({ code: code ?? 1, error: error ?? (signal ? `killed by ${signal}` : undefined) });
        resolve(answerOf(stdout));
      },
    });
    started(child);
  });
}

function answerOf(stdout: string): SyncChildResult {
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    const answer = JSON.parse(last) as { bots?: unknown };
    if (Array.isArray(answer.bots) && answer.bots.every((b) => typeof b === "string")) return { code: 0, bots: answer.bots };
  } catch {
    // not the answer: reported below
  }
  return { code: 1, error: `the sync child printed no list of bots (${JSON.stringify(last.slice(0, 200))})` };
}
