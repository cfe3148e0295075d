// Why a dynamic import failed, as one clean line. Bun reports a syntax error as
// a BuildMessage whose position is a separate property; Deno puts a code frame,
// ANSI colours and an `at file:///…?v=N:LINE:COL` line into the message itself.
// Log lines and IRC replies want one line, with the location on either runtime.

const ANSI = /\u001b\[[0-9;]*m/g;
const DENO_AT = /^\s*at (?:file:\/\/)?\S*?:(\d+):(\d+)\s*$/;

interface BunPosition {
  line?: number;
  column?: number;
}

export function importErrorMessage(error: unknown): string {
  if (!(error instanceof Error) && !(typeof error === "object" && error !== null && "message" in error)) return String(error);
  const lines = String((error as { message: unknown }).message).replace(ANSI, "").split("\n");
  const first = lines[0]!.trim();
  const position = (error as { position?: BunPosition | null }).position;
  if (position && typeof position.line === "number" && position.line > 0) {
    return `${first} (line ${position.line}, column ${position.column ?? 0})`;
  }
  for (const line of lines.slice(1).reverse()) {
    const at = DENO_AT.exec(line);
    if (at) return `${first} (line ${at[1]}, column ${at[2]})`;
  }
  return first;
}
