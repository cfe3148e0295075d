// The floor under the soak run: bench/floor/bot-floor.ts with `--fire` (a
// claim and a run row in one SQLite transaction, a line to the channel and
// the zone maths, every second, with no Seshet code), started beside the
// bot so both are measured over the same minutes.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { IrcObserver } from "../test/support/irc-observer.ts";
import { BENCH_CHANNEL } from "./bench-project.ts";
import { floorBinaries } from "./floor-binaries.ts";

export interface FiringFloor {
  pid: number;
  stop(): Promise<void>;
}

export async function startFiringFloor(port: number, observer: IrcObserver, dir: string): Promise<FiringFloor> {
  const { bot } = await floorBinaries();
  const nick = "floorfire";
  const child = spawn(bot, ["127.0.0.1", String(port), nick, BENCH_CHANNEL, join(dir, "floor.db"), "--fire"], { stdio: ["ignore", "ignore", "pipe"] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    process.kill(child.pid!, "SIGTERM");
    await gone;
  };
  try {
    await observer.waitForLine((l) => l.startsWith(`:${nick}!`) && l.includes(" JOIN "), 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, stop };
}
