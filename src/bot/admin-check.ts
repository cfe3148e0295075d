// Who may run admin commands: `account:NAME` entries match the services
// account the network reported; other entries are `nick!user@host` globs.
// Both compare under the server's CASEMAPPING (rfc1459 unless it says
// otherwise), the way the server itself tells nicks apart.
import type { Sender } from "../irc/transport.ts";
import { caseFold } from "../irc/case-mapping.ts";

export type Fold = (text: string) => string;

const rfc1459: Fold = (s) => caseFold(s, "rfc1459");

export function isAdmin(sender: Sender, admins: readonly string[], fold: Fold = rfc1459): boolean {
  return isAdminByMask(sender, admins, fold) || isAdminByAccount(sender.account, admins, fold);
}

/** Whether the sender's current `nick!user@host` matches an admin mask. */
export function isAdminByMask(sender: Sender, admins: readonly string[], fold: Fold = rfc1459): boolean {
  const mask = fold(`${sender.nick}!${sender.ident}@${sender.hostname}`);
  return admins.some((entry) => !isAccountEntry(entry) && globToRegExp(fold(entry)).test(mask));
}

/** Whether `account` is named by an `account:NAME` admin entry. */
export function isAdminByAccount(account: string | null, admins: readonly string[], fold: Fold = rfc1459): boolean {
  if (account === null) return false;
  const folded = fold(account);
  return admins.some((entry) => isAccountEntry(entry) && fold(entry.slice(8)) === folded);
}

function isAccountEntry(entry: string): boolean {
  return entry.toLowerCase().startsWith("account:");
}

/**
 * Why an admin mask is unsafe, or undefined: a mask whose user and host parts
 * are only wildcards (`nick!*@*`, `nick!*@*.*`) is matched by whoever holds
 * the nick, and nicks are free to take.
 */
export function adminMaskWarning(entry: string): string | undefined {
  if (isAccountEntry(entry)) return undefined;
  const bang = entry.indexOf("!");
  const userHost = bang >= 0 ? entry.slice(bang + 1) : entry;
  if (/[^*?.@~]/.test(userHost)) return undefined;
  return `admin mask "${entry}" is matched by anyone using that nick (its user and host are wildcards); use 'account:NAME' or a host like "*!*@user/name"`;
}

const cache = new Map<string, RegExp>();

/** IRC hostmask glob: `*` any run, `?` one character; the caller folds case. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "s");
    if (cache.size > 256) cache.clear();
    cache.set(glob, re);
  }
  return re;
}
