// The fourteen lodash functions irc-framework calls, in the forms it calls
// them (see lean-modules.ts). Loading them from lodash evaluates ~230 modules
// of lodash internals per process (~5 MB resident in the compiled binary);
// these are the same contracts written on the language's own methods.
// test/irc/lean-modules.test.ts compares every one with lodash.
type Coll = Record<PropertyKey, unknown> | ArrayLike<unknown> | null | undefined;
type Iteratee = (value: any, key: any, collection: any) => unknown;

const isArrayLike = (v: unknown): v is ArrayLike<unknown> =>
  v != null && typeof v !== "function" && Number.isSafeInteger((v as { length?: unknown }).length) && (v as ArrayLike<unknown>).length >= 0;

/** lodash's iteratee shorthands: a function, `{ key: value }` (matches), `[key, value]`, or a property name. */
function iteratee(p: unknown): Iteratee {
  if (typeof p === "function") return p as Iteratee;
  if (p == null) return (v) => v;
  if (Array.isArray(p)) return (v) => v != null && isMatch((v as any)[p[0]], p[1]);
  if (typeof p === "object") {
    const entries = Object.entries(p);
    return (v) => v != null && entries.every(([k, want]) => k in Object(v) && isMatch((v as any)[k], want));
  }
  return (v) => (v == null ? undefined : (v as any)[p as PropertyKey]);
}

function isMatch(value: unknown, want: unknown): boolean {
  if (want !== null && typeof want === "object" && value !== null && typeof value === "object") {
    return Object.entries(want).every(([k, w]) => k in (value as object) && isMatch((value as any)[k], w));
  }
  return value === want || (value !== value && want !== want);
}

/** [key, value] pairs in lodash's order: indexes of an array-like, else own enumerable keys. */
function pairs(c: Coll): [PropertyKey, unknown][] {
  if (c == null) return [];
  if (isArrayLike(c)) return Array.from({ length: c.length }, (_, i) => [i, c[i]]);
  return Object.keys(c).map((k) => [k, (c as Record<string, unknown>)[k]]);
}

export function each<C extends Coll>(c: C, fn: Iteratee): C {
  for (const [k, v] of pairs(c)) if (fn(v, k, c) === false) break;
  return c;
}

export function find(c: Coll, predicate: unknown, fromIndex = 0): unknown {
  const test = iteratee(predicate);
  const all = pairs(c);
  for (let i = Math.max(fromIndex < 0 ? all.length + fromIndex : fromIndex, 0); i < all.length; i++) {
    const [k, v] = all[i]!;
    if (test(v, k, c)) return v;
  }
  return undefined;
}

export function filter(c: Coll, predicate: unknown): unknown[] {
  const test = iteratee(predicate);
  return pairs(c).filter(([k, v]) => test(v, k, c)).map(([, v]) => v);
}

export function map(c: Coll, fn: unknown): unknown[] {
  const f = iteratee(fn);
  return pairs(c).map(([k, v]) => f(v, k, c));
}

export function reduce(c: Coll, fn: (acc: any, value: any, key: any, collection: any) => unknown, ...init: unknown[]): unknown {
  const all = pairs(c);
  let acc = init.length > 0 ? init[0] : all[0]?.[1];
  for (let i = init.length > 0 ? 0 : 1; i < all.length; i++) acc = fn(acc, all[i]![1], all[i]![0], c);
  return acc;
}

/** assignIn: own and inherited enumerable string keys of each source, left to right. */
export function extend(target: any, ...sources: any[]): any {
  const out = Object(target);
  for (const s of sources) if (s != null) for (const k in s) out[k] = s[k];
  return out;
}

export function defer(fn: (...a: unknown[]) => unknown, ...args: unknown[]): ReturnType<typeof setTimeout> {
  if (typeof fn !== "function") throw new TypeError("Expected a function");
  return setTimeout(() => fn(...args), 1);
}

export function bind(fn: (...a: unknown[]) => unknown, thisArg: unknown, ...partials: unknown[]): (...a: unknown[]) => unknown {
  if (typeof fn !== "function") throw new TypeError("Expected a function");
  return fn.bind(thisArg, ...partials);
}

export function partial(fn: (...a: unknown[]) => unknown, ...partials: unknown[]): (...a: unknown[]) => unknown {
  if (typeof fn !== "function") throw new TypeError("Expected a function");
  return function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, [...partials, ...args]);
  };
}

const sameValueZero = (a: unknown, b: unknown) => a === b || (a !== a && b !== b);

/** Removes every occurrence of each value from the array, in place. */
export function pull<T>(array: T[], ...values: T[]): T[] {
  if (!Array.isArray(array)) return array;
  let w = 0;
  for (let r = 0; r < array.length; r++) if (!values.some((v) => sameValueZero(v, array[r]))) array[w++] = array[r]!;
  array.length = w;
  return array;
}

/** Shallow copy: arrays element by element, objects with their prototype and own enumerable keys. */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Object.assign(value.slice(), Object.hasOwn(value, "index") ? { index: (value as any).index, input: (value as any).input } : {}) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const out = Object.create(Object.getPrototypeOf(value));
  for (const k of Object.keys(value)) out[k] = (value as any)[k];
  for (const s of Object.getOwnPropertySymbols(value)) if (Object.prototype.propertyIsEnumerable.call(value, s)) out[s] = (value as any)[s];
  return out;
}

const arrayOrEmpty = (a: unknown): unknown[] => (isArrayLike(a) && typeof a !== "string" ? Array.from(a) : []);

export function uniq<T>(array: ArrayLike<T> | null | undefined): T[] {
  return [...new Set(arrayOrEmpty(array))] as T[];
}

export function intersection<T>(...arrays: ArrayLike<T>[]): T[] {
  const [first, ...rest] = arrays.map(arrayOrEmpty);
  const others = rest.map((a) => new Set(a));
  return uniq((first ?? []).filter((v) => others.every((s) => s.has(v)))) as T[];
}

export function difference<T>(array: ArrayLike<T> | null | undefined, ...values: ArrayLike<T>[]): T[] {
  if (!isArrayLike(array) || typeof array === "string") return [];
  const drop = new Set(values.filter((v) => isArrayLike(v) && typeof v !== "string").flatMap((v) => Array.from(v)));
  return Array.from(array).filter((v) => !drop.has(v));
}
