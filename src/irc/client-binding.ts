// Wires one irc-framework client's events to the transport: connection
// events, raw lines, messages (with CTCP) and membership. Every handler first
// checks `mine()`, so a client being replaced reports nothing.
import type { Client, IrcMessage } from "irc-framework";
import type { Logger } from "./logger-types.ts";
import type { Sender, TransportEvents } from "./transport.ts";
import type { NickKeeper } from "./nick-keeper.ts";
import type { AccountTracker } from "./account-tracker.ts";
import type { ChannelRoles } from "./channel-roles.ts";
import type { CtcpResponder } from "./ctcp-reply.ts";
import { bindMembership } from "./membership-events.ts";
import { bindMessages } from "./message-events.ts";

export interface ClientBinding {
  mine(): boolean;
  log: Logger;
  nicks: NickKeeper;
  accounts: AccountTracker;
  roles: ChannelRoles;
  ctcp: CtcpResponder;
  closed(): void;
  /** The socket closed with an error: a reason for the log, if none is known yet. */
  socketError(message: string): void;
  raw(msg: IrcMessage): void;
  registered(nick: string): void;
  enqueueReply(line: string): void;
  selfJoined(channel: string, ident: string, hostname: string): void;
  selfKicked(channel: string): void;
  sender(e: { nick: string; ident: string; hostname: string; tags?: Record<string, string | true> }): Sender;
  emit<K extends keyof TransportEvents>(event: K, payload: TransportEvents[K]): void;
}

export function bindClient(client: Client, b: ClientBinding): void {
  const { mine } = b;
  client.on("close", () => b.closed());
  client.on("socket close", (err) => {
    if (err) b.socketError(err.message);
  });
  client.connection.on("message", (msg: IrcMessage) => {
    if (mine()) b.raw(msg);
  });
  client.on("registered", (e) => {
    if (mine()) b.registered(e.nick);
  });
  client.on("sasl failed", (e) => {
    if (mine()) b.log.error("SASL authentication failed", { reason: e.reason, message: e.message });
  });
  client.on("loggedin", (e) => {
    if (mine() && b.nicks.isSelf(client, e.nick)) b.log.info("logged in to services", { account: e.account });
  });
  bindMessages(client, {
    mine,
    isSelf: (nick) => b.nicks.isSelf(client, nick),
    ctcp: b.ctcp,
    enqueueReply: b.enqueueReply,
    sender: b.sender,
    emit: (message) => b.emit("message", message),
  });
  b.roles.bind(client, mine, (nick) => b.nicks.isSelf(client, nick));
  bindMembership(client, {
    mine,
    accounts: b.accounts,
    nicks: b.nicks,
    log: b.log,
    selfJoined: b.selfJoined,
    selfKicked: b.selfKicked,
    sender: b.sender,
    emit: b.emit,
  });
}

/** QUIT with `reason` and wait for the close (at most 2 s); then the socket goes, whatever state it is in. */
export async function quitClient(client: Client, reason: string): Promise<void> {
  if (client.connected) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = new Promise<void>((resolve) => {
      client.once("close", () => resolve());
      timer = setTimeout(resolve, 2000);
    });
    client.quit(reason);
    await closed;
    clearTimeout(timer);
  }
  client.connection.end(null, true);
  client.removeAllListeners();
}
