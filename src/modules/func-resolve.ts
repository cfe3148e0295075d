// Finds the function a task's `func` names in a loaded module: first among
// the functions the module registered with `api.task` (under the whole
// dotted path), then along its exports, `news:digest.weekly` being the
// export `digest`'s own property `weekly` (a method keeps its object as
// `this`). Only own properties are walked, so a path never reaches an
// object's prototype.
import { parseFuncRef } from "../config/func-ref.ts";
import type { TaskFunction } from "./module-types.ts";

export interface ResolvableModule {
  /** A function registered with `api.task`, by its (possibly dotted) name. */
  registered(name: string): TaskFunction | undefined;
  /** The plugin file's exports, if it has a file. */
  exports?: Record<string, unknown>;
}

// The module definition is not a task function holder: `news:default.setup` resolves to nothing.
const DEFINITION_EXPORTS = new Set(["default", "plugin"]);

export function resolveFunc(ref: string, lookup: (module: string) => ResolvableModule | undefined): TaskFunction | undefined {
  const parsed = parseFuncRef(ref);
  if (typeof parsed === "string") return undefined;
  const mod = lookup(parsed.module);
  if (!mod) return undefined;
  const registered = mod.registered(parsed.path.join("."));
  if (registered) return registered;
  if (DEFINITION_EXPORTS.has(parsed.path[0]!)) return undefined;
  let holder: unknown = undefined;
  let value: unknown = mod.exports;
  for (const key of parsed.path) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null || !Object.hasOwn(value, key)) return undefined;
    holder = value;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value !== "function") return undefined;
  return (value as TaskFunction).bind(holder);
}
