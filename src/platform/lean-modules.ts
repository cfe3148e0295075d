// irc-framework's dependencies, resolved to what a bot on Bun needs. One Bun
// plugin serves both the build (build.ts: Bun.build({ plugins })) and runs
// from source (useLeanModules(), called by src/cli.ts before any command
// loads irc-framework), so the binary and `bun src/cli.ts` run the same code.
//
// lodash's per-function modules pull in ~230 internal modules, iconv-lite
// every encoding table, socks an IP address library and grapheme-splitter
// Unicode tables the runtime already has (Intl.Segmenter). Measured on compiled
// binaries: one that only loads irc-framework holds 40.6 MB resident with
// them and 33.4 MB with these stand-ins; in the whole bot the saving was
// 1-2 MB (bench/footprint-bench.ts), the rest of the bot touching much of
// the same runtime code anyway. The
// browser polyfills irc-framework lists (buffer, util, stream-browserify,
// core-js, regenerator-runtime) are only used by its browser build, never by
// its Node entry that Bun and Deno load; they are pinned to the runtime's own
// modules (or nothing) here all the same, so a change of entry cannot bring
// them back unnoticed (test/irc/lean-modules.test.ts checks the bundle).
//
// Under Deno, npm packages' own require() calls cannot be redirected (an
// import map applies to our imports only): Deno runs the original modules.
import type { BunPlugin } from "bun";
import { fileURLToPath } from "node:url";
import { compiled, runtime } from "./runtime.ts";

/** The lodash functions irc-framework requires one by one (`require('lodash/find')`). */
export const LEAN_LODASH = [
  "bind", "clone", "defer", "difference", "each", "extend", "filter", "find", "intersection", "map", "partial", "pull", "reduce", "uniq",
] as const;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const nm = String.raw`[\\/]node_modules[\\/]`;

/**
 * The module text that makes require() return `spec` (or its export `member`).
 * The bundler reads a replaced file as CommonJS; Bun's runtime plugins read it
 * as ESM, where the export named "module.exports" is what require() returns.
 */
function reexport(kind: "bundle" | "runtime", spec: string, member?: string): string {
  const s = JSON.stringify(spec);
  if (kind === "bundle") return `module.exports = require(${s})${member ? `.${member}` : ""};`;
  return member ? `import { ${member} as m } from ${s}; export { m as "module.exports" };` : `import * as m from ${s}; export { m as "module.exports" };`;
}

/** [file pattern, the module that stands in for the file: a path or node: module, and an export]. */
const REPLACEMENTS: [RegExp, (path: string) => [string, string?] | null][] = [
  [new RegExp(`${nm}lodash[\\\\/](${LEAN_LODASH.join("|")})\\.js$`), (path) => [here("./lean-lodash.ts"), /(\w+)\.js$/.exec(path)![1]]],
  [new RegExp(`${nm}iconv-lite[\\\\/]lib[\\\\/]index\\.js$`), () => [here("./lean-iconv.ts")]],
  [new RegExp(`${nm}socks[\\\\/]build[\\\\/]index\\.js$`), () => [here("./lean-socks.ts")]],
  [new RegExp(`${nm}grapheme-splitter[\\\\/]index\\.js$`), () => [here("./lean-grapheme.ts"), "default"]],
  [new RegExp(`${nm}buffer[\\\\/]index\\.js$`), () => ["node:buffer"]],
  [new RegExp(`${nm}util[\\\\/]util\\.js$`), () => ["node:util"]],
  [new RegExp(`${nm}stream-browserify[\\\\/]index\\.js$`), () => ["node:stream"]],
  // Nothing: these only patch what Bun and Deno already have.
  [new RegExp(`${nm}(core-js|regenerator-runtime)[\\\\/].*\\.js$`), () => null],
];

function leanModules(kind: "bundle" | "runtime"): BunPlugin {
  return {
    name: "seshet-lean-modules",
    setup(build) {
      for (const [filter, target] of REPLACEMENTS) {
        build.onLoad({ filter }, (args) => {
          const t = target(args.path);
          const empty = kind === "bundle" ? "module.exports = {};" : `const empty = {}; export { empty as "module.exports" };`;
          return { contents: t === null ? empty : reexport(kind, ...t), loader: "js" };
        });
      }
    },
  };
}

/** For Bun.build (build.ts). */
export const leanModulesPlugin: BunPlugin = leanModules("bundle");

declare const Bun: { plugin(p: BunPlugin): void } | undefined;

/** From source on Bun: the same replacements as in the binary. Elsewhere (the binary, Deno) nothing to do. */
export function useLeanModules(): void {
  if (runtime === "bun" && !compiled && typeof Bun !== "undefined") Bun.plugin(leanModules("runtime"));
}
