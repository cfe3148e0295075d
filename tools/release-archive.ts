// Release packaging: one archive per target holding the binary, README,
// LICENSE, the example project (bots/, tasks/, plugins/) and the JSON Schemas
// its files name (schema/), plus SHA256SUMS.
// Used by `bun build.ts --release` and by the installer test, which packages
// the already built dist/seshet instead of cross-compiling every target.
import { createHash } from "node:crypto";
import { cpSync, createReadStream, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export interface ReleaseBinary {
  /** `linux`, `darwin` or `windows`: the names install.sh maps `uname -s` to. */
  os: string;
  /** `x64` or `arm64`. */
  arch: string;
  file: string;
}

export interface ReleaseArchive {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
}

/** What goes next to the binary, relative to the project root. */
export const RELEASE_EXTRAS = ["README.md", "LICENSE", "bots", "tasks", "plugins", "schema"] as const;

export function archiveName(version: string, os: string, arch: string): string {
  return `seshet-${version}-${os}-${arch}${os === "windows" ? ".zip" : ".tar.gz"}`;
}

/**
 * Builds every archive into `outDir` and writes `outDir/SHA256SUMS` in the
 * format `sha256sum -c` reads. Needs GNU tar and zip (any Linux CI runner).
 */
export async function packageRelease(opts: {
  version: string;
  binaries: readonly ReleaseBinary[];
  projectDir: string;
  outDir: string;
}): Promise<ReleaseArchive[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const stage = path.join(opts.outDir, ".stage");
  const archives: ReleaseArchive[] = [];
  try {
    for (const bin of opts.binaries) {
      const base = `seshet-${opts.version}-${bin.os}-${bin.arch}`;
      rmSync(stage, { recursive: true, force: true });
      stageFiles(path.join(stage, base), bin, opts.projectDir);
      const name = archiveName(opts.version, bin.os, bin.arch);
      const file = path.join(opts.outDir, name);
      rmSync(file, { force: true });
      const argv =
        bin.os === "windows"
          ? ["zip", "-q", "-X", "-r", "-9", path.resolve(file), base]
          : ["tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-czf", path.resolve(file), base];
      await run(argv, stage);
      archives.push({ name, file, bytes: statSync(file).size, sha256: await sha256(file) });
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const sums = archives.map((a) => `${a.sha256}  ${a.name}\n`).join("");
  writeFileSync(path.join(opts.outDir, "SHA256SUMS"), sums);
  return archives;
}

function stageFiles(dir: string, bin: ReleaseBinary, projectDir: string): void {
  mkdirSync(dir, { recursive: true });
  const exe = path.join(dir, bin.os === "windows" ? "seshet.exe" : "seshet");
  cpSync(bin.file, exe);
  for (const extra of RELEASE_EXTRAS) cpSync(path.join(projectDir, extra), path.join(dir, extra), { recursive: true });
  // One timestamp for every entry (SOURCE_DATE_EPOCH when set), so a rebuild
  // of the same commit gives the same tarball.
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
  touchTree(path.dirname(dir), epoch);
}

function touchTree(dir: string, epoch: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) touchTree(p, epoch);
    utimesSync(p, epoch, epoch);
  }
}

async function run(argv: string[], cwd: string): Promise<void> {
  const proc = Bun.spawn(argv, { cwd, stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error(`${argv[0]} failed (exit ${proc.exitCode})`);
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
