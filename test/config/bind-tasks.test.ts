import { expect, test } from "bun:test";
import { bindTasks } from "../../src/config/bind-tasks.ts";
import type { BotConfig, TaskDefinition } from "../../src/config/config-types.ts";

function bot(name: string, tz: string): BotConfig {
  return {
    name,
    file: `bots/${name}.toml`,
    nick: name,
    altNicks: [],
    username: name,
    realname: "r",
    channels: [],
    admins: [],
    prefix: "!",
    tz,
    tick: 1,
    modules: [],
    server: { host: "h", port: 6667, tls: false, verifyTls: true },
    flood: { burst: 5, rate: 0.5 },
    outboxLimit: 1000,
  };
}

function task(name: string, file: string, index: number, botName: string | null, tz: string | null): TaskDefinition {
  return {
    name,
    bot: botName,
    func: "core:say",
    args: ["#a"],
    kwargs: {},
    start: "2026-11-30T09:00:00",
    tz,
    catchup: "once",
    rrule: null,
    loc: { file, line: 1 + index * 4, col: 1 },
    index,
  };
}

test("one bound task per (bot, task), in declaration order, zones resolved", () => {
  const bots = [bot("libera", "Europe/Berlin"), bot("oftc", "UTC")];
  const tasks = [
    task("everywhere", "tasks/a.toml", 0, null, null),
    task("berlin-only", "tasks/a.toml", 1, "libera", "America/New_York"),
    task("oftc-only", "tasks/b.toml", 0, "oftc", null),
    task("gone", "tasks/b.toml", 1, "nobot", null),
  ];
  const bound = bindTasks(bots, tasks);
  expect(bound.map((b) => [b.bot, b.name, b.tz, b.order, b.origin])).toEqual([
    ["libera", "everywhere", "Europe/Berlin", 0, "tasks/a.toml"],
    ["oftc", "everywhere", "UTC", 0, "tasks/a.toml"],
    ["libera", "berlin-only", "America/New_York", 1, "tasks/a.toml"],
    ["oftc", "oftc-only", "UTC", 2, "tasks/b.toml"],
  ]);
  expect(bound[0]).toEqual({
    bot: "libera",
    name: "everywhere",
    func: "core:say",
    args: ["#a"],
    kwargs: {},
    start: "2026-11-30T09:00:00",
    tz: "Europe/Berlin",
    catchup: "once",
    rrule: null,
    origin: "tasks/a.toml",
    order: 0,
  });
});

test("a bot with an empty tz falls back to UTC", () => {
  const [b] = bindTasks([bot("x", "")], [task("t", "tasks/a.toml", 0, null, null)]);
  expect(b?.tz).toBe("UTC");
});
