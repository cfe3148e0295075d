#!/usr/bin/env bun
// The `seshet` command line. Each command lives in src/cli/; this file
// only declares options and hands over.
//
// Every command's module is imported lazily inside its action, never at the
// top: a process then loads only what its command uses (the supervisor no IRC
// client, `seshet next` no store, a SQLite bot no PostgreSQL driver). Keep it
// so when adding a command: `await import("./cli/x-command.ts")` with a
// literal path, which `bun build --compile` bundles into the one binary.
import { cac } from "cac";
import pkg from "../package.json" with { type: "json" };
import { createLogger, isLogLevel, type LogFormat } from "./log/logger.ts";
import { compiled, runtime, runtimeVersion } from "./platform/runtime.ts";
import { CLOSED_PIPE_EXIT, outputWriter, type OutputWriter } from "./cli/cli-output.ts";

// From source on Bun, before any command loads irc-framework: its dependencies
// trimmed as in the binary (which has them built in).
if (runtime === "bun" && !compiled) (await import("./platform/lean-modules.ts")).useLeanModules();

// A reader gone early (`seshet check | head -1`) ends a command quietly with
// 141, as SIGPIPE would: never 0, since the command did not finish saying its
// piece. `run` is a service whose stdout is not its product: it only stops writing.
// Made on first use: process.stdout loads Node's stream modules (~8 MB held for
// good), which the supervisor, writing nothing to stdout, does without.
let service = false;
let writer: OutputWriter | undefined;
const stdout: OutputWriter = {
  text: (t) => open().text(t),
  line: (l) => open().line(l),
  settled: () => writer?.settled() ?? Promise.resolve(),
};
function open(): OutputWriter {
  writer ??= outputWriter(process.stdout, () => {
    if (!service) process.exit(CLOSED_PIPE_EXIT);
  });
  return writer;
}
const out = stdout.line;
const env = process.env as Record<string, string | undefined>;
const cli = cac("seshet");

interface Common {
  logLevel: string;
  logFormat: string;
}

function logger(o: Common) {
  const level = isLogLevel(o.logLevel) ? o.logLevel : "info";
  const format: LogFormat = o.logFormat === "json" ? "json" : "text";
  return createLogger({ level, format });
}

cli
  .option("--log-level <level>", "debug, info, warn or error", { default: "info" })
  .option("--log-format <format>", "text or json", { default: "text" });

cli
  .command("run", "Run the bots: one process per bot under a supervisor")
  .option("--bots <dir>", "Bot definitions", { default: "bots" })
  .option("--tasks <dir>", "Task files", { default: "tasks" })
  .option("--db <file>", "SQLite file, or postgres://user@host:port/db (password in SESHET_DB_PASSWORD)", { default: "seshet.db" })
  .option("--bot <name>", "Run only this bot, in the foreground, without a supervisor")
  .option("--console", "Run the bots against the terminal instead of IRC")
  .option("--one-process", "Run every bot in this one process, without the supervisor (less memory, one crash domain)")
  .option("--metrics <addr>", "Serve GET /metrics (Prometheus) and /healthz at [HOST:]PORT, e.g. 127.0.0.1:9464 (loopback unless HOST says otherwise)")
  .option("--no-sync", "Skip the startup sync (used by the supervisor for its children)")
  .option("--sync-only <trigger>", "Sync, print the bots' names as JSON and exit (used by the supervisor)")
  .action(async (o) => {
    service = true;
    const { runRun } = await import("./cli/run-command.ts");
    exit(
      await runRun(
        { bots: o.bots, tasks: o.tasks, db: o.db, bot: o.bot, console: !!o.console, oneProcess: !!o.oneProcess, sync: o.sync !== false, syncOnly: o.syncOnly === undefined ? undefined : String(o.syncOnly), childArgs: ["--log-level", o.logLevel, "--log-format", o.logFormat], logFormat: o.logFormat === "json" ? "json" : "text", metrics: o.metrics === undefined ? undefined : String(o.metrics) },
        { out, log: logger(o), env },
      ),
    );
  });

cli
  .command("check", "Validate every bot and task file (FILE:LINE:COL: message per error)")
  .option("--bots <dir>", "Bot definitions", { default: "bots" })
  .option("--tasks <dir>", "Task files", { default: "tasks" })
  .option("--verbose", "Also list every task with its schedule in words")
  .action(async (o) => {
    const { runCheck } = await import("./cli/check-command.ts");
    exit(await runCheck({ bots: o.bots, tasks: o.tasks, verbose: !!o.verbose }, out, env));
  });

cli
  .command("init [dir]", "Write a starter bots/ and tasks/ (never overwrites a file)")
  .option("--service", "Also write seshet.service, a systemd unit running this project")
  .action(async (dir, o) => {
    const { runInit } = await import("./cli/init-command.ts");
    exit(await runInit(dir ?? ".", out, { service: !!o.service }));
  });

