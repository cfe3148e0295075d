// Names that tie a task to code: a module's name, and a task's `func`,
// `module:function` or the dotted `module:object.object.function` (a plugin
// that registers `api.task("digest.weekly", fn)`, or exports
// `digest = { weekly }`, is called as `news:digest.weekly`). The one
// validator for task files, tasks created at run time and plugins.

/** The parts of a `func`: the module, and the path to the function inside it. */
export interface FuncRef {
  module: string;
  path: string[];
}

export const MODULE_NAME_MAX = 64;
export const FUNC_REF_MAX = 200;
const MODULE = /^[A-Za-z][\w-]*$/;
const SEGMENT = /^[A-Za-z_$][\w$]*$/;
// A path walks a plugin's exports: never into the machinery every object has.
const RESERVED = new Set(["__proto__", "prototype", "constructor"]);

/** What is wrong with a module name, or undefined when it is fine. */
export function moduleNameProblem(name: string): string | undefined {
  if (name.length > MODULE_NAME_MAX) return `module name is longer than ${MODULE_NAME_MAX} characters`;
  if (!MODULE.test(name)) return `module name '${name}' must be a word (letters, digits, _ and -, starting with a letter)`;
  return undefined;
}

/** What is wrong with the function part of a `func` (`weekly`, `digest.weekly`), or undefined. */
export function functionPathProblem(path: string): string | undefined {
  const bad = path.split(".").find((s) => !SEGMENT.test(s) || RESERVED.has(s));
  if (bad === undefined) return undefined;
  if (RESERVED.has(bad)) return `'${bad}' cannot be part of a function name`;
  return `function name '${path}' must be identifiers joined by dots, e.g. "weekly" or "digest.weekly"`;
}

/** Parses `module:function` or `module:a.b.function`; a string says what is wrong. */
export function parseFuncRef(text: string): FuncRef | string {
  const usage = `must be 'module:function' or 'module:object.function', e.g. "core:say", got "${text.slice(0, 80)}"`;
  if (text.length > FUNC_REF_MAX) return `is longer than ${FUNC_REF_MAX} characters`;
  const colon = text.indexOf(":");
  if (colon < 0) return usage;
  const module = text.slice(0, colon);
  const fn = text.slice(colon + 1);
  if (moduleNameProblem(module) !== undefined || functionPathProblem(fn) !== undefined) return usage;
  return { module, path: fn.split(".") };
}
