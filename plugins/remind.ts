// An example plugin: `!remind 10m stretch your legs` answers in 10 minutes.
// A plugin imports nothing: its default export's `setup` receives the bot's API.
// Reminders are stored (persist: true), so they survive a restart.

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MAX_SECONDS = 366 * 86400;

export default {
  name: "remind",
  setup(api: any) {
    let serial = 0;

    api.task("deliver", ({ args }: { args: unknown[] }) => {
      const [target, nick, text] = args as [string, string, string];
      api.say(target, `${nick}: reminder — ${text}`);
    });

    api.command("remind", {
      help: "reminds you of something later, e.g. remind 10m stretch your legs",
      usage: "remind DURATION TEXT (DURATION like 90s, 10m, 2h, 1d, or 1h30m)",
      async run({ args, rest, reply, message }: any) {
        const seconds = parseDuration(args[0] ?? "");
        const text = rest.slice((args[0] ?? "").length).trim();
        if (seconds === null || !text) return reply("usage: remind DURATION TEXT, e.g. remind 10m stretch your legs");
        if (seconds > MAX_SECONDS) return reply("that is more than a year away; pick something sooner");
        await api.schedule({
          name: `remind-${Date.now().toString(36)}-${++serial}`,
          func: "remind:deliver",
          args: [message.replyTarget, message.nick, text],
          start: new Date(Date.now() + seconds * 1000),
          tz: "UTC",
          persist: true,
        });
        reply(`${message.nick}: okay, in ${args[0]}`);
      },
    });
  },
};

function parseDuration(text: string): number | null {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return null;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * UNITS[u!]!, 0);
}
