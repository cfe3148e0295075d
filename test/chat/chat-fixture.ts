// A bot on a real ngircd for the chat scheduling tests: run from source in a
// temp project, with users who speak to it and its store opened beside it.
import { join } from "node:path";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { connectObserver, type IrcObserver, type ObservedMessage } from "../support/irc-observer.ts";
import { makeProject, ROOT, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";
import { openKyselyStore } from "../../src/store/open-store.ts";
import type { KyselyTaskStore } from "../../src/store/kysely-task-store.ts";

export const BOT = "chatbot";
export { paced };
export const CHANNEL = "#chat";

export interface ChatWorld {
  irc: Ngircd;
  project: { dir: string; remove(): void };
  seshet: SeshetProcess;
  /** Starts the bot (again, after stop()) and waits until it is in the channel. */
  startBot(): Promise<void>;
  store(): Promise<KyselyTaskStore>;
  close(): Promise<number | null>;
}

/**
 * The bot's command budget (burst 5, then one per 2 s), kept to with room to
 * spare. It is per host, and every test user comes from 127.0.0.1: one budget.
 */
const budget = { tokens: 4, at: Date.now() };
async function paced(_who: IrcObserver): Promise<void> {
  const b = budget;
  b.tokens = Math.min(4, b.tokens + (Date.now() - b.at) / 2200);
  b.at = Date.now();
  if (b.tokens < 1) {
    await Bun.sleep((1 - b.tokens) * 2200);
    b.tokens = 1;
    b.at = Date.now();
  }
  b.tokens -= 1;
}

/** Says `text` as `who` (in `where`, default the channel) and waits for the bot's next reply matching `pred`. */
export async function ask(
  who: IrcObserver,
  text: string,
  pred: (m: ObservedMessage) => boolean = (m) => m.text.startsWith(`${who.nick}: `) || /^#\d+: /.test(m.text),
  where = CHANNEL,
  timeoutMs = 10_000,
): Promise<ObservedMessage> {
  await paced(who);
  const seen = who.messages.length;
  who.say(where, text);
  return who.waitFor((m) => who.messages.indexOf(m) >= seen && m.from === BOT && pred(m), timeoutMs);
}

export async function startChatWorld(botExtra: string[] = [], tasks = ""): Promise<ChatWorld> {
  const irc = await startNgircd();
  const project = makeProject({
    [`bots/${BOT}.toml`]: [
      `nick = "${BOT}"`,
      `channels = ["${CHANNEL}"]`,
      `admins = ["boss!*@*"]`,
      `tz = "UTC"`,
      ...botExtra,
      `[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    ].join("\n"),
    "tasks/file.toml": tasks,
  });
  const world: ChatWorld = {
    irc,
    project,
    seshet: undefined as unknown as SeshetProcess,
    async startBot() {
      const watcher = await connectObserver({ port: irc.port, nick: `w${Date.now() % 100000}`, channels: [CHANNEL] });
      try {
        world.seshet = startSeshet(["run", "--bot", BOT, "--db", "seshet.db"], {
          cwd: project.dir,
          command: [process.execPath, join(ROOT, "src/cli.ts")],
        });
        await watcher.waitForLine((l) => new RegExp(`^:${BOT}!\\S+ JOIN :?${CHANNEL}`).test(l), 30_000).catch(() => {
          throw new Error(`bot never joined; it said:\n${world.seshet.output()}`);
        });
      } finally {
        await watcher.quit();
      }
    },
    store: () => openKyselyStore(join(project.dir, "seshet.db")),
    async close() {
      const code = await world.seshet?.stop();
      await irc.stop();
      project.remove();
      return code;
    },
  };
  return world;
}
