// `seshet run --metrics ADDR`: GET /metrics (Prometheus text) and GET /healthz
// (200 when every bot is ready, 503 with the reasons) over plain HTTP. It
// listens on loopback unless an address says otherwise; it serves only what
// metrics-text.ts renders: bot names, declared task names and numbers.
import { createServer, type Server } from "node:http";
import { health, metricsText, type BotView } from "./metrics-text.ts";
import type { MetricsAddress } from "./metrics-address.ts";

export type { MetricsAddress };

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts serving; rejects when the address cannot be bound (in use, not local). */
export function serveMetrics(addr: MetricsAddress, views: () => BotView[]): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("only GET\n");
      return;
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(metricsText(views()));
    } else if (path === "/healthz") {
      const h = health(views());
      res.writeHead(h.ok ? 200 : 503, { "content-type": "text/plain; charset=utf-8" }).end(h.text);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /healthz\n");
    }
  });
  // A scrape is tiny: slow or idle clients are not kept around.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host, () => {
      server.off("error", reject);
      const a = server.address();
      resolve({
        port: typeof a === "object" && a ? a.port : addr.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
