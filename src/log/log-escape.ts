// Text from IRC (nicks, kick reasons, messages) reaches the log, and a
// terminal or a log viewer acts on control characters: ESC [ … starts an ANSI
// sequence that can recolour, hide or rewrite what an operator reads, a CR or
// LF forges a log record of its own, and bidi overrides reorder text. Every
// such character is written as a visible escape instead.

// C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings, overrides and isolates.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character escaped (`\x1b`, `\n`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? hex(c));
}

/** The same for JSON text, where the escapes must stay valid JSON (`\u001b`). */
export function escapeControlsJson(json: string): string {
  // JSON.stringify already escapes C0; only DEL, C1 and the Unicode controls remain raw.
  return json.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function hex(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
