// What `seshet check` warns about without failing: settings that work but
// are unsafe. Today: admin masks that whoever takes the nick matches.
import { readFileSync } from "node:fs";
import { adminMaskWarning } from "../bot/admin-check.ts";
import type { BotConfig, ConfigIssue } from "../config/config-types.ts";
import { locateToml } from "../config/toml-locate.ts";

/** One issue per unsafe admin mask, at the mask in its bot file; messages start with "warning: ". */
export function adminMaskWarnings(bots: readonly BotConfig[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const bot of bots) {
    const unsafe = bot.admins.map((mask, i) => ({ i, problem: adminMaskWarning(mask) })).filter((w) => w.problem);
    if (unsafe.length === 0) continue;
    let where = new Map<string, { value: { line: number; col: number } }>();
    try {
      where = locateToml(readFileSync(bot.file, "utf8"));
    } catch {
      // The file was read a moment ago; if it is gone now, say the file alone.
    }
    for (const { i, problem } of unsafe) {
      const at = where.get(`admins.${i}`)?.value ?? where.get("admins")?.value ?? { line: 0, col: 0 };
      out.push({ file: bot.file, line: at.line, col: at.col, message: `warning: ${problem}` });
    }
  }
  return out;
}
