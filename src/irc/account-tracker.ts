// The services account behind each nick, for admin checks that a nick change
// cannot fool. Servers tell it in several ways: account-tag on every message
// (authoritative when enabled), extended-join and account-notify as it
// changes, and a WHOX reply for users who were there before us.
//
// account-notify only covers users who share a channel with us, so an
// account is remembered only while we share one: when the last shared channel
// goes (their PART, KICK or QUIT, or our own PART, KICK or disconnect) it is
// forgotten, since whoever takes the nick next is someone else. Without
// account-tag, admin commands still ask the server (WHOIS) first: `verify`.
import type { Client, IrcMessage } from "irc-framework";

export type Account = string | null;

// WHOX reply token: any 1-3 digit number irc-framework does not use for its own
// WHO requests (it counts up from 1 and ignores replies with unknown tokens).
const WHOX_TOKEN = "745";
/** WHOIS answers awaited at once; more verifications are refused (no admin). */
const MAX_PENDING = 20;
const VERIFY_TIMEOUT_MS = 5_000;
/** Nicks whose latest account-tag is remembered (for private messages from users in no shared channel). */
const MAX_TAGGED = 1000;

interface Pending {
  account: Account;
  waiters: ((a: Account) => void)[];
  timer: ReturnType<typeof setTimeout>;
}

export class AccountTracker {
  readonly #accounts = new Map<string, Account>();
  /** Folded nick → folded channels we share with them. */
  readonly #shared = new Map<string, Set<string>>();
  readonly #pending = new Map<string, Pending>();
  /** With account-tag: the account on each nick's latest message, shared channel or not (bounded). */
  readonly #tagged = new Map<string, Account>();

