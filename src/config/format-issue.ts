// The one way issues are printed: `FILE:LINE:COL: message`, as compilers do,
// so editors and terminals can jump to the spot.
import type { ConfigIssue } from "./config-types.ts";

export function formatIssue(issue: ConfigIssue): string {
  // Line 0 marks an issue with a file or folder as a whole.
  const text = issue.line === 0 ? `${issue.file}: ${issue.message}` : `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
  return oneLine(text);
}

/**
 * A message quotes what the file said, and a file can say anything: control
 * characters (a CR in a channel name, an ANSI escape) are shown as escapes, so
 * an issue is always one line and never drives the terminal.
 */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
