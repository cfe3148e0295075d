// Why a dynamic import failed, as positioned issues (LINE:COL and one clean
// line of text each), on either runtime:
// - Bun throws a BuildMessage with a `position`, an AggregateError ("6 errors
//   building …") whose `errors` are BuildMessages, or a ResolveMessage (no
//   position: the import is found in the source by its specifier);
// - Deno puts a code frame, ANSI colours and `at file:///…:LINE:COL` into the
//   message itself.

export interface ImportIssue {
  /** 1-based; 0 when the runtime gave no position. */
  line: number;
  col: number;
  message: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
/** `at file:///path:L:C` or `at /path:L:C`, alone on a line or at the end of the first. */
const AT_POSITION = /\s+at (?:file:\/\/)?\S*?:(\d+):(\d+)\s*$/;
const MAX_ISSUES = 20;

interface BunPosition {
  line?: number;
  column?: number;
}

/** Every error an import threw, positioned where the runtime says (or where `source` shows the unresolved import). */
export function importIssues(error: unknown, source = ""): ImportIssue[] {
  const errors = (error as { errors?: unknown })?.errors;
  if (error instanceof AggregateError || (Array.isArray(errors) && errors.length > 0)) {
    const list = (errors as unknown[]).slice(0, MAX_ISSUES).flatMap((e) => importIssues(e, source));
    if (list.length > 0) return list;
  }
  const raw = typeof error === "object" && error !== null && "message" in error ? String((error as { message: unknown }).message) : String(error);
  const lines = raw.replace(ANSI, "").split("\n");
  let first = lines[0]!.trim();
  const position = (error as { position?: BunPosition | null })?.position;
  if (position && typeof position.line === "number" && position.line > 0) {
    return [{ line: position.line, col: position.column ?? 0, message: first }];
  }
  const sameLine = AT_POSITION.exec(first);
  if (sameLine) {
    first = first.slice(0, sameLine.index).trim();
    return [{ line: Number(sameLine[1]), col: Number(sameLine[2]), message: stripPrefix(first) }];
  }
  for (const line of lines.slice(1).reverse()) {
    const at = AT_POSITION.exec(" " + line);
    if (at) return [{ line: Number(at[1]), col: Number(at[2]), message: stripPrefix(first) }];
  }
  return [{ ...specifierPosition(first, source), message: first }];
}

/** Deno wraps a syntax error in a TypeError whose message starts "SyntaxError: …": one name is enough. */
function stripPrefix(message: string): string {
  return message.replace(/^SyntaxError: /, "");
}

/** Bun's "Cannot find module './x.ts' imported from …": where the source imports './x.ts'. */
function specifierPosition(message: string, source: string): { line: number; col: number } {
  const m = /module ['"]([^'"]+)['"]/.exec(message);
  if (!m || !source) return { line: 0, col: 0 };
  for (const quote of ['"', "'", "`"]) {
    const at = source.indexOf(`${quote}${m[1]}${quote}`);
    if (at < 0) continue;
    const before = source.slice(0, at).split("\n");
    return { line: before.length, col: before.at(-1)!.length + 1 };
  }
  return { line: 0, col: 0 };
}
