// Loads a plugin file at run time. Works from source and from the compiled
// binary (the file is not bundled, it is imported from disk), and a reload
// imports a fresh copy by giving the URL a new query string.
import { pathToFileURL } from "node:url";
import { existsSync } from "node:fs";
import type { ModuleDefinition } from "./module-types.ts";
import { importErrorMessage } from "../platform/import-error.ts";
import { moduleNameProblem } from "../config/func-ref.ts";

let generation = 0;

export class PluginError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
    this.name = "PluginError";
  }
}

export async function importPlugin(path: string): Promise<ModuleDefinition> {
  if (!existsSync(path)) throw new PluginError(path, "no such file");
  let ns: Record<string, unknown>;
  try {
    ns = await import(`${pathToFileURL(path).href}?v=${++generation}`);
  } catch (error) {
    throw new PluginError(path, `failed to load: ${importErrorMessage(error)}`, { cause: error });
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

const exportsOf = new WeakMap<object, Record<string, unknown>>();

/** The exports of the file a plugin definition came from, where task functions may also live. */
export function pluginExports(def: ModuleDefinition): Record<string, unknown> | undefined {
  return exportsOf.get(def);
}
