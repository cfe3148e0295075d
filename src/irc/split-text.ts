// IRC lines are limited to 512 bytes including CR LF, and the limit applies to
// the line as others receive it: `:nick!user@host PRIVMSG target :text\r\n`.
// Text is cut on UTF-8 byte counts, never inside a character (grapheme
// cluster where possible), preferring the last space before the limit.

const encoder = new TextEncoder();
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** What a relayed line costs besides the text itself. */
export interface LineOverhead {
  nick: string;
  user: string;
  host: string;
  /** "PRIVMSG" or "NOTICE". */
  command: string;
  target: string;
  /** Bytes wrapped around the text, e.g. 9 for `\x01ACTION ` + `\x01`. */
  wrapBytes?: number;
}

/** Text bytes that fit in one line received by others (512 with CR LF). */
export function maxTextBytes(o: LineOverhead): number {
  const prefix = `:${o.nick}!${o.user}@${o.host} ${o.command} ${o.target} :`;
  return 512 - 2 - utf8Length(prefix) - (o.wrapBytes ?? 0);
}

function codePointPieces(s: string, maxBytes: number): string[] {
  // Only for a single grapheme larger than the limit (absurd ZWJ chains).
  const out: string[] = [];
  let cur = "";
  let curBytes = 0;
  for (const cp of s) {
    const b = utf8Length(cp);
    if (curBytes + b > maxBytes && cur) {
      out.push(cur);
      cur = "";
      curBytes = 0;
    }
    cur += cp;
    curBytes += b;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Splits one line of text into pieces of at most `maxBytes` UTF-8 bytes.
 * Breaks after the last space that fits; a word longer than the limit is cut
 * at a character boundary. The space at a break is dropped; nothing else is.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError(`maxBytes too small: ${maxBytes}`);
  if (utf8Length(text) <= maxBytes) return text.length > 0 ? [text] : [];
  const line = new PieceBuilder();
  for (const { segment } of segmenter.segment(text)) {
    const b = utf8Length(segment);
    if (b > maxBytes) {
      // One character wider than a line: cut it at code points.
      line.flush();
      const pieces = codePointPieces(segment, maxBytes);
      const last = pieces.pop() ?? "";
      line.out.push(...pieces);
      line.add(last, utf8Length(last));
      continue;
    }
    if (line.bytes + b > maxBytes) {
      if (segment === " ") {
        // Break right here; the space itself is the separator.
        line.flush();
        continue;
      }
      line.breakAtLastSpace();
      // The word after the space may itself be too long with this character.
      if (line.bytes + b > maxBytes) line.flush();
    }
    line.add(segment, b);
  }
  line.flush();
  return line.out;
}

/** The piece being built, where its last space is, and the pieces done. */
class PieceBuilder {
  readonly out: string[] = [];
  #cur = "";
  bytes = 0;
  // Position in the piece just after its last space, and the bytes before it.
  #lastSpace = -1;
  #bytesAtSpace = 0;

  add(segment: string, bytes: number): void {
    this.#cur += segment;
    this.bytes += bytes;
    if (segment === " ") {
      this.#lastSpace = this.#cur.length;
      this.#bytesAtSpace = this.bytes;
    }
  }

  /** Ends the piece (an empty one is dropped). */
  flush(): void {
    if (this.#cur.length > 0) this.out.push(this.#cur);
    this.#cur = "";
    this.bytes = 0;
    this.#lastSpace = -1;
  }

  /** Ends the piece before its last space (dropped) and starts the next with what followed it. */
  breakAtLastSpace(): void {
    if (this.#lastSpace <= 0) return;
    const before = this.#cur.slice(0, this.#lastSpace - 1);
    if (before.length > 0) this.out.push(before);
    this.#cur = this.#cur.slice(this.#lastSpace);
    this.bytes -= this.#bytesAtSpace;
    this.#lastSpace = -1;
  }
}
