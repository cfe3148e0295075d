// Who is where, as the server reports it: JOIN, PART, KICK, QUIT, NICK and
// ACCOUNT keep the account tracker and the nick keeper current and become the
// transport's join/part events. Our own PART or KICK forgets the channel's
// users as well (AccountTracker: accounts live only while a channel is shared).
import type { Client } from "irc-framework";
import type { Logger } from "./logger-types.ts";
import type { AccountTracker } from "./account-tracker.ts";
import type { NickKeeper } from "./nick-keeper.ts";
import type { Sender, TransportEvents } from "./transport.ts";

export interface MembershipHost {
  /** False once this client is no longer the transport's current one. */
  mine(): boolean;
  accounts: AccountTracker;
  nicks: Pick<NickKeeper, "isSelf" | "onQuit" | "onNick">;
  log: Logger;
  selfJoined(channel: string, ident: string, hostname: string): void;
  selfKicked(channel: string): void;
  sender(e: { nick: string; ident: string; hostname: string; tags?: Record<string, string | true> }): Sender;
  emit<K extends "join" | "part">(event: K, payload: TransportEvents[K]): void;
}

export function bindMembership(client: Client, h: MembershipHost): void {
  const { accounts, nicks } = h;
  client.on("join", (e) => {
    if (!h.mine()) return;
    if (nicks.isSelf(client, e.nick)) h.selfJoined(e.channel, e.ident, e.hostname);
    else accounts.joined(client, e.nick, e.channel, e.account === undefined ? undefined : e.account || null);
    h.emit("join", { ...h.sender(e), channel: e.channel });
  });
  client.on("part", (e) => {
    if (!h.mine()) return;
    const sender = h.sender(e);
    left(client, h, e.nick, e.channel);
    h.emit("part", { ...sender, channel: e.channel, reason: e.message });
  });
  client.on("kick", (e) => {
    if (!h.mine()) return;
    if (nicks.isSelf(client, e.kicked)) {
      h.log.warn("kicked from channel", { channel: e.channel, by: e.nick, reason: e.message });
      h.selfKicked(e.channel);
    }
    const account = accounts.get(client, e.kicked);
    left(client, h, e.kicked, e.channel);
    // A kick is a part the user did not choose; the kicked user's ident/host are not in the KICK line.
    h.emit("part", { nick: e.kicked, ident: "", hostname: "", account, channel: e.channel, reason: `kicked by ${e.nick}: ${e.message}` });
  });
  client.on("quit", (e) => {
    if (!h.mine()) return;
    accounts.quit(client, e.nick);
    nicks.onQuit(client, e.nick);
  });
  client.on("nick", (e) => {
    if (!h.mine()) return;
    accounts.renamed(client, e.nick, e.new_nick);
    nicks.onNick(client, e.nick, e.new_nick);
  });
  client.on("account", (e) => {
    if (h.mine()) accounts.set(client, e.nick, e.account || null);
  });
}

function left(client: Client, h: MembershipHost, nick: string, channel: string): void {
  if (h.nicks.isSelf(client, nick)) h.accounts.selfParted(client, channel);
  else h.accounts.parted(client, nick, channel);
}
