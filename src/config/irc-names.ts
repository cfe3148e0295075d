// Syntax checks for IRC names in bot files. Each returns a problem phrase
// (completing "'key' …" or a whole sentence) or undefined when fine.

// RFC 2812 nick characters; the length cap is generous because NICKLEN varies by network.
const NICK = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,49}$/;
const CHANNEL = /^[#&+!][^\s,\x07]{1,199}$/;
const MASK = /^[^!@\s]+![^!@\s]+@\S+$/;

export function nickProblem(nick: string): string | undefined {
  if (NICK.test(nick)) return undefined;
  return `"${nick}" is not a valid nick: it must start with a letter or one of [ ] \\ \` _ ^ { | } and contain only those, digits and '-'`;
}

export function channelProblem(channel: string): string | undefined {
  if (CHANNEL.test(channel)) return undefined;
  if (!/^[#&+!]/.test(channel)) return `channel "${channel}" must start with #, &, + or !`;
  return `channel "${channel}" is not a valid channel name (no spaces, commas or control characters)`;
}

/** A PRIVMSG/NOTICE target: a channel or a nick. */
export function targetProblem(target: string): string | undefined {
  if (/^[#&+!]/.test(target)) return channelProblem(target);
  if (NICK.test(target)) return undefined;
  return `target "${target}" is neither a channel (#name) nor a nick (no spaces, commas or line breaks)`;
}

/** A channel to JOIN: "0" is not a channel but "part every channel", re-sent on each reconnect. */
export function joinChannelProblem(channel: string): string | undefined {
  if (channel === "0") return `"0" is not a channel: JOIN 0 parts every channel (and would be sent again on each reconnect); name a channel such as "#team"`;
  return channelProblem(channel);
}

export function adminProblem(admin: string): string | undefined {
  if (admin.startsWith("account:")) {
    return /^account:\S+$/.test(admin) ? undefined : `admin "${admin}" needs an account name after 'account:'`;
  }
  if (MASK.test(admin)) return undefined;
  return `admin "${admin}" must be 'account:NAME' or a 'nick!user@host' mask (* and ? allowed), e.g. "*!*@user/${admin.replace(/[^A-Za-z0-9_-]/g, "") || "name"}"`;
}

export function usernameProblem(username: string): string | undefined {
  return /^[^\s@]{1,50}$/.test(username) ? undefined : "must be non-empty, without spaces or '@'";
}

export function lineProblem(text: string): string | undefined {
  if (text.length === 0) return "must not be empty";
  return /[\r\n\0]/.test(text) ? "must not contain line breaks" : undefined;
}

/**
 * The most a core say/notice/action text may hold, in UTF-8 bytes: about ten
 * IRC lines. One bigger text would fill the outbox on its own (it keeps a
 * bounded number of lines and drops the oldest), crowding out other tasks.
 */
export const MAX_SAY_BYTES = 4096;

export function sayTextProblem(text: string): string | undefined {
  const bytes = new TextEncoder().encode(text).length;
  return bytes <= MAX_SAY_BYTES ? undefined : `'text' is ${bytes} bytes; at most ${MAX_SAY_BYTES} are sent (about ten IRC lines)`;
}
