// install.sh against a release directory served on 127.0.0.1: the release is
// packaged by the test from dist/seshet (the real archive layout and
// SHA256SUMS, without cross-compiling every target), and the script runs
// under /bin/sh with HOME and TMPDIR in a throwaway folder.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { archiveName, packageRelease } from "../../tools/release-archive.ts";
import { ensureBinary, ROOT } from "../support/seshet-process.ts";

const OS = process.platform === "darwin" ? "darwin" : "linux";
const ARCH = process.arch === "arm64" ? "arm64" : "x64";
const ARCHIVE = archiveName(pkg.version, OS, ARCH);

let work: string;
let releaseDir: string;
let server: ReturnType<typeof Bun.serve>;
/** Per-path overrides of what the server answers (a tampered SHA256SUMS, a missing archive). */
const overrides = new Map<string, string | 404>();
const requests: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "seshet-install-"));
  releaseDir = join(work, "release");
  await packageRelease({
    version: pkg.version,
    binaries: [{ os: OS, arch: ARCH, file: ensureBinary() }],
    projectDir: ROOT,
    outDir: releaseDir,
  });
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const name = new URL(req.url).pathname.replace(/^\/+/, "");
      requests.push(name);
      const override = overrides.get(name);
      if (override === 404) return new Response("not found", { status: 404 });
      if (override !== undefined) return new Response(override);
      const file = join(releaseDir, name);
      if (name.includes("/") || name.startsWith(".") || !existsSync(file)) return new Response("not found", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
}, 120_000);

afterAll(() => {
  server?.stop(true);
  rmSync(work, { recursive: true, force: true });
});

interface Install {
  code: number | null;
  out: string;
  home: string;
  temp: string;
}

/** Runs install.sh asynchronously: the server answering it lives in this process. */
async function install(env: Record<string, string> = {}, pathPrefix?: string): Promise<Install> {
  const home = mkdtempSync(join(work, "home-"));
  const temp = join(home, "tmp");
  mkdirSync(temp);
  requests.length = 0;
  const proc = Bun.spawn(["/bin/sh", join(ROOT, "install.sh")], {
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PATH: `${pathPrefix ? `${pathPrefix}:` : ""}/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      TMPDIR: temp,
      SESHET_RELEASE_URL: `http://127.0.0.1:${server.port}/`,
      ...env,
    },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: `${stdout}${stderr}`, home, temp };
}

describe("install.sh", () => {
  afterAll(() => overrides.clear());

  test("installs the verified binary into ~/.local/bin and prints the next two commands", async () => {
    const r = await install();
    expect(r.out).toContain(`installed seshet ${pkg.version}`);
    expect(r.code).toBe(0);
    const bin = join(r.home, ".local/bin/seshet");
    const version = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(version.stdout).toContain(pkg.version);
    // Not on PATH in this environment: the commands are printed with the full path, so they run as written.
    expect(r.out).toContain(`${bin} init mybot && cd mybot`);
    expect(r.out).toContain(`${bin} run --console`);
    expect(readdirSync(r.temp)).toEqual([]);
    expect(requests).toEqual(["SHA256SUMS", ARCHIVE]);
  }, 60_000);

  test("PREFIX chooses the directory, and a bin dir on PATH gives the short commands", async () => {
    const prefix = join(work, "prefix");
    const r = await install({ PREFIX: prefix }, join(prefix, "bin"));
    expect(r.code).toBe(0);
    expect(existsSync(join(prefix, "bin/seshet"))).toBe(true);
    expect(existsSync(join(r.home, ".local"))).toBe(false);
    expect(r.out).toMatch(/^ {2}seshet init mybot && cd mybot$/m);
    expect(r.out).toMatch(/^ {2}seshet run --console$/m);
  }, 60_000);

  test("refuses an archive whose checksum does not match, keeps the installed binary, leaves nothing behind", async () => {
    const sums = readFileSync(join(releaseDir, "SHA256SUMS"), "utf8");
    overrides.set("SHA256SUMS", sums.replace(/^[0-9a-f]{64}/m, "0".repeat(64)));
    const home = mkdtempSync(join(work, "prev-"));
    mkdirSync(join(home, ".local/bin"), { recursive: true });
    writeFileSync(join(home, ".local/bin/seshet"), "#!/bin/sh\necho old\n");
    const r = await install({ HOME: home });
    overrides.delete("SHA256SUMS");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`checksum mismatch for ${ARCHIVE}`);
    expect(readFileSync(join(home, ".local/bin/seshet"), "utf8")).toContain("echo old");
    expect(readdirSync(join(home, ".local/bin"))).toEqual(["seshet"]);
    expect(readdirSync(r.temp)).toEqual([]);
  }, 60_000);

  test("an unknown platform is refused before anything is downloaded", async () => {
    const fake = join(work, "fake-uname");
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, "uname"), '#!/bin/sh\ncase "$1" in -s) echo Plan9 ;; *) echo mips ;; esac\n');
    chmodSync(join(fake, "uname"), 0o755);
    const r = await install({}, fake);
    expect(r.code).toBe(1);
    expect(r.out).toContain("no seshet build for this operating system (Plan9)");
    expect(requests).toEqual([]);
    expect(existsSync(join(r.home, ".local"))).toBe(false);
  });

  test("an unknown processor is refused too", async () => {
    const fake = join(work, "fake-uname-m");
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, "uname"), '#!/bin/sh\ncase "$1" in -s) echo Linux ;; *) echo riscv64 ;; esac\n');
    chmodSync(join(fake, "uname"), 0o755);
    const r = await install({}, fake);
    expect(r.code).toBe(1);
    expect(r.out).toContain("no seshet build for this processor (riscv64)");
  });

  test("a missing archive fails with its URL and leaves nothing behind", async () => {
    overrides.set(ARCHIVE, 404);
    const r = await install();
    overrides.delete(ARCHIVE);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`could not download http://127.0.0.1:${server.port}/${ARCHIVE}`);
    expect(existsSync(join(r.home, ".local/bin/seshet"))).toBe(false);
    expect(readdirSync(r.temp)).toEqual([]);
  }, 60_000);

  test("a release without a build for this platform says so", async () => {
    overrides.set("SHA256SUMS", `${"a".repeat(64)}  seshet-${pkg.version}-windows-x64.zip\n`);
    const r = await install();
    overrides.delete("SHA256SUMS");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`has no build for ${OS}-${ARCH}`);
    expect(readdirSync(r.temp)).toEqual([]);
  });

  test("the default download location is the repository package.json names", async () => {
    const script = readFileSync(join(ROOT, "install.sh"), "utf8");
    const url = /^REPO_URL="([^"]+)"$/m.exec(script)?.[1];
    expect(url).toBeDefined();
    expect((pkg as { repository?: { url?: string } }).repository?.url).toBe(`git+${url}.git`);
  });
});
