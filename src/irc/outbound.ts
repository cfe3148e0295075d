// What the bot asks to send, turned into queued lines: text is checked
// (target), split (MessageLines) and put in the task lane (`send`) or the
// reply lane (`reply`, at most `maxLines`); JOIN and PART go to the joiner.
// Never throws: a bad command is logged and dropped.
import type { Logger } from "./logger-types.ts";
import type { ChannelJoiner } from "./channel-joiner.ts";
import type { MessageLines } from "./message-lines.ts";
import type { SendQueue } from "./send-queue.ts";
import type { OutgoingCommand, TextCommand } from "./transport.ts";
import { targetProblem } from "./sanitize.ts";

export class Outbound {
  constructor(
    private readonly queue: Pick<SendQueue, "enqueue" | "enqueueReply">,
    private readonly messages: Pick<MessageLines, "lines">,
    private readonly channels: Pick<ChannelJoiner, "join" | "part">,
    private readonly log: Logger,
  ) {}

  send(command: OutgoingCommand): void {
    try {
      switch (command.kind) {
        case "privmsg":
        case "notice":
        case "action":
          for (const line of this.#lines(command)) this.queue.enqueue(line);
          return;
        case "join":
          this.channels.join(command.channel);
          return;
        case "part":
          this.channels.part(command.channel, command.reason);
          return;
      }
    } catch (error) {
      this.log.error("could not queue an outgoing command", { kind: command?.kind, error: String(error) });
    }
  }

  /** Queues at most `maxLines` of the reply's lines; returns how many lines the whole text makes. */
  reply(command: TextCommand, maxLines: number): number {
    try {
      const lines = this.#lines(command);
      for (const line of lines.slice(0, Math.max(0, maxLines))) if (!this.queue.enqueueReply(line)) break;
      return lines.length;
    } catch (error) {
      this.log.error("could not queue a reply", { kind: command?.kind, error: String(error) });
      return 0;
    }
  }

  #lines(command: TextCommand): string[] {
    const problem = targetProblem(command.target);
    if (!problem) return this.messages.lines(command);
    this.log.warn("dropped a message to an invalid target", { target: command.target, problem });
    return [];
  }
}
