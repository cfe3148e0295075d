// A real ngIRCd for integration tests, on 127.0.0.1 only.
//
//   const irc = await startNgircd();          // { port, pid, configPath, stop, restart, kill }
//   ... connect clients to 127.0.0.1:irc.port ...
//   await irc.stop();                         // always, in afterAll (kills by pid, waits for exit)
//
// Options: { motd?, port? (default: a free one), password? (server PASS),
// tls? (also a TLS listener on `tlsPort`, self-signed certificate) }.
// Each call writes its own ngircd.conf into a fresh temp dir (removed by
// stop()), picks a free port, and runs `ngircd --nodaemon` in the foreground.
// `restart()` stops it and starts it again on the same port (clients see the
// connection drop). `stopServer()` stops it without removing the temp dir so
// that `start()` can bring it back later (an outage of a chosen length).
// Flood penalties are left at ngIRCd's defaults on purpose: tests must prove
// the bot's own flood control keeps it connected. Only a test about something
// else (the order of many lines) may lower them, with `maxPenaltyTime`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NgircdOptions {
  motd?: string;
  /** Port to use (default: a free one). */
  port?: number;
  /** Server password every client must send (PASS). */
  password?: string;
  /** Also listen with TLS (a fresh self-signed certificate for CN=localhost) on `tlsPort`. */
  tls?: boolean;
  /** ngIRCd's MaxPenaltyTime: 0 turns its flood penalties off (default: ngIRCd's own, no limit). */
  maxPenaltyTime?: number;
}

export interface Ngircd {
  port: number;
  /** TLS port when started with `tls: true` (self-signed certificate), else null. */
  tlsPort: number | null;
  /** pid of the current ngircd process (changes after restart/start). */
  readonly pid: number;
  configPath: string;
  /** Stops the server (if running) and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port. */
  restart(): Promise<void>;
  /** Stops the server, keeping its config so `start()` can run it again. */
  stopServer(): Promise<void>;
  /** Starts the server again after `stopServer()`. */
  start(): Promise<void>;
  /** Last lines ngircd printed (for failure messages). */
  output(): string;
}

const NGIRCD = process.env.NGIRCD_BIN ?? "/usr/sbin/ngircd";

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function sslSection(dir: string, tlsPort: number | null): string {
  if (tlsPort === null) return "";
  return `[SSL]
\tCertFile = ${join(dir, "cert.pem")}
\tKeyFile = ${join(dir, "key.pem")}
\tPorts = ${tlsPort}
`;
}

function configText(port: number, dir: string, motd: string, password?: string, tlsPort: number | null = null, maxPenaltyTime?: number): string {
  return `[Global]${password ? `\n\tPassword = ${password}` : ""}
\tName = irc.seshet.test
\tInfo = Seshet test server
\tListen = 127.0.0.1
\tPorts = ${port}
\tMotdPhrase = "${motd.replace(/"/g, "'")}"
[Limits]
\tMaxConnectionsIP = 0
\tMaxJoins = 0
\tMaxNickLength = 30
\tPingTimeout = 120
\tPongTimeout = 20${maxPenaltyTime === undefined ? "" : `\n\tMaxPenaltyTime = ${maxPenaltyTime}`}
[Options]
\tDNS = no
\tIdent = no
\tPAM = no
\tMorePrivacy = no
\tNoticeBeforeRegistration = no
\tRequireAuthPing = no
\tOperCanUseMode = yes
[Operator]
\tName = testoper
\tPassword = testoper
${sslSection(dir, tlsPort)}`;
}

async function portAccepts(port: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export async function startNgircd(opts: NgircdOptions = {}): Promise<Ngircd> {
  const dir = mkdtempSync(join(tmpdir(), "seshet-ngircd-"));
  const port = opts.port ?? (await freePort());
  const configPath = join(dir, "ngircd.conf");
  let tlsPort: number | null = null;
  if (opts.tls) {
    tlsPort = await freePort();
    const made = spawnSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "pipe" });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr?.toString()}`);
  }
  writeFileSync(configPath, configText(port, dir, opts.motd ?? "Seshet test server", opts.password, tlsPort, opts.maxPenaltyTime));

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log: string[] = [];

  const launch = async (): Promise<void> => {
    const proc = spawn(NGIRCD, ["--nodaemon", "--config", configPath], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    const keep = (chunk: Buffer) => {
      log.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      if (log.length > 200) log = log.slice(-200);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    let gone = false;
    exited = new Promise<void>((resolve) => {
      proc.once("exit", () => {
        gone = true;
        resolve();
      });
      proc.once("error", (e) => {
        log.push(String(e));
        gone = true;
        resolve();
      });
    });
    const deadline = Date.now() + 10_000;
    while (!(await portAccepts(port))) {
      if (gone) throw new Error(`ngircd exited before listening:\n${log.join("\n")}`);
      if (Date.now() > deadline) {
        await halt();
        throw new Error(`ngircd did not listen on ${port} within 10 s:\n${log.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const halt = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const pid = proc.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => {
      if (pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };

  await launch();

  return {
    port,
    tlsPort,
    get pid() {
      return (child as ChildProcess | null)?.pid ?? -1;
    },
    configPath,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    stopServer: halt,
    start: launch,
    output: () => log.join("\n"),
  };
}
