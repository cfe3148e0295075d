// Every command the README shows, run as written: in a fresh copy of the
// project (its node_modules is this checkout's, as after the Quick start's
// `npm install`), with a PATH that has no node_modules/.bin (`bun` and `deno`
// are not on it) but has the built `seshet`, as after the one-line install.
// Each command in a sh/console block is either run here or skipped with the
// reason and the test that covers it; a command added to the README without
// saying which fails the first test.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/seshet-process.ts";

/** Why a README command is not run here, and what runs it instead. */
const SKIPPED: Record<string, string> = {
  "npm install && npm test": "the suite itself (npm test runs this file)",
  "curl -fsSL https://github.com/seshet-irc/seshet/releases/latest/download/install.sh | sh": "network; install.sh runs against a local server in test/ops/install-script.test.ts",
  'sudo mkdir -p /srv/seshet && sudo chown "$USER" /srv/seshet': "root; test/ops/service-unit.test.ts runs init --service in a temp folder",
  "seshet init /srv/seshet --service": "writes under /srv; test/ops/service-unit.test.ts runs it in a temp folder and verifies the unit",
  "sudo cp /srv/seshet/seshet.service /etc/systemd/system/ && sudo systemctl daemon-reload": "root and a running systemd",
  "sudo systemctl enable --now seshet": "root and a running systemd",
  "seshet run --metrics 127.0.0.1:9464": "runs until stopped; test/integration/metrics.test.ts runs it against ngircd",
  "curl -s 127.0.0.1:9464/healthz": "needs the running bots; test/integration/metrics.test.ts",
  "curl -s 127.0.0.1:9464/metrics": "needs the running bots; test/integration/metrics.test.ts",
  "../dist/seshet run": "connects to irc.libera.chat (the starter's server); bots on a real server: test/integration/",
  "npm install": "the Quick start's first step; this checkout is installed",
  "npm test": "the suite itself",
  "npm run bench": "minutes of benchmarks, not a test",
  "npm run build -- --release": "cross-compiles every target (minutes); .github/workflows/release.yml runs it, test/ops/install-script.test.ts packages an archive the same way",
  "sudo -u postgres createuser --pwprompt seshet": "root and a system PostgreSQL; test/fleet and test/store use a private cluster",
  "sudo -u postgres createdb --owner seshet seshet": "root and a system PostgreSQL",
  "export SESHET_DB_PASSWORD='…'": "a placeholder password",
  "seshet sync --db postgres://seshet@db.example.net:5432/seshet": "a PostgreSQL server; test/store/store-commands.test.ts runs sync on a private cluster",
  "seshet run  --db postgres://seshet@db.example.net:5432/seshet": "a PostgreSQL server; test/integration/fleet.test.ts",
};

/**
 * Run here, in order, one shell session per README block (a `cd` carries on
 * to the next line): README text → what runs (the same text, but for the
 * Quick start's `npm install`, which would write to the node_modules this
 * checkout shares).
 */
const RUN = new Map([
  ["npm install && npm run seshet -- run --console", "npm run seshet -- run --console"],
  ["npm run build", "npm run build"],
  ["dist/seshet init mybot", "dist/seshet init mybot"],
  ["cd mybot && ../dist/seshet check", "cd mybot && ../dist/seshet check"],
  ["npx deno task start", "npx deno task start"],
  ["npx deno task seshet check", "npx deno task seshet check"],
  ["npx deno run -A src/cli.ts check", "npx deno run -A src/cli.ts check"],
  ["npm run typecheck", "npm run typecheck"],
]);

interface Block {
  line: number;
  kind: "sh" | "console";
  commands: { text: string; output: string[] }[];
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(sh|console)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const block: Block = { line: i + 1, kind: open[2] as Block["kind"], commands: [] };
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) {
      const raw = lines[i]!.slice(indent);
      if (block.kind === "console") {
        if (raw.startsWith("$ ")) block.commands.push({ text: raw.slice(2), output: [] });
        else block.commands.at(-1)?.output.push(raw);
        continue;
      }
      if (/^\s*(#|$)/.test(raw)) continue; // a comment line or a blank
      const text = raw.replace(/\s+#\s.*$/, "");
      block.commands.push({ text, output: [] });
    }
    blocks.push(block);
  }
  return blocks;
}

let copy: string;
let env: Record<string, string>;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "seshet-readme-"));
  for (const entry of readdirSync(ROOT)) {
    if (["node_modules", "dist", ".git"].includes(entry) || entry.startsWith(".tmp") || /\.db(-wal|-shm)?$/.test(entry)) continue;
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
  // As after the one-line install: `seshet` on PATH (the copy's own build, made by `npm run build` below).
  const bin = join(copy, ".bin");
  mkdirSync(bin);
  symlinkSync(join(copy, "dist/seshet"), join(bin, "seshet"));
  const path = (process.env.PATH ?? "").split(":").filter((p) => p && !p.includes("node_modules"));
  env = { ...(process.env as Record<string, string>), PATH: [bin, ...path].join(":"), SESHET_RELEASE_URL: "" };
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("README commands", () => {
  test("every command in a README code block is run here or skipped with its reason", () => {
    const blocks = readmeBlocks();
    // Console transcripts are always run, and their output compared.
    const unknown = blocks
      .flatMap((b) => (b.kind === "sh" ? b.commands.map((c) => c.text) : []))
      .filter((c) => !RUN.has(c) && SKIPPED[c] === undefined);
    expect(unknown).toEqual([]);
    // And nothing listed here has left the README.
    const shown = new Set(blocks.flatMap((b) => b.commands.map((c) => c.text)));
    expect([...RUN.keys(), ...Object.keys(SKIPPED)].filter((c) => !shown.has(c))).toEqual([]);
  });

  test("bun is not on the test's PATH (the README's commands must not need it there)", () => {
    expect(spawnSync("sh", ["-c", "command -v bun"], { env }).status).not.toBe(0);
  });

  test("the commands run as written and succeed", () => {
    let ran = 0;
    for (const block of readmeBlocks()) {
      const runnable = block.commands.filter((c) => RUN.has(c.text) || (block.kind === "console" && !SKIPPED[c.text]));
      if (runnable.length === 0) continue;
      if (block.kind === "console") {
        for (const c of runnable) {
          const r = spawnSync("sh", ["-c", c.text], { cwd: copy, env, encoding: "utf8", timeout: 60_000 });
          ran++;
          expect({ line: block.line, command: c.text, stdout: r.stdout, stderr: r.stderr }).toEqual({
            line: block.line,
            command: c.text,
            stdout: c.output.join("\n") + "\n",
            stderr: "",
          });
        }
        continue;
      }
      // One session per block; stdin closed, so the console runs end at once (as Ctrl-D does).
      const script = ["set -e", ...runnable.map((c) => RUN.get(c.text)!)].join("\n");
      const r = spawnSync("sh", ["-c", script], { cwd: copy, env, encoding: "utf8", timeout: 240_000, stdio: ["ignore", "pipe", "pipe"] });
      ran += runnable.length;
      expect({ line: block.line, script, code: r.status, output: r.status === 0 ? "" : `${r.stdout}\n${r.stderr}`.slice(-3000) }).toEqual({
        line: block.line,
        script,
        code: 0,
        output: "",
      });
    }
    // Everything listed ran, and left what it says it makes.
    expect(ran).toBeGreaterThanOrEqual(RUN.size + 1);
    expect(readdirSync(join(copy, "mybot/bots"))).toEqual(["example.toml"]);
  }, 600_000);
});
