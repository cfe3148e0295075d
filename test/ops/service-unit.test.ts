// `seshet init --service`: the unit names this binary and project, carries
// the hardening the README promises, and passes `systemd-analyze verify`
// (where systemd-analyze exists).
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { secretVarsIn, serviceUnit } from "../../src/cli/service-unit.ts";
import { ensureBinary, ROOT } from "../support/seshet-process.ts";

const ANALYZE = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => spawnSync(p, ["--version"]).status === 0);
// Under the project, not /tmp: a real service cannot see a private /tmp, and init warns about it.
const work = mkdtempSync(join(ROOT, ".tmp-service-"));
chmodSync(work, 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function verify(unitFile: string): { code: number | null; out: string } {
  const r = spawnSync(ANALYZE!, ["verify", unitFile], { encoding: "utf8" });
  // Complaints about other units on this machine are not ours.
  const ours = `${r.stdout}${r.stderr}`.split("\n").filter((l) => l.includes(unitFile) || l.includes("seshet")).join("\n");
  return { code: r.status, out: ours };
}

describe("seshet init --service", () => {
  const project = join(work, "bots-project");
  mkdirSync(join(project, "bots"), { recursive: true });
  writeFileSync(
    join(project, "bots/libera.toml"),
    'nick = "b"\n# password = { env = "COMMENTED_OUT" }\n[server]\nhost = "irc.libera.chat"\n[sasl]\naccount = "b"\npassword = { env = "SESHET_LIBERA_PASSWORD" }\n',
  );
  const run = spawnSync(ensureBinary(), ["init", project, "--service"], { encoding: "utf8" });
  const unitFile = join(project, "seshet.service");

  test("writes seshet.service for this binary and this project", () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`created ${unitFile}`);
    expect(run.stdout).toContain(`sudo cp ${unitFile} /etc/systemd/system/seshet.service`);
    expect(run.stdout).toContain("sudoedit /etc/seshet/seshet.env   # SESHET_LIBERA_PASSWORD=…");
    const unit = readFileSync(unitFile, "utf8");
    expect(unit).toContain(`\nExecStart=${join(ROOT, "dist/seshet")} run --db /var/lib/seshet/seshet.db\n`);
    expect(unit).toContain(`\nWorkingDirectory=${project}\n`);
    for (const line of [
      "Type=exec",
      "Restart=on-failure",
      "ExecReload=/bin/kill -HUP $MAINPID",
      "DynamicUser=yes",
      "StateDirectory=seshet",
      "ProtectSystem=strict",
      "ProtectHome=read-only",
      "NoNewPrivileges=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
      "EnvironmentFile=-/etc/seshet/seshet.env",
    ]) {
      expect(unit).toContain(`\n${line}\n`);
    }
    expect(unit).toContain("read these secrets: SESHET_LIBERA_PASSWORD.");
    expect(unit).not.toContain("COMMENTED_OUT");
  });

  test("never overwrites an existing unit", () => {
    writeFileSync(unitFile, "# mine\n");
    const again = spawnSync(ensureBinary(), ["init", project, "--service"], { encoding: "utf8" });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${unitFile} exists, left as is`);
    expect(readFileSync(unitFile, "utf8")).toBe("# mine\n");
    rmSync(unitFile);
    spawnSync(ensureBinary(), ["init", project, "--service"]);
  });

  test.skipIf(!ANALYZE)("passes systemd-analyze verify", () => {
    const r = verify(unitFile);
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
  });

  test.skipIf(!ANALYZE)("paths with spaces, % and $ are quoted so systemd reads them back", () => {
    const dir = join(work, "my 100% $HOME bots");
    mkdirSync(dir, { recursive: true });
    const fake = join(dir, "seshet");
    writeFileSync(fake, "#!/bin/sh\nexit 0\n");
    chmodSync(fake, 0o755);
    const unitPath = join(work, "quoted.service");
    const unit = serviceUnit({ command: [fake], projectDir: dir, secretVars: [] });
    expect(unit).toContain(`ExecStart="${dir.replace("%", "%%")}/seshet" run`);
    writeFileSync(unitPath, unit);
    const r = verify(unitPath);
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
    expect(() => serviceUnit({ command: [fake], projectDir: "/srv/a\nExecStartPre=/bin/evil", secretVars: [] })).toThrow("control characters");
  });

  test("init warns when the service user could not read the project", () => {
    const hidden = join(work, "private");
    mkdirSync(hidden, { mode: 0o700 });
    const r = spawnSync(ensureBinary(), ["init", join(hidden, "p"), "--service"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`warning: ${hidden} is not readable by other users`);
  });
});

test("secret variables are read from bot files' { env = ... } outside comments", () => {
  expect(secretVarsIn(['password = { env = "A" }\n  # x = { env = "B" }\n[sasl]\npassword = {env="C"}\n', 'p = { env = "A" }'])).toEqual(["A", "C"]);
});
