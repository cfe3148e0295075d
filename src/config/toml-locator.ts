// Where a key or value was written in a file that was parsed earlier, for
// problems found after parsing (by `seshet check` loading plugins and
// resolving functions). Each file is read and scanned once.
import { readFileSync } from "node:fs";
import type { SourceLocation } from "./config-types.ts";
import { FileChecker, type TomlPath } from "./file-checker.ts";
import { locateToml } from "./toml-locate.ts";

export class TomlLocator {
  readonly #files = new Map<string, FileChecker>();

  value(file: string, path: TomlPath): SourceLocation {
    return this.#checker(file).valueAt(path);
  }

  key(file: string, path: TomlPath): SourceLocation {
    return this.#checker(file).keyAt(path);
  }

  #checker(file: string): FileChecker {
    let ck = this.#files.get(file);
    if (ck === undefined) {
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        // Gone since it was parsed: everything is located at 1:1.
      }
      ck = new FileChecker(file, locateToml(text));
      this.#files.set(file, ck);
    }
    return ck;
  }
}
