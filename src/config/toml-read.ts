// Parse TOML text, turning a syntax error into a located issue.
import { parse, TomlError } from "smol-toml";
import type { ConfigIssue } from "./config-types.ts";
import type { TomlTable } from "./file-checker.ts";
import { locateToml, type TomlLocations } from "./toml-locate.ts";

export type TomlReadResult =
  | { ok: true; table: TomlTable; locs: TomlLocations }
  | { ok: false; issue: ConfigIssue };

export function readToml(file: string, text: string): TomlReadResult {
  let table: TomlTable;
  try {
    table = parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      return { ok: false, issue: { file, line: err.line, col: err.column, message: syntaxMessage(err) } };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, issue: { file, line: 1, col: 1, message: `invalid TOML: ${message}` } };
  }
  return { ok: true, table, locs: locateToml(text) };
}

/** smol-toml's message carries a code excerpt after a blank line; the location is printed separately. */
function syntaxMessage(err: TomlError): string {
  const first = err.message.split("\n")[0] ?? err.message;
  return `invalid TOML: ${first.replace(/^Invalid TOML document: /, "")}`;
}
