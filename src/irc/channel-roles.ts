// Who is an operator or voiced in the channels the bot is in, from NAMES
// (irc-framework's "userlist") and MODE changes, for chat scheduling's
// "who may create recurring channel tasks". Kept per connection; bounded by
// the channels the bot is in and the users the server lists there.
import type { Client } from "irc-framework";

export type ChannelRole = "op" | "voice" | "none";

/** Prefix modes that make someone an operator (owner, admin, op) or voiced (halfop, voice). */
const OP_MODES = new Set(["q", "a", "o"]);
const VOICE_MODES = new Set(["h", "v"]);

export class ChannelRoles {
  readonly #channels = new Map<string, Map<string, Set<string>>>();

  clear(): void {
    this.#channels.clear();
  }

  /** Follows NAMES, MODE and membership changes on `client` while `mine()`. */
  bind(client: Client, mine: () => boolean, isSelf: (nick: string) => boolean): void {
    client.on("userlist", (e) => mine() && this.userlist(client, e.channel, e.users));
    client.on("mode", (e) => mine() && this.mode(client, e.target, e.modes));
    client.on("join", (e) => mine() && this.joined(client, e.channel, e.nick));
    client.on("part", (e) => mine() && this.parted(client, e.channel, e.nick, isSelf(e.nick)));
    client.on("kick", (e) => mine() && this.parted(client, e.channel, e.kicked, isSelf(e.kicked)));
    client.on("quit", (e) => mine() && this.quit(client, e.nick));
    client.on("nick", (e) => mine() && this.renamed(client, e.nick, e.new_nick));
  }

  userlist(client: Client, channel: string, users: { nick: string; modes?: string[] }[]): void {
    const members = new Map<string, Set<string>>();
    for (const u of users) members.set(client.caseLower(u.nick), new Set(u.modes ?? []));
    this.#channels.set(client.caseLower(channel), members);
  }

  mode(client: Client, target: string, modes: { mode: string; param?: string }[]): void {
    const members = this.#channels.get(client.caseLower(target));
    if (!members) return;
    for (const { mode, param } of modes) {
      const letter = mode[1];
      if (!param || !letter || !(OP_MODES.has(letter) || VOICE_MODES.has(letter))) continue;
      const key = client.caseLower(param);
      const set = members.get(key) ?? new Set<string>();
      if (mode[0] === "+") set.add(letter);
      else set.delete(letter);
      members.set(key, set);
    }
  }

  joined(client: Client, channel: string, nick: string): void {
    this.#channels.get(client.caseLower(channel))?.set(client.caseLower(nick), new Set());
  }

  parted(client: Client, channel: string, nick: string, self: boolean): void {
    if (self) this.#channels.delete(client.caseLower(channel));
    else this.#channels.get(client.caseLower(channel))?.delete(client.caseLower(nick));
  }

  quit(client: Client, nick: string): void {
    const key = client.caseLower(nick);
    for (const members of this.#channels.values()) members.delete(key);
  }

  renamed(client: Client, from: string, to: string): void {
    const [a, b] = [client.caseLower(from), client.caseLower(to)];
    for (const members of this.#channels.values()) {
      const modes = members.get(a);
      if (modes === undefined) continue;
      members.delete(a);
      members.set(b, modes);
    }
  }

  role(client: Client, channel: string, nick: string): ChannelRole {
    const modes = this.#channels.get(client.caseLower(channel))?.get(client.caseLower(nick));
    if (!modes) return "none";
    if ([...modes].some((m) => OP_MODES.has(m))) return "op";
    return [...modes].some((m) => VOICE_MODES.has(m)) ? "voice" : "none";
  }
}
