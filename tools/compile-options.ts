// How a program is compiled into one executable: dist/seshet by build.ts, and
// the floor programs the footprint benchmark measures beside it
// (bench/floor-binaries.ts), so both are built the same way.
import { leanModulesPlugin } from "../src/platform/lean-modules.ts";

export function compileOptions(entry: string, outfile: string, opts: { target?: string; define?: Record<string, string> } = {}): Bun.BuildConfig {
  return {
    entrypoints: [entry],
    minify: true,
    // Precompiled bytecode: start-up goes from ~130 ms to ~40 ms (bench/footprint-bench.ts).
    bytecode: true,
    format: "esm",
    // One chunk per lazily imported part, each importing only the runtime
    // modules it uses: without it every node: import of every command is
    // hoisted to the entry and loaded by every process (the supervisor held
    // 61 MB, now 37; bench/footprint-bench.ts). The chunks stay inside the
    // one executable.
    splitting: true,
    sourcemap: "linked",
    // irc-framework's lodash, iconv-lite, socks and browser polyfills, resolved to what a bot needs.
    plugins: [leanModulesPlugin],
    define: opts.define ?? {},
    compile: {
      outfile,
      ...(opts.target ? { target: opts.target as Bun.Build.CompileTarget } : {}),
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadPackageJson: false,
      autoloadTsconfig: false,
    },
  } as Bun.BuildConfig;
}
