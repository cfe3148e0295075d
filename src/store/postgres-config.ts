// The `pg` pool settings a `postgres://` URL stands for, kept apart from the
// connection itself so every rule below is testable without a server:
// - the password never travels in the URL (it would end up in files, in `ps`
//   output of the bot children and in logs), neither as user-info nor as a
//   query parameter: it comes from SESHET_DB_PASSWORD or PGPASSWORD;
// - a server that is not on this machine is reached over verified TLS unless
//   the URL says otherwise (`sslmode=disable`), because the store holds
//   private-message text and the bots trust what it says;
// - a query parameter Seshet does not act on is refused rather than ignored.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";

export type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
const PARAMS = ["sslmode", "sslrootcert", "application_name"];

export interface PostgresTarget {
  host: string;
  port: number;
  user: string | undefined;
  database: string | undefined;
  password?: string;
  /** false: plain TCP; otherwise the TLS options (always verifying the chain). */
  ssl: false | ConnectionOptions;
  /** The mode in effect, after the default for the host was applied. */
  sslmode: SslMode;
  applicationName: string;
}

/** Reads a CA file; injectable so tests need no files. */
export type ReadCa = (file: string) => string;

/** Whether a host is this machine: only then is plain TCP the default. */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(h) || h === "::1" || h.startsWith("/");
}

export function postgresTarget(
  location: string,
  env: Record<string, string | undefined>,
  readCa: ReadCa = (file) => readFileSync(file, "utf8"),
): PostgresTarget {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new Error("--db: not a valid postgres:// URL");
  }
  const refusePassword = "--db: put the PostgreSQL password in SESHET_DB_PASSWORD (or PGPASSWORD), not in the URL";
  if (url.password !== "") throw new Error(refusePassword);
  for (const key of url.searchParams.keys()) {
    if (key.toLowerCase() === "password") throw new Error(refusePassword);
    if (!PARAMS.includes(key)) {
      throw new Error(`--db: unsupported URL parameter '${key}' (supported: ${PARAMS.join(", ")})`);
    }
  }
  const host = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost";
  const given = url.searchParams.get("sslmode");
  if (given !== null && !SSL_MODES.includes(given as SslMode)) {
    throw new Error(`--db: sslmode must be one of ${SSL_MODES.join(", ")}, got '${given}'`);
  }
  const sslmode: SslMode = (given as SslMode | null) ?? (isLocalHost(host) ? "disable" : "verify-full");
  const rootcert = url.searchParams.get("sslrootcert");
  const password = env.SESHET_DB_PASSWORD ?? env.PGPASSWORD;
  return {
    host,
    port: url.port === "" ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username) || env.PGUSER,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
    ...(password !== undefined ? { password } : {}),
    ssl: tlsOptions(sslmode, rootcert, readCa),
    sslmode,
    applicationName: url.searchParams.get("application_name") ?? "seshet",
  };
}

/**
 * `allow` and `prefer` are taken as `disable` (pg cannot fall back from one
 * to the other), and `require` as `verify-full`: an unverified TLS connection
 * protects against nobody who can intercept it.
 */
function tlsOptions(mode: SslMode, rootcert: string | null, readCa: ReadCa): false | ConnectionOptions {
  if (mode === "disable" || mode === "allow" || mode === "prefer") {
    if (rootcert !== null) throw new Error(`--db: sslrootcert needs TLS, but sslmode is '${mode}'`);
    return false;
  }
  const opts: ConnectionOptions = { rejectUnauthorized: true };
  // "system" (as in libpq) means the platform's CA store, which is also what no sslrootcert means.
  if (rootcert !== null && rootcert !== "system") {
    try {
      opts.ca = readCa(rootcert);
    } catch (err) {
      throw new Error(`--db: cannot read sslrootcert '${rootcert}': ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // verify-ca checks the chain but not that the certificate names this host.
  if (mode === "verify-ca") opts.checkServerIdentity = () => undefined;
  return opts;
}
