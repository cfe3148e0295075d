// The services account behind each nick, for admin checks that a nick change
// cannot fool. Servers tell it in several ways: account-tag on every message
// (authoritative when enabled), extended-join and account-notify as it
// changes, and a WHOX reply for users who were there before us.
import type { Client, IrcMessage } from "irc-framework";

export type Account = string | null;

// WHOX reply token: any 1-3 digit number irc-framework does not use for its own
// WHO requests (it counts up from 1 and ignores replies with unknown tokens).
const WHOX_TOKEN = "745";

export class AccountTracker {
  readonly #accounts = new Map<string, Account>();

  clear(): void {
    this.#accounts.clear();
  }

  set(client: Client, nick: string, account: Account): void {
    this.#accounts.set(client.caseLower(nick), account);
  }

  get(client: Client, nick: string): Account {
    return this.#accounts.get(client.caseLower(nick)) ?? null;
  }

  renamed(client: Client, oldNick: string, newNick: string): void {
    const oldKey = client.caseLower(oldNick);
    if (this.#accounts.has(oldKey)) {
      this.#accounts.set(client.caseLower(newNick), this.#accounts.get(oldKey) ?? null);
      this.#accounts.delete(oldKey);
    }
  }

  quit(client: Client, nick: string): void {
    this.#accounts.delete(client.caseLower(nick));
  }

  /** The account of whoever sent a message or event. */
  of(client: Client, e: { nick: string; tags?: Record<string, string | true> }): Account {
    if (client.network.cap.isEnabled("account-tag") && e.tags) {
      // account-tag: present on everything a logged-in user sends, absent otherwise.
      const tag = e.tags.account;
      const account = typeof tag === "string" && tag ? tag : null;
      this.set(client, e.nick, account);
      return account;
    }
    return this.get(client, e.nick);
  }

  /** The WHO line that asks who in `channel` is logged in as what, or null when no need or no way. */
  whoRequest(client: Client, channel: string): string | null {
    if (client.network.cap.isEnabled("account-tag") || !client.network.supports("WHOX")) return null;
    return `WHO ${channel} %tnuhaf,${WHOX_TOKEN}`;
  }

  /** Takes in a WHOX reply to whoRequest; true when `msg` was one. */
  onRaw(client: Client, msg: IrcMessage): boolean {
    if (msg.command !== "354" || msg.params[1] !== WHOX_TOKEN) return false;
    // WHO #chan %tnuhaf,token → me token user host nick flags account
    const nick = msg.params[4];
    const account = msg.params[6];
    if (nick && account !== undefined) this.set(client, nick, account === "0" ? null : account);
    return true;
  }
}
