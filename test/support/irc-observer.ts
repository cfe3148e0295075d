// A minimal IRC client over node:net (deliberately not irc-framework) that
// watches what a bot really puts on the wire, for integration tests.
//
//   const obs = await connectObserver({ port, nick: "watcher", channels: ["#t"] });
//   (options: host, timeoutMs (default 5000 for every wait), localAddress e.g. "127.0.0.2", password)
//   await obs.waitFor((m) => m.from === "seshet" && m.text === "hi", 5000);
//   obs.messages     // every PRIVMSG/NOTICE seen: { from, prefix, command, target, text, at }
//   obs.lines        // every raw line received: { line, at }
//   await obs.waitForLine((l) => l.startsWith(":seshet!") && l.includes(" JOIN "), 5000);
//   obs.say("#t", "hello"); obs.raw("MODE #t +m"); await obs.join("#other");
//   await obs.quit();                   // sends QUIT, resolves when the socket closed
//
// Registration resolves once 001 arrives and every channel in `channels` is
// joined; it rejects on 433 (nick in use) or after `timeoutMs`. `at` is
// Date.now() at arrival. PINGs are answered automatically.
import { connect, type Socket } from "node:net";

export interface ObservedMessage {
  /** Sender nick (or server name). */
  from: string;
  /** Full prefix, `nick!user@host`. */
  prefix: string;
  command: "PRIVMSG" | "NOTICE";
  target: string;
  text: string;
  at: number;
}

export interface ObservedLine {
  line: string;
  at: number;
}

export interface ObserverOptions {
  port: number;
  host?: string;
  nick: string;
  channels?: string[];
  timeoutMs?: number;
  /** Source address, e.g. "127.0.0.2" to appear from another host than the bot. */
  localAddress?: string;
  /** Server password (PASS). */
  password?: string;
}

export interface IrcObserver {
  readonly nick: string;
  readonly messages: ObservedMessage[];
  readonly lines: ObservedLine[];
  /** Resolves with the first message (already seen or arriving) matching; rejects after timeoutMs. */
  waitFor(pred: (m: ObservedMessage) => boolean, timeoutMs?: number): Promise<ObservedMessage>;
  /** Same over raw lines (JOIN, QUIT, NICK, numerics...). */
  waitForLine(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  say(target: string, text: string): void;
  raw(line: string): void;
  /** JOINs and resolves when the server confirms. */
  join(channel: string, timeoutMs?: number): Promise<void>;
  quit(reason?: string): Promise<void>;
  readonly closed: boolean;
}

interface Parsed {
  prefix: string;
  command: string;
  params: string[];
}

function parseLine(line: string): Parsed {
  let rest = line;
  if (rest.startsWith("@")) rest = rest.slice(rest.indexOf(" ") + 1);
  let prefix = "";
  if (rest.startsWith(":")) {
    const sp = rest.indexOf(" ");
    prefix = rest.slice(1, sp);
    rest = rest.slice(sp + 1);
  }
  const params: string[] = [];
  while (rest.length > 0) {
    if (rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const sp = rest.indexOf(" ");
    if (sp < 0) {
      params.push(rest);
      break;
    }
    params.push(rest.slice(0, sp));
    rest = rest.slice(sp + 1).replace(/^ +/, "");
  }
  const command = (params.shift() ?? "").toUpperCase();
  return { prefix, command, params };
}

export async function connectObserver(opts: ObserverOptions): Promise<IrcObserver> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const messages: ObservedMessage[] = [];
  const lines: ObservedLine[] = [];
  const waiters = new Set<() => void>();
  let sock: Socket;
  let closed = false;
  let buf = "";

  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const onLine = (line: string) => {
    const at = Date.now();
    lines.push({ line, at });
    const p = parseLine(line);
    if (p.command === "PING") {
      sock.write(`PONG :${p.params[0] ?? ""}\r\n`);
    } else if (p.command === "PRIVMSG" || p.command === "NOTICE") {
      messages.push({
        from: p.prefix.split("!")[0] ?? p.prefix,
        prefix: p.prefix,
        command: p.command,
        target: p.params[0] ?? "",
        text: p.params[1] ?? "",
        at,
      });
    }
    notify();
  };

  const waitGeneric = <T>(check: () => T | undefined, what: string, ms: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== undefined) return resolve(first);
      const waiter = () => {
        const found = check();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (closed) {
          done();
          reject(new Error(`observer ${opts.nick}: connection closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        const tail = lines.slice(-15).map((l) => l.line).join("\n");
        reject(new Error(`observer ${opts.nick}: timed out after ${ms} ms waiting for ${what}; last lines:\n${tail}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      waiters.add(waiter);
    });

  const waitForLine = (pred: (line: string) => boolean, ms = timeoutMs) =>
    waitGeneric(() => lines.find((l) => pred(l.line))?.line, "a matching line", ms);

  sock = connect({ host: opts.host ?? "127.0.0.1", port: opts.port, localAddress: opts.localAddress });
  sock.setEncoding("utf8");
  sock.on("data", (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, "");
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  });
  sock.on("close", () => {
    closed = true;
    notify();
  });
  sock.on("error", () => {
    // "close" follows; waiters report it
  });

  await new Promise<void>((resolve, reject) => {
    sock.once("connect", () => resolve());
    sock.once("error", reject);
  });
  if (opts.password) sock.write(`PASS ${opts.password}\r\n`);
  sock.write(`NICK ${opts.nick}\r\nUSER ${opts.nick.slice(0, 9)} 0 * :observer\r\n`);
  const welcome = await waitForLine((l) => {
    const p = parseLine(l);
    return p.command === "001" || p.command === "433" || p.command === "ERROR";
  });
  if (parseLine(welcome).command !== "001") {
    sock.destroy();
    throw new Error(`observer ${opts.nick} could not register: ${welcome}`);
  }

  const self: IrcObserver = {
    nick: opts.nick,
    messages,
    lines,
    get closed() {
      return closed;
    },
    waitFor: (pred, ms = timeoutMs) => waitGeneric(() => messages.find(pred), "a matching message", ms),
    waitForLine,
    say(target, text) {
      self.raw(`PRIVMSG ${target} :${text}`);
    },
    raw(line) {
      if (!closed) sock.write(`${line}\r\n`);
    },
    async join(channel, ms = timeoutMs) {
      self.raw(`JOIN ${channel}`);
      // 366 (end of NAMES) follows our own JOIN; it names the channel.
      await waitForLine((l) => {
        const p = parseLine(l);
        return p.command === "366" && (p.params[1] ?? "").toLowerCase() === channel.toLowerCase();
      }, ms);
    },
    async quit(reason = "bye") {
      if (closed) return;
      sock.write(`QUIT :${reason}\r\n`);
      const gone = new Promise<void>((resolve) => (closed ? resolve() : sock.once("close", () => resolve())));
      const timer = setTimeout(() => sock.destroy(), 2000);
      await gone;
      clearTimeout(timer);
    },
  };
  for (const ch of opts.channels ?? []) await self.join(ch);
  return self;
}
