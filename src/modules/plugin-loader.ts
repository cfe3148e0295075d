// Loads a plugin file at run time. Works from source and from the compiled
// binary (the file is not bundled, it is imported from disk). A runtime caches
// a module by its path (Bun even ignores a new query string), so a reload
// imports the file's current text from a fresh path: a copy next to the
// original (relative imports keep working), or in the temp folder when the
// plugin folder is read-only; the copy is deleted once imported.
import { pathToFileURL } from "node:url";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { tmpdir } from "node:os";
import type { ModuleDefinition } from "./module-types.ts";
import type { ConfigIssue } from "../config/config-types.ts";
import { importIssues, type ImportIssue } from "../platform/import-error.ts";
import { moduleNameProblem } from "../config/func-ref.ts";
import { formatIssue } from "../config/format-issue.ts";

let generation = 0;

/** A plugin that did not load: one positioned issue per error, `FILE:LINE:COL: message`. */
export class PluginError extends Error {
  readonly issues: ConfigIssue[];

  constructor(
    readonly path: string,
    problems: string | ImportIssue[],
    options?: { cause?: unknown },
  ) {
    const list = typeof problems === "string" ? [{ line: 0, col: 0, message: problems }] : problems;
    const issues = list.map((p) => ({ file: path, line: p.line, col: p.col, message: p.message }));
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more error${issues.length > 2 ? "s" : ""})` : "";
    super(formatIssue(issues[0]!) + more, options);
    this.name = "PluginError";
    this.issues = issues;
  }

  /** One line per error, for the log. */
  lines(): string[] {
    return this.issues.map(formatIssue);
  }
}

/** Imports a plugin; `fresh` loads the file's current text even if this path was imported before. */
export async function importPlugin(path: string, opts: { fresh?: boolean } = {}): Promise<ModuleDefinition> {
  if (!existsSync(path)) throw new PluginError(path, "no such file");
  let source = "";
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new PluginError(path, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  let ns: Record<string, unknown>;
  const copy = opts.fresh ? freshCopy(path, source) : undefined;
  try {
    ns = await import(pathToFileURL(copy?.path ?? path).href);
  } catch (error) {
    const issues = importIssues(error, source).map((i) => ({ ...i, message: copy ? i.message.split(copy.path).join(path) : i.message }));
    throw new PluginError(path, issues, { cause: error });
  } finally {
    copy?.remove();
  }
  const def = (ns.default ?? ns.plugin) as Partial<ModuleDefinition> | undefined;
  if (!def || typeof def !== "object" || typeof def.name !== "string" || typeof def.setup !== "function") {
    throw new PluginError(path, "the default export must be { name: string, setup(api) { … } }");
  }
  const problem = moduleNameProblem(def.name);
  if (problem !== undefined) throw new PluginError(path, problem);
  exportsOf.set(def, ns);
  return def as ModuleDefinition;
}

/** The text written under a path no runtime has seen; `remove` deletes it. */
function freshCopy(path: string, source: string): { path: string; remove(): void } {
  const prefix = `.${basename(path)}.reload-`;
  sweepStaleCopies(dirname(path), prefix);
  const sibling = join(dirname(path), `${prefix}${process.pid}-${++generation}${extensionOf(path)}`);
  try {
    writeFileSync(sibling, source, { flag: "wx", mode: 0o600 });
    return { path: sibling, remove: () => rmSync(sibling, { force: true }) };
  } catch {
    const dir = mkdtempSync(join(tmpdir(), "seshet-plugin-"));
    const copy = join(dir, basename(path));
    writeFileSync(copy, source, { mode: 0o600 });
    return { path: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
  }
}

/** Copies left by a process killed mid-import (its pid is gone) are deleted; a live process's are its own business. */
function sweepStaleCopies(dir: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM"; // alive, someone else's
  }
}

/** The copy keeps the extension, so the runtime parses it the same way (.ts strips types). */
function extensionOf(path: string): string {
  const m = /\.[cm]?[jt]sx?$/.exec(path);
  return m ? m[0] : ".js";
}

const exportsOf = new WeakMap<object, Record<string, unknown>>();

/** The exports of the file a plugin definition came from, where task functions may also live. */
export function pluginExports(def: ModuleDefinition): Record<string, unknown> | undefined {
  return exportsOf.get(def);
}
