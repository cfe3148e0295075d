// A private PostgreSQL cluster for tests, on 127.0.0.1 only, in a temp dir.
//
//   const why = postgresUnavailable();       // null, or why no cluster can be started here
//   const pg = await startPostgres();        // { port, user, password, env, url(db), createDatabase(), stop() }
//   const url = await pg.createDatabase();   // a fresh empty database: postgres://seshet@127.0.0.1:PORT/t_…
//   ... openStore(url, { env: pg.env }) ... (the password is in pg.env, never in the URL)
//   await pg.stop();                         // always, in afterAll (stops by the postmaster's pid)
//
// The binaries come from Debian's `postgresql` package
// (/usr/lib/postgresql/NN/bin, the newest NN). initdb refuses to run as root,
// so as root the cluster is created and run as the `postgres` user the
// package creates (runuser). Password authentication (scram) is on, so the
// tests go through SESHET_DB_PASSWORD like a real deployment. fsync is off:
// these clusters are thrown away (the bench starts its own with `durable`).
import { afterAll, beforeAll } from "bun:test";
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./ngircd.ts";
import { processAlive } from "./process-alive.ts";

export interface PostgresCluster {
  port: number;
  user: string;
  password: string;
  /** pid of the postmaster (a new one after resume()). */
  readonly pid: number;
  /** Environment giving Seshet the password. */
  env: { SESHET_DB_PASSWORD: string };
  url(database: string): string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the cluster by pid (fast shutdown, then SIGKILL) and removes its dir. */
  stop(): Promise<void>;
  /** Shuts the server down (fast: connections are cut) but keeps its data; resume() starts it again on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

const USER = "seshet";

/** The newest installed PostgreSQL bin dir, or null. */
export function postgresBinDir(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(base, versions[0], "bin");
}

/** null when a cluster can be started, else the reason it cannot. */
export function postgresUnavailable(): string | null {
  if (postgresBinDir() === null) return "PostgreSQL is not installed (apt-get install -y postgresql)";
  if (process.getuid?.() === 0 && runAsUid() === null) return "running as root and there is no `postgres` user to run initdb as";
  return null;
}

/**
 * For test files: the reason to skip PostgreSQL tests here, or null to run
 * them. In CI (CI=true) a missing PostgreSQL is an error, not a skip.
 */
export function skipPostgresReason(): string | null {
  const why = postgresUnavailable();
  if (why === null) return null;
  if (process.env.CI === "true") throw new Error(`CI: PostgreSQL tests cannot run: ${why}`);
  console.warn(`skipping PostgreSQL tests: ${why}`);
  return why;
}

function runAsUid(): { uid: number; gid: number } | null {
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startPostgres(opts: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? runAsUid() : null;
  if (asRoot && owner === null) throw new Error("running as root and there is no `postgres` user to run initdb as");
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);
  const run = (cmd: string, args: string[]) => {
    const [c, a] = wrap(cmd, args);
    const r = spawnSync(c, a, { encoding: "utf8", cwd: tmpdir() });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r;
  };

  const dir = mkdtempSync(join(tmpdir(), "seshet-pg-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = join(dir, "pwfile");
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  const port = await freePort();
  // The server's settings, for the first start and every restart.
  const settingsArg = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    ...(opts.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
  ].join(" ");
  try {
    run(join(bin, "initdb"), ["-D", data, "-U", USER, "--pwfile", pwfile, "--auth=scram-sha-256", "--no-locale", "-E", "UTF8", "--no-sync"]);
    rmSync(pwfile);
    run(join(bin, "pg_ctl"), ["start", "-w", "-t", "30", "-D", data, "-l", join(dir, "server.log"), "-o", settingsArg]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const url = (database: string) => `postgres://${USER}@127.0.0.1:${port}/${database}`;
  let serial = 0;

  return {
    port,
    user: USER,
    password,
    get pid() {
      return pid;
    },
    env: { SESHET_DB_PASSWORD: password },
    url,
    async createDatabase() {
      const name = `t_${process.pid}_${++serial}_${Math.random().toString(36).slice(2, 8)}`;
      const client = new pg.Client({ host: "127.0.0.1", port, user: USER, database: "postgres", password });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async pause() {
      run(join(bin, "pg_ctl"), ["stop", "-w", "-t", "30", "-m", "fast", "-D", data]);
    },
    async resume() {
      run(join(bin, "pg_ctl"), ["start", "-w", "-t", "30", "-D", data, "-l", join(dir, "server.log"), "-o", settingsArg]);
      pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    },
    async stop() {
      try {
        process.kill(pid, "SIGINT"); // fast shutdown
      } catch {
        // already gone
      }
      const deadline = Date.now() + 10_000;
      while (processAlive(pid)) {
        if (Date.now() > deadline) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // gone meanwhile
          }
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


/**
 * For one test file: a private cluster started in beforeAll (unless
 * PostgreSQL is unavailable here, see skipPostgresReason) and stopped in afterAll.
 */
export function usePostgres(): { readonly skip: boolean; readonly cluster: PostgresCluster | undefined } {
  const state: { skip: boolean; cluster: PostgresCluster | undefined } = { skip: skipPostgresReason() !== null, cluster: undefined };
  beforeAll(async () => {
    if (!state.skip) state.cluster = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await state.cluster?.stop();
  }, 30_000);
  return state;
}
