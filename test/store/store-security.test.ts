// The store's files are private, and PostgreSQL connections are verified
// TLS off this machine: the settings are built without a server to talk to.
import { describe, expect, test } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { openKyselyStore } from "../../src/store/open-store.ts";
import { isLocalHost, postgresTarget } from "../../src/store/postgres-config.ts";
import { daily, DRIVERS, NOW, tempDir } from "./store-fixtures.ts";

const mode = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === "win32")("SQLite file modes", () => {
  for (const driver of DRIVERS) {
    test(`seshet.db, -wal and -shm are created 0600 (${driver} driver)`, async () => {
      const tmp = tempDir();
      const oldMask = process.umask(0o022);
      try {
        const db = path.join(tmp.dir, "seshet.db");
        const store = await openKyselyStore(db, { driver });
        // A write, so the WAL and the shared-memory index both exist.
        await store.sync([daily("d", { order: 0 })], [], NOW);
        expect(mode(db)).toBe(0o600);
        expect(mode(`${db}-wal`)).toBe(0o600);
        expect(mode(`${db}-shm`)).toBe(0o600);
        await store.close();
      } finally {
        process.umask(oldMask);
        tmp.remove();
      }
    });
  }

  test("an existing file keeps its owner's mode", async () => {
    const tmp = tempDir();
    try {
      const db = path.join(tmp.dir, "shared.db");
      writeFileSync(db, "", { mode: 0o640 });
      const store = await openKyselyStore(db);
      await store.close();
      expect(mode(db)).toBe(0o640);
    } finally {
      tmp.remove();
    }
  });

  test("a store in a missing folder is a clear error", async () => {
    const tmp = tempDir();
    try {
      await expect(openKyselyStore(path.join(tmp.dir, "no", "such", "seshet.db"))).rejects.toThrow(/cannot create the store/);
    } finally {
      tmp.remove();
    }
  });
});

describe("PostgreSQL connection settings", () => {
  const noCa = () => {
    throw new Error("no CA file expected");
  };

  test("a remote host defaults to verified TLS", () => {
    const t = postgresTarget("postgres://seshet@db.example.net:5433/seshet", {}, noCa);
    expect(t).toMatchObject({ host: "db.example.net", port: 5433, user: "seshet", database: "seshet", sslmode: "verify-full" });
    expect(t.ssl).toEqual({ rejectUnauthorized: true });
  });

  test("this machine defaults to plain TCP", () => {
    for (const host of ["localhost", "127.0.0.1", "[::1]"]) {
      expect(postgresTarget(`postgres://u@${host}/db`, {}, noCa)).toMatchObject({ ssl: false, sslmode: "disable" });
    }
    expect(postgresTarget("postgres:///db", {}, noCa).host).toBe("localhost");
    expect(isLocalHost("127.0.0.1.evil.example")).toBe(false);
    expect(isLocalHost("localhost.example.com")).toBe(false);
  });

  test("the URL's sslmode wins", () => {
    expect(postgresTarget("postgres://u@db.example.net/db?sslmode=disable", {}, noCa).ssl).toBe(false);
    expect(postgresTarget("postgres://u@localhost/db?sslmode=verify-full", {}, noCa).ssl).toEqual({ rejectUnauthorized: true });
    // require is taken as verify-full: unverified TLS stops no interceptor.
    expect(postgresTarget("postgres://u@db.example.net/db?sslmode=require", {}, noCa).ssl).toEqual({ rejectUnauthorized: true });
    const ca = postgresTarget("postgres://u@db.example.net/db?sslmode=verify-ca", {}, noCa).ssl;
    expect(ca && ca.rejectUnauthorized).toBe(true);
    expect(ca && ca.checkServerIdentity?.("other.host", {} as never)).toBeUndefined();
    expect(() => postgresTarget("postgres://u@h.example/db?sslmode=bogus", {}, noCa)).toThrow(/sslmode must be one of/);
  });

  test("sslrootcert is read and used as the CA", () => {
    const read: string[] = [];
    const t = postgresTarget("postgres://u@db.example.net/db?sslrootcert=/etc/seshet/ca.pem", {}, (f) => {
      read.push(f);
      return "-----BEGIN CERTIFICATE-----\n…";
    });
    expect(read).toEqual(["/etc/seshet/ca.pem"]);
    expect(t.ssl).toEqual({ rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----\n…" });
    expect(postgresTarget("postgres://u@db.example.net/db?sslrootcert=system", {}, noCa).ssl).toEqual({ rejectUnauthorized: true });
    expect(() => postgresTarget("postgres://u@db.example.net/db?sslrootcert=/nope.pem", {}, (f) => {
      throw new Error(`ENOENT: ${f}`);
    })).toThrow(/cannot read sslrootcert '\/nope.pem'/);
    expect(() => postgresTarget("postgres://u@db.example.net/db?sslmode=disable&sslrootcert=/ca.pem", {}, noCa)).toThrow(/sslrootcert needs TLS/);
  });

  test("a password in the URL is refused, in the user-info or the query string", () => {
    expect(() => postgresTarget("postgres://u:secret@db.example.net/db", {}, noCa)).toThrow(/SESHET_DB_PASSWORD/);
    expect(() => postgresTarget("postgres://u@db.example.net/db?password=secret", {}, noCa)).toThrow(/SESHET_DB_PASSWORD/);
    expect(() => postgresTarget("postgres://u@db.example.net/db?sslmode=verify-full&PassWord=x", {}, noCa)).toThrow(/SESHET_DB_PASSWORD/);
    // The message never repeats the secret.
    try {
      postgresTarget("postgres://u@db.example.net/db?password=hunter2", {}, noCa);
    } catch (e) {
      expect(String(e)).not.toContain("hunter2");
    }
  });

  test("other parameters are refused, not silently ignored; the password comes from the environment", () => {
    expect(() => postgresTarget("postgres://u@localhost/db?connect_timeout=5", {}, noCa)).toThrow(/unsupported URL parameter 'connect_timeout'/);
    expect(postgresTarget("postgres://u@localhost/db", { SESHET_DB_PASSWORD: "p1", PGPASSWORD: "p2" }, noCa).password).toBe("p1");
    expect(postgresTarget("postgres://u@localhost/db", { PGPASSWORD: "p2" }, noCa).password).toBe("p2");
    expect(postgresTarget("postgres://@localhost/db", { PGUSER: "envuser" }, noCa).user).toBe("envuser");
  });
});
