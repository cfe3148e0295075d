// An example plugin: `!seen NICK` says when NICK last spoke in a channel, and
// the task function `seen:digest.daily` (a dotted name: `digest.daily` inside
// the module `seen`) posts how many people spoke since the last digest.
//
// A plugin needs no imports at run time: its default export's `setup`
// receives the bot's API. The types come from the package with `import type`,
// which is erased when the file is loaded, so the file loads the same way
// from source, from the compiled binary and under Deno.
import type { BotApi, CommandContext, IncomingMessage, ModuleDefinition, TaskCall } from "seshet";

/** Nicks remembered at most: the oldest is forgotten first, so memory stays bounded. */
const MAX_NICKS = 1000;

interface Sighting {
  nick: string;
  channel: string;
  at: number;
}

const plugin: ModuleDefinition = {
  name: "seen",
  setup(api: BotApi) {
    const seen = new Map<string, Sighting>();
    let speakersSinceDigest = new Set<string>();

    api.on("message", (m: IncomingMessage) => {
      if (m.isPrivate) return;
      const key = m.nick.toLowerCase();
      seen.delete(key); // re-inserted last: the Map keeps the most recent at the end
      seen.set(key, { nick: m.nick, channel: m.target, at: Date.now() });
      if (seen.size > MAX_NICKS) seen.delete(seen.keys().next().value!);
      if (speakersSinceDigest.size < MAX_NICKS) speakersSinceDigest.add(key);
    });

    api.command("seen", {
      help: "says when someone last spoke in a channel here, e.g. seen alice",
      usage: "seen NICK",
      run({ args, reply, message }: CommandContext) {
        const nick = args[0];
        if (!nick) return reply(`usage: seen NICK`);
        const s = seen.get(nick.toLowerCase());
        if (!s) return reply(`${message.nick}: I have not seen ${nick} speak`);
        reply(`${message.nick}: ${s.nick} last spoke in ${s.channel} ${ago(Date.now() - s.at)} ago`);
      },
    });

    api.task("digest.daily", ({ args }: TaskCall) => {
      const channel = args[0];
      if (typeof channel !== "string") throw new Error("argument 1 (channel) must be a string");
      const n = speakersSinceDigest.size;
      speakersSinceDigest = new Set();
      api.say(channel, n === 0 ? "nobody spoke since the last digest" : `${n} ${n === 1 ? "person" : "people"} spoke since the last digest`);
    });
  },
};

export default plugin;

function ago(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
