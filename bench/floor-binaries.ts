// The floor programs (bench/floor/*.ts) compiled the way dist/seshet is
// (tools/compile-options.ts), into dist/floor/. Their memory, measured in the
// same run as Seshet's, is what the chosen runtime and dependencies cost
// before any Seshet code: how far a goal below it is out of reach.
import { join } from "node:path";
import { ROOT } from "../test/support/seshet-process.ts";
import { compileOptions } from "../tools/compile-options.ts";

export interface FloorBinaries {
  bot: string;
  supervisor: string;
}

export async function floorBinaries(): Promise<FloorBinaries> {
  const out: Record<string, string> = {};
  for (const name of ["bot-floor", "supervisor-floor"]) {
    const outfile = join(ROOT, "dist", "floor", name);
    const r = await Bun.build(compileOptions(join(ROOT, "bench", "floor", `${name}.ts`), outfile));
    if (!r.success) throw new Error(`could not compile bench/floor/${name}.ts:\n${r.logs.join("\n")}`);
    out[name] = outfile;
  }
  return { bot: out["bot-floor"]!, supervisor: out["supervisor-floor"]! };
}
