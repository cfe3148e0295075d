// `seshet run --console`: the bot talks to the terminal instead of a server.
// What it would send is printed; lines typed are delivered as messages from an
// admin-like user "console" in the bot's first channel. No flood delay.
import type { IrcConnectionConfig } from "./connection-config.ts";
import type { OutgoingCommand, TextCommand, Transport, TransportSink } from "./transport.ts";
import { caseFold } from "./case-mapping.ts";
import { sanitizeText, targetProblem, textLines } from "./sanitize.ts";

export interface ConsoleIo {
  write(line: string): void;
}

export const CONSOLE_USER = "console";

export class ConsoleTransport implements Transport {
  readonly #bot: IrcConnectionConfig;
  readonly #io: ConsoleIo;
  #sink: TransportSink | null = null;
  #running = false;

  constructor(bot: IrcConnectionConfig, io: ConsoleIo) {
    this.#bot = bot;
    this.#io = io;
  }

  get nick(): string {
    return this.#bot.nick;
  }

  get connected(): boolean {
    return this.#running;
  }

  get ready(): boolean {
    return this.#running;
  }

  start(sink: TransportSink): void {
    if (this.#sink) return;
    this.#sink = sink;
    this.#running = true;
    sink("registered", { nick: this.#bot.nick });
    for (const channel of this.#bot.channels) {
      this.#print(`joined ${channel}`);
      sink("join", { nick: this.#bot.nick, ident: this.#bot.username, hostname: "console", account: null, channel });
    }
    sink("ready", {});
  }

  async stop(reason: string): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#print(`quit (${sanitizeText(reason)})`);
  }

  send(command: OutgoingCommand): void {
    if (!this.#running) return;
    switch (command.kind) {
      case "privmsg":
      case "notice":
      case "action": {
        if (targetProblem(command.target)) {
          this.#print(`(dropped a message to an invalid target ${JSON.stringify(command.target)})`);
          return;
        }
        for (const line of textLines(command.text)) {
          if (command.kind === "privmsg") this.#print(`-> ${command.target}: ${line}`);
          else if (command.kind === "notice") this.#print(`-> ${command.target} (notice): ${line}`);
          else this.#print(`-> ${command.target} * ${this.#bot.nick} ${line}`);
        }
        return;
      }
      case "join":
        this.#print(`joins ${command.channel}`);
        return;
      case "part":
        this.#print(`parts ${command.channel}${command.reason ? ` (${sanitizeText(command.reason)})` : ""}`);
        return;
    }
  }

  /** Printed at once like any other line: the terminal has no flood limits. */
  reply(command: TextCommand, maxLines: number): number {
    if (!this.#running || targetProblem(command.target)) return 0;
    const lines = textLines(command.text);
    this.send({ ...command, text: lines.slice(0, Math.max(0, maxLines)).join("\n") });
    return lines.length;
  }

  /** The terminal user is who the console says: nobody else can type here. */
  async verifyAccount(nick: string): Promise<string | null> {
    return nick === CONSOLE_USER ? CONSOLE_USER : null;
  }

  caseFold(text: string): string {
    return caseFold(text);
  }

  /** A line typed on the terminal: a message from "console" in the first channel (private if none). */
  deliver(line: string): void {
    const sink = this.#sink;
    if (!sink || !this.#running) return;
    const text = line.replace(/\r?\n$/, "");
    if (text.length === 0) return;
    const channel = this.#bot.channels[0];
    const isPrivate = channel === undefined;
    sink("message", {
      nick: CONSOLE_USER,
      ident: CONSOLE_USER,
      hostname: CONSOLE_USER,
      account: CONSOLE_USER,
      kind: "privmsg",
      target: channel ?? this.#bot.nick,
      text,
      isPrivate,
      replyTarget: channel ?? CONSOLE_USER,
    });
  }

  #print(text: string): void {
    this.#io.write(`[${this.#bot.name}] ${text}`);
  }
}
