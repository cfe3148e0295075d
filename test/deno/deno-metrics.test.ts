// `seshet run --metrics` under Deno: the supervisor (a Deno process) serves
// what its Deno bot children report on the control pipe, and /healthz follows
// the bot to ready.
import { afterAll, beforeAll, expect, test } from "bun:test";
import parse from "parse-prometheus-text-format";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { makeProject, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";
import { DENO_SESHET, requireDeno } from "./deno-cli.ts";

let irc: Ngircd;
let project: { dir: string; remove(): void };
let sup: SeshetProcess;

beforeAll(async () => {
  requireDeno();
  irc = await startNgircd();
  project = makeProject({
    "bots/dmet.toml": `nick = "dmet"\nchannels = ["#dm"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    "tasks/t.toml": `[[task]]\nname = "beat"\nfunc = "core:say"\nargs = ["#dm", "beat"]\nstart = 2026-01-01T00:00:00\ncatchup = "skip"\nrrule = { freq = "secondly" }\n`,
  });
  sup = startSeshet(["run", "--metrics", "127.0.0.1:0"], { cwd: project.dir, command: DENO_SESHET });
  await sup.waitForOutput(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/, 30_000);
}, 60_000);

afterAll(async () => {
  await sup?.stop();
  await irc?.stop();
  project?.remove();
});

test("the Deno supervisor serves its Deno bot's counters, and /healthz turns 200 once it is ready", async () => {
  const base = `http://127.0.0.1:${/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(sup.output())![1]}`;
  const deadline = Date.now() + 45_000;
  let ok = 0;
  while (ok < 2) {
    if (Date.now() > deadline) throw new Error(`no ready bot with two runs:\n${sup.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
    if ((await fetch(`${base}/healthz`)).status !== 200) continue;
    const families = parse(await (await fetch(`${base}/metrics`)).text()) as { name: string; metrics: { value?: string; labels?: Record<string, string> }[] }[];
    const runs = families.find((f) => f.name === "seshet_task_runs_total")!.metrics.find((m) => m.labels?.outcome === "ok");
    ok = Number(runs?.value ?? 0);
  }
  expect(sup.output()).not.toContain("malformed control message");
}, 60_000);
