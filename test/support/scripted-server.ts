// An IRC server played by the test on 127.0.0.1, for what ngIRCd lacks
// (services accounts, SASL, hostile input): each line the client sends is
// answered with `script(line)`'s lines, and the test can send anything,
// raw bytes included.
import { createServer, type Server, type Socket } from "node:net";

export interface ScriptedServer {
  port: number;
  /** Lines received from the client, in order (CR LF removed). */
  received: string[];
  send(line: string): void;
  /** Bytes as they are, no CR LF added (for truncated or non-UTF-8 input). */
  sendRaw(bytes: Uint8Array | string): void;
  waitFor(pred: (line: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  /** How many clients have connected so far. */
  readonly connections: number;
  /** Closes the current client's connection (the server goes on listening). */
  drop(): void;
  close(): Promise<void>;
}

export async function scriptedServer(script: (line: string) => string[]): Promise<ScriptedServer> {
  const received: string[] = [];
  const waiters = new Set<() => void>();
  let client: Socket | null = null;
  let connections = 0;
  const server: Server = createServer((sock) => {
    client?.destroy();
    client = sock;
    connections++;
    let buf = "";
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\r\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        received.push(line);
        if (!sock.destroyed) for (const out of script(line)) sock.write(`${out}\r\n`);
        for (const w of [...waiters]) w();
      }
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const write = (data: Uint8Array | string) => {
    const c = client as Socket | null;
    if (c && !c.destroyed) c.write(data);
  };
  return {
    port,
    received,
    get connections() {
      return connections;
    },
    drop: () => (client as Socket | null)?.destroy(),
    send: (line) => write(`${line}\r\n`),
    sendRaw: (bytes) => write(bytes),
    waitFor: (pred, timeoutMs = 5000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = received.slice(from).find(pred);
          if (hit === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`scripted server: no matching line; got:\n${received.slice(-40).join("\n")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((r) => {
        (client as Socket | null)?.destroy();
        server.close(() => r());
      }),
  };
}

/** Registration for a client named `nick`: CAP negotiation offering `caps`, welcome, and our own JOINs echoed. */
export function registration(nick: string, caps: string, isupport = "CHANTYPES=# CASEMAPPING=rfc1459"): (line: string) => string[] {
  return (line) => {
    if (line.startsWith("CAP LS")) return [`:fake CAP * LS :${caps}`];
    if (line.startsWith("CAP REQ")) return [`:fake CAP * ACK :${line.slice(line.indexOf(":") + 1)}`];
    if (line === "CAP END") return [`:fake 001 ${nick} :Welcome`, `:fake 005 ${nick} ${isupport} :are supported`, `:fake 376 ${nick} :End of MOTD`];
    const join = /^JOIN (\S+)/.exec(line);
    if (join) {
      return join[1]!.split(",").flatMap((ch) => [
        `:${nick}!s@bot.host JOIN ${ch}${caps.includes("extended-join") ? " * :Seshet" : ""}`,
        `:fake 353 ${nick} = ${ch} :${nick}`,
        `:fake 366 ${nick} ${ch} :End of /NAMES list.`,
      ]);
    }
    return [];
  };
}