cli
  .command("next [task]", "Preview the next occurrences of a rule or of a declared task")
  .option("--rrule <rule>", 'An RRULE string or a TOML inline table, e.g. "FREQ=DAILY;BYHOUR=9"')
  .option("--cron <expr>", 'A cron expression instead of --rrule, e.g. "0 9 * * 1-5"')
  .option("--every <schedule>", "A schedule as !every reads it, e.g. 'weekday at 09:00' (--tz: the speaker's zone)")
  .option("--exdate <list>", "Comma-separated local date-times (or dates: the whole day) to leave out")
  .option("--rdate <list>", "Comma-separated local date-times to add")
  .option("--start <local>", "DTSTART as local time YYYY-MM-DDTHH:MM:SS")
  .option("--tz <zone>", "IANA time zone", { default: "UTC" })
  .option("--after <instant>", "Show occurrences strictly after this (default now)")
  .option("-n <count>", "How many", { default: 5 })
  .option("--json", "Print a JSON array")
  .option("--tasks <dir>", "Task files (with TASK)", { default: "tasks" })
  .option("--bots <dir>", "Bot definitions (with TASK)", { default: "bots" })
  .option("--bot <name>", "Which bot's copy of TASK")
  .action(async (task, o) => {
    const n = Number(o.n);
    if (task !== undefined) {
      const { runNextTask } = await import("./cli/next-task-command.ts");
      return exit(await runNextTask({ task, tasks: o.tasks, bots: o.bots, bot: o.bot, after: o.after, n, json: !!o.json }, out, env));
    }
    if (o.every !== undefined) {
      const { runNextEvery } = await import("./cli/next-every-command.ts");
      return exit(runNextEvery({ every: String(o.every), tz: o.tz, after: o.after, n, json: !!o.json }, out));
    }
    const { runNext } = await import("./cli/next-command.ts");
    exit(runNext({ rrule: o.rrule, cron: o.cron, exdate: o.exdate, rdate: o.rdate, start: o.start, tz: o.tz, after: o.after, n, json: !!o.json }, out));
  });

cli
  .command("schema <kind>", "Print the JSON Schema of bot files (bot) or task files (tasks), for editors")
  .action(async (kind: string) => {
    const { runSchema } = await import("./cli/schema-command.ts");
    exit(runSchema(kind, stdout.text, (line) => process.stderr.write(line + "\n")));
  });

cli
  .command("sync", "Apply the task files to the store")
  .option("--bots <dir>", "Bot definitions", { default: "bots" })
  .option("--tasks <dir>", "Task files", { default: "tasks" })
  .option("--db <file>", "SQLite file, or postgres://user@host:port/db (password in SESHET_DB_PASSWORD)", { default: "seshet.db" })
  .option("--json", "Print a JSON object")
  .action(async (o) => {
    const { runSync } = await import("./cli/sync-command.ts");
    exit(await runSync({ bots: o.bots, tasks: o.tasks, db: o.db, json: !!o.json }, out, env));
  });

cli
  .command("tasks", "List the stored tasks")
  .option("--db <file>", "SQLite file, or postgres://user@host:port/db (password in SESHET_DB_PASSWORD)", { default: "seshet.db" })
  .option("--bot <name>", "Only this bot's")
  .option("--json", "Print JSON")
  .action(async (o) => {
    const { runTasks } = await import("./cli/tasks-command.ts");
    exit(await runTasks({ db: o.db, bot: o.bot, json: !!o.json }, out));
  });

cli
  .command("export", "Print the tasks made at run time (from IRC) as [[task]] tables for a task file")
  .option("--db <file>", "SQLite file, or postgres://user@host:port/db (password in SESHET_DB_PASSWORD)", { default: "seshet.db" })
  .option("--bot <name>", "Only this bot's")
  .action(async (o) => {
    const { runExport } = await import("./cli/export-command.ts");
    exit(await runExport({ db: o.db, bot: o.bot }, out, (line) => process.stderr.write(line + "\n")));
  });

cli
  .command("ics", "Print the tasks as an iCalendar (RFC 5545) feed")
  .option("--bots <dir>", "Bot definitions", { default: "bots" })
  .option("--tasks <dir>", "Task files", { default: "tasks" })
  .option("--bot <name>", "Only this bot's tasks")
  .action(async (o) => {
    const { runIcs } = await import("./cli/ics-command.ts");
    const err = (line: string) => process.stderr.write(line + "\n");
    exit(await runIcs({ bots: o.bots, tasks: o.tasks, bot: o.bot }, stdout.text, err, env));
  });

cli
  .command("history <task>", "Show a task's recent runs")
  .option("--db <file>", "SQLite file, or postgres://user@host:port/db (password in SESHET_DB_PASSWORD)", { default: "seshet.db" })
  .option("--bot <name>", "Which bot's task")
  .option("-n <count>", "How many", { default: 20 })
  .action(async (task, o) => {
    const { runHistory } = await import("./cli/history-command.ts");
    exit(await runHistory({ task, db: o.db, bot: o.bot, n: Number(o.n) }, out));
  });

cli.help();
cli.version(`${pkg.version} (${runtimeVersion()})`);

function exit(code: number): void {
  process.exitCode = code;
  // Open handles (a stdin reader, a socket) must not keep a finished command
  // alive; output still queued for a slow reader is waited for first.
  void stdout.settled().then(() => setTimeout(() => process.exit(code), 50).unref?.());
}

try {
  cli.parse(process.argv, { run: false });
  if (!cli.matchedCommand && !cli.options.help && !cli.options.version) {
    if (cli.args.length > 0) {
      process.stderr.write(`seshet: unknown command '${cli.args[0]}'; see \`seshet --help\`\n`);
      process.exitCode = 1;
    } else cli.outputHelp();
  } else {
    await cli.runMatchedCommand();
  }
} catch (error) {
  process.stderr.write(`seshet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
