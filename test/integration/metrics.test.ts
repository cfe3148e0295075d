// `seshet run --metrics`: the compiled binary under its supervisor, one bot on
// a real ngircd with a task every second. /metrics parses as Prometheus text
// and its counters move as the task fires; /healthz turns 503 while ngircd is
// down and 200 again once the bot is back in its channel.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import parse from "parse-prometheus-text-format";
import { startNgircd, type Ngircd } from "../support/ngircd.ts";
import { makeProject, startSeshet, type SeshetProcess } from "../support/seshet-process.ts";

const SECRET_TEXT = "text-that-must-not-be-a-label";

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
}

let irc: Ngircd;
let project: { dir: string; remove(): void };
let seshet: SeshetProcess;
let base: string;

beforeAll(async () => {
  irc = await startNgircd();
  project = makeProject({
    "bots/probe.toml": `nick = "probe"\nchannels = ["#m"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n`,
    "tasks/t.toml": `[[task]]\nname = "tick"\nfunc = "core:say"\nargs = ["#m", "${SECRET_TEXT}"]\nstart = 2026-01-01T00:00:00\ncatchup = "skip"\nrrule = { freq = "secondly" }\n`,
  });
  seshet = startSeshet(["run", "--metrics", "127.0.0.1:0"], { cwd: project.dir });
  await seshet.waitForOutput(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/, 20_000);
  base = `http://127.0.0.1:${/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(seshet.output())![1]}`;
}, 60_000);

afterAll(async () => {
  await seshet?.stop();
  await irc?.stop();
  project?.remove();
});

async function scrape(): Promise<{ text: string; families: Map<string, Family> }> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  const text = await res.text();
  const families = new Map((parse(text) as Family[]).map((f) => [f.name, f]));
  return { text, families };
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = { bot: "probe" }): number {
  const f = families.get(name);
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  if (!m || m.value === undefined) throw new Error(`no ${name} ${JSON.stringify(labels)}`);
  return Number(m.value);
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seshet output:\n${seshet.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function health(): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/healthz`);
  return { status: res.status, text: await res.text() };
}

describe("seshet run --metrics", () => {
  test("/healthz is 200 once the bot is ready, and /metrics parses with every family", async () => {
    const h = await until("healthz 200", 30_000, async () => ((await health()).status === 200 ? await health() : undefined));
    expect(h.text).toBe("ok: 1 bot(s) ready\n");
    const { families } = await scrape();
    for (const name of [
      "seshet_bot_up",
      "seshet_bot_connected",
      "seshet_bot_ready",
      "seshet_bot_restarts_total",
      "seshet_bot_reconnects_total",
      "seshet_tasks_queued",
      "seshet_send_queue_lines",
      "seshet_send_queue_dropped_total",
      "seshet_task_runs_total",
      "seshet_task_firing_lag_seconds",
      "seshet_task_last_success_timestamp_seconds",
    ]) {
      expect(families.has(name)).toBe(true);
    }
    expect(families.get("seshet_task_firing_lag_seconds")!.type).toBe("HISTOGRAM");
    expect(value(families, "seshet_bot_connected")).toBe(1);
    expect(value(families, "seshet_bot_ready")).toBe(1);
    expect(value(families, "seshet_tasks_queued")).toBe(1);
  }, 60_000);

  test("counters move when the task fires", async () => {
    const before = await scrape();
    const okBefore = value(before.families, "seshet_task_runs_total", { bot: "probe", outcome: "ok" });
    const after = await until("two more runs", 20_000, async () => {
      const s = await scrape();
      return value(s.families, "seshet_task_runs_total", { bot: "probe", outcome: "ok" }) >= okBefore + 2 ? s : undefined;
    });
    const lag = after.families.get("seshet_task_firing_lag_seconds")!.metrics[0]!.buckets!;
    expect(Number(lag["+Inf"])).toBeGreaterThanOrEqual(okBefore + 2);
    const last = value(after.families, "seshet_task_last_success_timestamp_seconds", { bot: "probe", task: "tick" });
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(30);
    // Labels carry names, never what the task says.
    expect(after.text).not.toContain(SECRET_TEXT);
  }, 30_000);

  test("/healthz turns 503 when ngircd stops and 200 again after the rejoin", async () => {
    const reconnectsBefore = value((await scrape()).families, "seshet_bot_reconnects_total");
    await irc.stopServer();
    const down = await until("healthz 503", 30_000, async () => {
      const h = await health();
      return h.status === 503 ? h : undefined;
    });
    expect(down.text).toMatch(/^bot 'probe': (not connected to its IRC server|connected, not yet in its channels)\n$/);
    expect(value((await scrape()).families, "seshet_bot_ready")).toBe(0);
    await irc.start();
    const up = await until("healthz 200 again", 90_000, async () => {
      const h = await health();
      return h.status === 200 ? h : undefined;
    });
    expect(up.text).toBe("ok: 1 bot(s) ready\n");
    const after = (await scrape()).families;
    expect(value(after, "seshet_bot_ready")).toBe(1);
    expect(value(after, "seshet_bot_reconnects_total")).toBe(reconnectsBefore + 1);
  }, 150_000);

  test("anything else is 404, and only GET is served", async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });
});

test.each([[["--bot", "solo"]], [["--one-process"]]])("seshet run %p --metrics serves the bots of its own process, and a bad address is refused", async (mode) => {
  const solo = makeProject({ "bots/solo.toml": `nick = "solo"\nchannels = ["#m"]\n[server]\nhost = "127.0.0.1"\nport = ${irc.port}\ntls = false\n` });
  const bad = startSeshet(["run", "--metrics", "localhost:http"], { cwd: solo.dir });
  expect(await bad.exited).toBe(2);
  expect(bad.output()).toContain('--metrics must be PORT or HOST:PORT (e.g. 127.0.0.1:9464; port 0: any free port), got "localhost:http"');
  const one = startSeshet(["run", ...mode, "--metrics", "127.0.0.1:0"], { cwd: solo.dir });
  try {
    await one.waitForOutput(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/, 20_000);
    const url = `http://127.0.0.1:${/metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(one.output())![1]}`;
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${url}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`solo never became ready:\n${one.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const families = new Map((parse(await (await fetch(`${url}/metrics`)).text()) as Family[]).map((f) => [f.name, f]));
    expect(value(families, "seshet_bot_ready", { bot: "solo" })).toBe(1);
  } finally {
    await one.stop();
    solo.remove();
  }
}, 60_000);
