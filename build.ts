// Compiles `dist/seshet` for this machine, or with `--all` for every target
// Bun supports. `--release` builds every target (or the `--target`s given) and
// packages each into dist/release/seshet-VERSION-OS-ARCH.tar.gz (.zip for
// Windows) with SHA256SUMS (tools/release-archive.ts). The binary embeds everything it needs (migrations are code,
// starter files are strings) and deliberately ignores stray .env, bunfig.toml,
// package.json and tsconfig.json in the directory it is run from: a bot's
// configuration is its bots/ and tasks/ files and its environment, nothing else.
import { parseArgs } from "node:util";
import { mkdirSync, rmSync, statSync } from "node:fs";
import pkg from "./package.json" with { type: "json" };
import { formatMiB, packageRelease, type ReleaseBinary } from "./tools/release-archive.ts";
import { compileOptions } from "./tools/compile-options.ts";

const TARGETS = ["bun-linux-x64", "bun-linux-arm64", "bun-darwin-x64", "bun-darwin-arm64", "bun-windows-x64"] as const;

const { values } = parseArgs({
  options: { all: { type: "boolean" }, release: { type: "boolean" }, target: { type: "string", multiple: true } },
});
const targets: (string | undefined)[] =
  values.target ?? (values.all || values.release ? [...TARGETS] : [undefined]);
const built: ReleaseBinary[] = [];

mkdirSync("dist", { recursive: true });
for (const target of targets) {
  const outfile = target ? `dist/seshet-${target.replace(/^bun-/, "")}${target.includes("windows") ? ".exe" : ""}` : "dist/seshet";
  const started = performance.now();
  const result = await Bun.build(
    compileOptions("src/cli.ts", outfile, { target, define: { "process.env.SESHET_BUILD": JSON.stringify(pkg.version) } }),
  );
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    process.exit(1);
  }
  console.log(`built ${outfile} (${formatMiB(statSync(outfile).size)}) in ${Math.round(performance.now() - started)} ms`);
  const [os, arch] = (target ?? `bun-${process.platform}-${process.arch}`).replace(/^bun-/, "").split("-");
  built.push({ os: os === "win32" ? "windows" : os!, arch: arch!, file: outfile });
}

if (values.release) {
  const outDir = "dist/release";
  rmSync(outDir, { recursive: true, force: true });
  const archives = await packageRelease({ version: pkg.version, binaries: built, projectDir: ".", outDir });
  for (const a of archives) console.log(`${a.file}  ${formatMiB(a.bytes)}  sha256 ${a.sha256}`);
  console.log(`${outDir}/SHA256SUMS`);
}
