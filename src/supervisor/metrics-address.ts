// Where `--metrics` listens: parsed apart from the server, so a process that
// only checks the option does not load an HTTP server.

export interface MetricsAddress {
  host: string;
  port: number;
}

/** `9464`, `127.0.0.1:9464`, `[::1]:9464` or `0.0.0.0:9464`; an error names what is wrong. */
export function parseMetricsAddress(text: string): MetricsAddress | string {
  const m = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) return `--metrics must be PORT or HOST:PORT (e.g. 127.0.0.1:9464; port 0: any free port), got "${text}"`;
  return { host: (m[1] ?? "127.0.0.1").replace(/^\[|\]$/g, ""), port };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
