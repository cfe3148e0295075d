// Compiles `dist/seshet` for this machine, or with `--all` for every target
// Bun supports. The binary embeds everything it needs (migrations are code,
// starter files are strings) and deliberately ignores stray .env, bunfig.toml,
// package.json and tsconfig.json in the directory it is run from: a bot's
// configuration is its bots/ and tasks/ files and its environment, nothing else.
import { parseArgs } from "node:util";
import { mkdirSync } from "node:fs";
import pkg from "./package.json" with { type: "json" };

const TARGETS = ["bun-linux-x64", "bun-linux-arm64", "bun-darwin-x64", "bun-darwin-arm64", "bun-windows-x64"] as const;

const { values } = parseArgs({ options: { all: { type: "boolean" }, target: { type: "string", multiple: true } } });
const targets: (string | undefined)[] = values.all ? [...TARGETS] : values.target ?? [undefined];

mkdirSync("dist", { recursive: true });
for (const target of targets) {
  const outfile = target ? `dist/seshet-${target.replace(/^bun-/, "")}${target.includes("windows") ? ".exe" : ""}` : "dist/seshet";
  const started = performance.now();
  const result = await Bun.build({
    entrypoints: ["src/cli.ts"],
    minify: true,
    // Precompiled bytecode: start-up goes from ~130 ms to ~40 ms (bench/footprint-bench.ts).
    bytecode: true,
    format: "esm",
    sourcemap: "linked",
    define: { "process.env.SESHET_BUILD": JSON.stringify(pkg.version) },
    compile: {
      outfile,
      ...(target ? { target: target as Bun.Build.CompileTarget } : {}),
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadPackageJson: false,
      autoloadTsconfig: false,
    },
  } as Bun.BuildConfig);
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
  console.log(`built ${outfile} in ${Math.round(performance.now() - started)} ms`);
}
