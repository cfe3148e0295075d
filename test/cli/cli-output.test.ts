// A reader that stops early (`seshet check --verbose | head -1`) must end the
// command quietly: status 141 as SIGPIPE would give, no EPIPE stack trace.
// The CLI runs from source with its stdout on a pipe this test closes after
// the first chunk; each command writes far more than a pipe holds (64 KiB).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { CLOSED_PIPE_EXIT, outputWriter } from "../../src/cli/cli-output.ts";
import { makeProject, ROOT } from "../support/seshet-process.ts";

const BOT = `nick = "seshet"
channels = ["#chan"]
admins = ["account:admin"]
tz = "UTC"

[server]
host = "127.0.0.1"
port = 6667
`;
// 1500 tasks with long names: `check --verbose` and `ics` both write well over 64 KiB.
const TASKS = Array.from(
  { length: 1500 },
  (_, i) => `[[task]]\nname = "t${i}-${"n".repeat(40)}"\nfunc = "core:say"\nargs = ["#chan", "line ${i} ${"x".repeat(40)}"]\nstart = 2026-01-01T09:00:00\nrrule = { freq = "daily" }\n`,
).join("\n");

interface Ended {
  code: number | null;
  signal: string | null;
  stderr: string;
  firstChunk: string;
}

/** Runs `seshet ARGS` from source, reads one chunk of stdout, then closes the pipe. */
function runClosingEarly(args: string[], cwd: string): Promise<Ended> {
  const child = spawn(process.execPath, [join(ROOT, "src", "cli.ts"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let firstChunk = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.once("data", (d: Buffer) => {
    firstChunk = d.toString();
    child.stdout!.destroy();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, firstChunk });
    }),
  );
}

describe("a command whose stdout reader goes away", () => {
  let project: ReturnType<typeof makeProject>;
  beforeAll(() => {
    project = makeProject({ "bots/alpha.toml": BOT, "tasks/many.toml": TASKS });
  });
  afterAll(() => project.remove());

  const cases: [string, string[], RegExp][] = [
    ["check --verbose", ["check", "--verbose"], /^ok: 1 bot, 1500 tasks/],
    ["next -n 5000", ["next", "--rrule", "FREQ=DAILY", "--start", "2026-01-01T09:00:00", "-n", "5000"], /^# every day at 09:00/],
    ["ics", ["ics"], /^BEGIN:VCALENDAR/],
  ];
  for (const [name, args, first] of cases) {
    test(`${name}: ends quietly with ${CLOSED_PIPE_EXIT}, no EPIPE trace`, async () => {
      const r = await runClosingEarly(args, project.dir);
      expect(r.firstChunk).toMatch(first);
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe("");
      expect(r.code).toBe(CLOSED_PIPE_EXIT);
    }, 30_000);
  }

  test("a slow reader gets the whole feed: output still queued at the end is waited for", async () => {
    const child = spawn(process.execPath, [join(ROOT, "src", "cli.ts"), "ics"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pause();
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const closed = new Promise((resolve) => child.stdout!.on("close", resolve));
    // Reads nothing for 1.5 s: the command has finished by then, its feed still queued.
    await Bun.sleep(1500);
    let feed = "";
    child.stdout!.on("data", (d: Buffer) => (feed += d.toString()));
    child.stdout!.resume();
    const code = await exited;
    await closed;
    expect(code).toBe(0);
    expect(feed.length).toBeGreaterThan(128 * 1024);
    expect(feed.match(/BEGIN:VEVENT/g)?.length).toBe(1500);
    expect(feed.trimEnd().endsWith("END:VCALENDAR")).toBe(true);
  }, 30_000);

  test("read to the end, the same command still succeeds", async () => {
    const child = spawn(process.execPath, [join(ROOT, "src", "cli.ts"), "check", "--verbose"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    child.stdout!.on("data", (d: Buffer) => (lines += d.toString().split("\n").length - 1));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(lines).toBe(1501);
  }, 30_000);
});

describe("outputWriter", () => {
  const epipe = () => Object.assign(new Error("broken pipe"), { code: "EPIPE" });
  function stream(fail: (text: string) => void) {
    const written: string[] = [];
    let onError: ((e: unknown) => void) | undefined;
    let onDrain: (() => void) | undefined;
    let full = false;
    return {
      written,
      emitError: (e: unknown) => onError!(e),
      /** From now on writes are queued (write returns false) until drain(). */
      fill: () => (full = true),
      drain: () => ((full = false), onDrain?.()),
      write(text: string) {
        fail(text);
        written.push(text);
        return !full;
      },
      on(_event: "error", listener: (e: unknown) => void) {
        onError = listener;
      },
      once(_event: "drain", listener: () => void) {
        onDrain = listener;
      },
    };
  }

  test("a write refused at once: onClosed once, later output dropped", () => {
    let closedAt = 0;
    let calls = 0;
    const s = stream((t) => {
      if (t === "b\n") throw epipe();
    });
    const w = outputWriter(s, () => (closedAt = ++calls));
    w.line("a");
    w.line("b");
    w.line("c");
    w.text("d");
    expect(s.written).toEqual(["a\n"]);
    expect(closedAt).toBe(1);
  });

  test("a refusal reported later, as an error event, closes it the same way", () => {
    let calls = 0;
    const s = stream(() => {});
    const w = outputWriter(s, () => calls++);
    w.line("a");
    s.emitError(Object.assign(new Error("Broken pipe"), { name: "BrokenPipe" }));
    s.emitError(epipe());
    w.line("b");
    expect(s.written).toEqual(["a\n"]);
    expect(calls).toBe(1);
  });

  test("settled waits for queued output to drain", async () => {
    const s = stream(() => {});
    const w = outputWriter(s, () => {});
    await w.settled();
    s.fill();
    w.line("a");
    w.line("b");
    let settled = false;
    const p = w.settled().then(() => (settled = true));
    await Bun.sleep(10);
    expect(settled).toBe(false);
    s.drain();
    await p;
    expect(settled).toBe(true);
    await w.settled();
  });

  test("other write errors are not hidden", () => {
    const w = outputWriter(
      stream(() => {
        throw Object.assign(new Error("no space"), { code: "ENOSPC" });
      }),
      () => {},
    );
    expect(() => w.line("a")).toThrow(/no space/);
  });
});
