// Nothing the bot sends may carry a line break into the IRC stream: a CR or LF
// inside a message would end the line and let the rest be read as a new
// command (PRIVMSG #x :owned, JOIN #evil, ...). Text is therefore split into
// lines here, and targets that could not be sent verbatim are refused.

// CTCP delimiter: a task text starting with \x01 would otherwise be sent as a
// CTCP request (DCC, VERSION...) rather than as the text the user wrote.
const CTCP = /\x01/g;
const NUL = /\x00/g;

/**
 * The lines a text becomes: split at CR, LF or CRLF, NUL and \x01 removed,
 * empty lines dropped (IRC cannot send an empty message).
 */
export function textLines(text: string): string[] {
  return String(text)
    .replace(NUL, "")
    .replace(CTCP, "")
    .split(/\r\n|\r|\n/)
    .filter((line) => line.length > 0);
}

/** One line of free text (part reason, quit message): CR, LF and NUL become spaces, \x01 is removed. */
export function sanitizeText(text: string): string {
  return String(text).replace(/[\r\n\x00]/g, " ").replace(CTCP, "");
}

/**
 * Why `target` cannot be a message target, channel or nick, or null when it can.
 * Anything that would change the shape of the line is refused: controls
 * (CR, LF, NUL...), space, comma (a target list), a leading ':'.
 */
export function targetProblem(target: string): string | null {
  if (typeof target !== "string" || target.length === 0) return "empty target";
  if (/[\x00-\x20\x7f]/.test(target)) return "target contains a space or control character";
  if (target.includes(",")) return "target contains a comma";
  if (target.startsWith(":")) return "target starts with ':'";
  if (new TextEncoder().encode(target).length > 200) return "target too long";
  return null;
}

export function isValidTarget(target: string): boolean {
  return targetProblem(target) === null;
}
