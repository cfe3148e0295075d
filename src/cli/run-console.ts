// `seshet run --console`: every bot in this process against the terminal.
import { createInterface } from "node:readline";
import type { BotConfig } from "../config/config-types.ts";
import type { TaskStore } from "../store/store-types.ts";
import { Bot } from "../bot/bot.ts";
import { ConsoleTransport } from "../irc/console-transport.ts";
import { onSignal } from "../platform/signals.ts";
import { onStrayError } from "../platform/stray-errors.ts";
import { StrayErrorLog } from "../bot/stray-error-log.ts";
import type { RunIo } from "./run-command.ts";
import { reportReload, type RunPaths } from "./run-reload.ts";

/** Every bot in-process against the terminal: typed lines come from an admin, sends are printed. */
export async function runConsole(configs: BotConfig[], store: TaskStore, paths: RunPaths, io: RunIo): Promise<number> {
  const transports: ConsoleTransport[] = [];
  const bots: Bot[] = [];
  for (const config of configs) {
    const transport = new ConsoleTransport(config, { write: io.out });
    transports.push(transport);
    const bot: Bot = new Bot({
      config,
      transport,
      store,
      log: io.log.child(config.name),
      paths,
      env: io.env,
      extraAdmins: ["console!console@console"],
      onSynced: () => {
        for (const other of bots) if (other !== bot) other.post({ type: "rebuild" });
      },
    });
    bots.push(bot);
  }
  // All bots share this process: a stray error is blamed on the module whose file is in its stack.
  const strays = new StrayErrorLog(io.log, (stack) => bots.map((b) => b.modules.moduleInStack(stack)).find((m) => m !== undefined));
  const offStrays = onStrayError((error, kind) => strays.report(error, kind));
  for (const bot of bots) await bot.start();
  io.out(`seshet: ${bots.length} bot(s) on the console; type a line to speak as an admin in each bot's first channel (Ctrl-D quits)`);
  await new Promise<void>((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on("line", (line) => {
      for (const t of transports) t.deliver(line);
    });
    rl.on("close", () => resolve());
    onSignal("SIGINT", () => rl.close());
    onSignal("SIGTERM", () => rl.close());
    onSignal("SIGHUP", () => void reportReload(bots[0]!, io.log));
  });
  for (const bot of bots) await bot.stop();
  offStrays();
  return 0;
}
