// The floor under Seshet's supervisor: the least any supervisor on Bun with
// the chosen command-line parser does, with no Seshet code. cac reads the
// command line; Bun.spawn starts one child (`sleep`) with piped stdin,
// stdout and stderr and an IPC channel, whose output it reads and logs;
// SIGTERM stops both. Compiled like dist/seshet by bench/floor-binaries.ts.
// argv: run
import { cac } from "cac";

const cli = cac("supervisor-floor");
cli.command("run", "start one child and watch it").action(async () => {
  const child = Bun.spawn(["/bin/sh", "-c", "echo started; exec sleep 1000"], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    serialization: "json",
    ipc: (message) => console.error(JSON.stringify(message)),
  });
  for (const stream of [child.stdout, child.stderr]) {
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) console.error(`child | ${decoder.decode(chunk, { stream: true }).trimEnd()}`);
    })();
  }
  process.on("SIGTERM", () => {
    child.kill();
    process.exit(0);
  });
  await child.exited;
});
cli.parse(process.argv, { run: false });
await cli.runMatchedCommand();
