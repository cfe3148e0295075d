// An example plugin. A plugin imports nothing: its default export's `setup`
// receives the bot's API.
//
// Reminders themselves are part of the core module now (`!in`, `!at`,
// `!every`, `!remind`); this plugin keeps the task function that reminders
// stored by its earlier versions call, so they still fire.

export default {
  name: "remind",
  setup(api: any) {
    // Declared parameters: `seshet check` refuses a task that passes too few or too many.
    api.task(
      "deliver",
      ({ args }: { args: unknown[] }) => {
        const [target, nick, text] = args as [string, string, string];
        api.say(target, `${nick}: reminder — ${text}`);
      },
      { params: ["target", "nick", "text"] },
    );
  },
};
