// The one way issues are printed: `FILE:LINE:COL: message`, as compilers do,
// so editors and terminals can jump to the spot.
import type { ConfigIssue } from "./config-types.ts";

export function formatIssue(issue: ConfigIssue): string {
  // Line 0 marks an issue with a file or folder as a whole.
  if (issue.line === 0) return `${issue.file}: ${issue.message}`;
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}
