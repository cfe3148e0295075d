// Reminders are part of the core module now (`!in`, `!at`, `!every`,
// `!remind`); this plugin keeps the task function that reminders stored by
// its earlier versions call, so they still fire. For a fuller example plugin,
// see plugins/seen.ts.
//
// A plugin needs no imports at run time; the types come from the package with
// `import type`, which is erased when the file loads.
import type { BotApi, ModuleDefinition, TaskCall } from "seshet";

const plugin: ModuleDefinition = {
  name: "remind",
  setup(api: BotApi) {
    // Declared parameters: `seshet check` refuses a task that passes too few or too many.
    api.task(
      "deliver",
      ({ args }: TaskCall) => {
        const [target, nick, text] = args.map(String) as [string, string, string];
        api.say(target, `${nick}: reminder — ${text}`);
      },
      { params: ["target", "nick", "text"] },
    );
  },
};

export default plugin;
