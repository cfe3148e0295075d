// Who may run admin commands: `account:NAME` entries match the services
// account the network reported; other entries are `nick!user@host` globs.
import type { Sender } from "../irc/transport.ts";

export function isAdmin(sender: Sender, admins: readonly string[]): boolean {
  const mask = `${sender.nick}!${sender.ident}@${sender.hostname}`;
  return admins.some((entry) =>
    entry.toLowerCase().startsWith("account:")
      ? sender.account !== null && sender.account.toLowerCase() === entry.slice(8).toLowerCase()
      : globToRegExp(entry).test(mask),
  );
}

const cache = new Map<string, RegExp>();

/** IRC hostmask glob: `*` any run, `?` one character, case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "i");
    if (cache.size > 256) cache.clear();
    cache.set(glob, re);
  }
  return re;
}
