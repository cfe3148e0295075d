// PRIVMSG, NOTICE, ACTION and CTCP requests from the server become the
// transport's message events (with the sender's account) or CTCP answers,
// which go to the reply lane under their own allowance.
import type { Client, MessageEvent } from "irc-framework";
import type { CtcpResponder } from "./ctcp-reply.ts";
import type { IncomingMessage, Sender } from "./transport.ts";
import { targetProblem } from "./sanitize.ts";

export interface MessageHost {
  /** False once this client is no longer the transport's current one. */
  mine(): boolean;
  isSelf(nick: string): boolean;
  ctcp: Pick<CtcpResponder, "answer">;
  enqueueReply(line: string): void;
  sender(e: MessageEvent): Sender;
  emit(message: IncomingMessage): void;
}

export function bindMessages(client: Client, h: MessageHost): void {
  const onMessage = (kind: IncomingMessage["kind"], e: MessageEvent) => {
    if (!h.mine() || e.from_server || !e.nick) return; // server notices are not messages from anyone
    const isPrivate = !client.network.isChannelName(e.target);
    h.emit({ ...h.sender(e), kind, target: e.target, text: e.message, isPrivate, replyTarget: isPrivate ? e.nick : e.target });
  };
  client.on("privmsg", (e) => onMessage("privmsg", e));
  client.on("notice", (e) => onMessage("notice", e));
  client.on("action", (e) => onMessage("action", e));
  client.on("ctcp request", (e) => {
    if (!h.mine() || e.from_server || targetProblem(e.nick) || h.isSelf(e.nick)) return;
    const reply = h.ctcp.answer(e.type ?? "", e.nick, e.message);
    if (reply !== null) h.enqueueReply(reply);
  });
}
