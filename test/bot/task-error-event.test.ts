// A whole bot on ngircd: a task function that throws reaches the log with its
// task, function and due time, and plugins listening for "taskError" get the
// TaskError with the same context and the original error as cause.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { botConfig, startInProcessBot, type InProcessBot } from "../support/in-process-bot.ts";
import type { TaskError } from "../../src/mod.ts";

let irc: Ngircd;
let b: InProcessBot;

beforeAll(async () => {
  irc = await startNgircd();
  b = await startInProcessBot(botConfig(irc.port, { name: "errbot", nick: "errbot", channels: ["#err"] }));
  await b.ready;
}, 30_000);

afterAll(async () => {
  await b?.stop();
  await irc?.stop();
}, 30_000);

test('a failing task: logged with its context and stack, and a "taskError" event for plugins', async () => {
  const seen: TaskError[] = [];
  const thrown = new Error("feed unreachable");
  const due = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  await b.bot.modules.add({
    name: "news",
    setup(api) {
      api.task("digest", () => {
        throw thrown;
      });
      api.on("taskError", (e: TaskError) => void seen.push(e));
      void api.schedule({ name: "morning", func: "news:digest", start: new Date(due) });
    },
  });
  await b.waitLog(/ERROR .*task 'morning' \(news:digest, due \S+\) failed: feed unreachable/, 10_000);
  for (let i = 0; i < 50 && seen.length === 0; i++) await Bun.sleep(20);
  expect(seen).toHaveLength(1);
  expect([seen[0]!.bot, seen[0]!.task, seen[0]!.func, seen[0]!.due, seen[0]!.phase, seen[0]!.cause]).toEqual([
    "errbot", "morning", "news:digest", due, "call", thrown,
  ]);
  expect(b.logs.join("\n")).toMatch(/caused by: Error: feed unreachable\n\s+at /);
}, 20_000);
