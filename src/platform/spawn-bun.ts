// Bun's spawner (see spawn-process.ts). Control messages travel on Bun's IPC
// channel (JSON serialization): the child sends them with process.send, and
// Bun owns and closes the channel. A raw extra pipe (stdio[3]) would hand the
// parent a descriptor only node:fs can close.
import { signalChild } from "./child-signal.ts";
import { OUTPUT_DRAIN_MS, type ProcessEvents, type SpawnOptions, type SpawnedProcess } from "./spawn-process.ts";

async function pump(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
  } catch {
    // the pipe broke with the child: what was read is all there is
  }
  const rest = decoder.decode();
  if (rest) onText(rest);
}

export function spawnBun(argv: string[], opts: SpawnOptions, events: ProcessEvents): SpawnedProcess {
  let proc: Bun.Subprocess<"pipe", "pipe", "pipe">;
  try {
    proc = Bun.spawn(argv, {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: opts.env,
      ...(opts.control ? { serialization: "json" as const, ipc: (value: unknown) => events.control({ value }) } : {}),
    });
  } catch (error) {
    // Executable gone, out of processes: reported as an exit, as Node's "error" event would be.
    const message = error instanceof Error ? error.message : String(error);
    queueMicrotask(() => events.exit(1, null, `could not start: ${message}`));
    return { pid: undefined, write: () => {}, end: () => {}, signal: () => {} };
  }
  const drained = Promise.all([
    pump(proc.stdout, (t) => events.output(t, "stdout")),
    pump(proc.stderr, (t) => events.output(t, "stderr")),
  ]);
  void proc.exited.then(async () => {
    await Promise.race([drained, new Promise((r) => setTimeout(r, OUTPUT_DRAIN_MS))]);
    events.exit(proc.exitCode, proc.signalCode === null ? null : String(proc.signalCode), undefined);
  });
  const stdin = proc.stdin;
  return {
    pid: proc.pid,
    write: (text) => {
      try {
        stdin.write(text);
        void stdin.flush();
      } catch {
        // the child closed its end: its exit report follows
      }
    },
    end: () => {
      try {
        void stdin.end();
      } catch {
        // already closed
      }
    },
    // exitCode/signalCode are set when Bun reaps the child, before its output is drained.
    signal: (signal) => signalChild(proc.pid, proc.exitCode !== null || proc.signalCode !== null, signal),
  };
}