  clear(): void {
    this.#accounts.clear();
    this.#shared.clear();
    this.#tagged.clear();
    for (const p of this.#pending.values()) this.#settle(p, null);
    this.#pending.clear();
  }

  /** Someone (not us) is in `channel`; `account` when the JOIN or WHOX said so. */
  joined(client: Client, nick: string, channel: string, account?: Account): void {
    const key = client.caseLower(nick);
    const set = this.#shared.get(key) ?? new Set<string>();
    set.add(client.caseLower(channel));
    this.#shared.set(key, set);
    if (account !== undefined) this.#accounts.set(key, account);
  }

  /** Someone left `channel` (PART or KICK). */
  parted(client: Client, nick: string, channel: string): void {
    const key = client.caseLower(nick);
    const set = this.#shared.get(key);
    set?.delete(client.caseLower(channel));
    if (!set || set.size === 0) this.#forget(key);
  }

  /** We left `channel`: everyone seen only there is out of sight now. */
  selfParted(client: Client, channel: string): void {
    const chan = client.caseLower(channel);
    for (const [key, set] of this.#shared) {
      set.delete(chan);
      if (set.size === 0) this.#forget(key);
    }
  }

  quit(client: Client, nick: string): void {
    this.#forget(client.caseLower(nick));
  }

  /** Account changes (account-notify) count only for users we can see. */
  set(client: Client, nick: string, account: Account): void {
    const key = client.caseLower(nick);
    if (this.#shared.has(key)) this.#accounts.set(key, account);
  }

  get(client: Client, nick: string): Account {
    return this.#accounts.get(client.caseLower(nick)) ?? null;
  }

  renamed(client: Client, oldNick: string, newNick: string): void {
    const oldKey = client.caseLower(oldNick);
    const newKey = client.caseLower(newNick);
    if (oldKey === newKey) return;
    const set = this.#shared.get(oldKey);
    const account = this.#accounts.get(oldKey);
    this.#forget(oldKey);
    this.#forget(newKey);
    if (set) this.#shared.set(newKey, set);
    if (set && account !== undefined) this.#accounts.set(newKey, account);
  }

  /** The account of whoever sent a message or event. */
  of(client: Client, e: { nick: string; tags?: Record<string, string | true> }): Account {
    if (client.network.cap.isEnabled("account-tag") && e.tags) {
      // account-tag: present on everything a logged-in user sends, absent otherwise.
      const tag = e.tags.account;
      const account = typeof tag === "string" && tag ? tag : null;
      this.set(client, e.nick, account);
      const key = client.caseLower(e.nick);
      this.#tagged.delete(key); // re-inserted last: the map's order is recency
      this.#tagged.set(key, account);
      if (this.#tagged.size > MAX_TAGGED) this.#tagged.delete(this.#tagged.keys().next().value!);
      return account;
    }
    return this.get(client, e.nick);
  }

  /**
   * The account behind `nick` now, from the server: with account-tag the
   * message already said; otherwise a WHOIS (sent with `send`) answers, or null
   * after a timeout.
   */
  verify(client: Client, nick: string, send: (line: string) => void): Promise<Account> {
    if (client.network.cap.isEnabled("account-tag")) {
      // The message being handled carried its sender's account: that is the server's word.
      const key = client.caseLower(nick);
      return Promise.resolve(this.#tagged.has(key) ? this.#tagged.get(key)! : this.get(client, nick));
    }
    if (/[\s,:*?]/.test(nick) || nick === "") return Promise.resolve(null);
    const key = client.caseLower(nick);
    let p = this.#pending.get(key);
    if (!p) {
      if (this.#pending.size >= MAX_PENDING) return Promise.resolve(null);
      const created: Pending = {
        account: null,
        waiters: [],
        timer: setTimeout(() => {
          this.#pending.delete(key);
          this.#settle(created, null);
        }, VERIFY_TIMEOUT_MS),
      };
      p = created;
      this.#pending.set(key, p);
      send(`WHOIS ${nick}`);
    }
    const pending = p;
    return new Promise((resolve) => pending.waiters.push(resolve));
  }

  /** The WHO line that asks who in `channel` is logged in as what, or null when no need or no way. */
  whoRequest(client: Client, channel: string): string | null {
    if (client.network.cap.isEnabled("account-tag") || !client.network.supports("WHOX")) return null;
    return `WHO ${channel} %tcnuhaf,${WHOX_TOKEN}`;
  }

  /** Takes in NAMES, WHOX and WHOIS replies; true when `msg` was one we asked for. */
  onRaw(client: Client, msg: IrcMessage): boolean {
    const p = msg.params;
    switch (msg.command) {
      case "353": // NAMES: me = #chan :@nick +nick2 (or nick!user@host with userhost-in-names)
        this.#names(client, p[2] ?? "", p[3] ?? "");
        return false; // irc-framework keeps its own user lists
      case "354": {
        if (p[1] !== WHOX_TOKEN) return false;
        // WHO #chan %tcnuhaf,token → me token channel user host nick flags account
        const [channel, nick, account] = [p[2], p[5], p[7]];
        if (channel && nick && account !== undefined) this.joined(client, nick, channel, account === "0" ? null : account);
        return true;
      }
      case "330": {
        // RPL_WHOISACCOUNT: me nick account :is logged in as
        const pending = this.#pending.get(client.caseLower(p[1] ?? ""));
        if (pending && p[2]) pending.account = p[2];
        return pending !== undefined;
      }
      case "318": // RPL_ENDOFWHOIS: me nick :End of WHOIS
      case "401": {
        // ERR_NOSUCHNICK: nobody holds the nick now
        const key = client.caseLower(p[1] ?? "");
        const pending = this.#pending.get(key);
        if (!pending) return false;
        this.#pending.delete(key);
        clearTimeout(pending.timer);
        this.#settle(pending, msg.command === "401" ? null : pending.account);
        return true;
      }
    }
    return false;
  }

  #names(client: Client, channel: string, list: string): void {
    if (!channel) return;
    for (const entry of list.split(" ")) {
      // Strip status prefixes (multi-prefix may give several) and any !user@host.
      const nick = entry.replace(/^[~&@%+!.]+/, "").split("!")[0] ?? "";
      if (nick) this.joined(client, nick, channel);
    }
  }

  #forget(key: string): void {
    this.#shared.delete(key);
    this.#accounts.delete(key);
  }

  #settle(p: Pending, account: Account): void {
    clearTimeout(p.timer);
    for (const w of p.waiters) w(account);
    p.waiters = [];
  }
}
