// What irc-framework's TCP transport asks of iconv-lite (see lean-modules.ts):
// encode a line for the socket and decode a received line, in the encoding
// the client was given. Seshet always gives "utf8"; the byte encodings the
// runtime's Buffer knows are served too. A line that is not valid UTF-8 is
// decoded as iconv-lite does it: each invalid byte becomes U+FFFD.
// Any other encoding is refused, which irc-framework's setEncoding() treats
// as "unsupported" and falls back to UTF-8.
import { Buffer } from "node:buffer";

const KNOWN: Record<string, BufferEncoding> = {
  utf8: "utf8",
  "utf-8": "utf8",
  latin1: "latin1",
  binary: "latin1",
  "iso-8859-1": "latin1",
  ascii: "ascii",
  utf16le: "utf16le",
  "utf-16le": "utf16le",
  ucs2: "utf16le",
};

function bufferEncoding(name: string): BufferEncoding {
  const e = KNOWN[String(name).toLowerCase()];
  if (e === undefined) throw new Error(`encoding '${name}' is not supported (Seshet speaks UTF-8 to IRC)`);
  return e;
}

export function encode(text: string, encoding: string): Buffer {
  return Buffer.from(text, bufferEncoding(encoding));
}

export function decode(bytes: Uint8Array, encoding: string): string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return b.toString(bufferEncoding(encoding));
}

export function encodingExists(encoding: string): boolean {
  return KNOWN[String(encoding).toLowerCase()] !== undefined;
}
