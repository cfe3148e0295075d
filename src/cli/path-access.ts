// Whether another (unprivileged) user can reach a path: every directory on the
// way must be searchable by others, and the file itself readable.
import { stat } from "node:fs/promises";
import * as path from "node:path";

/** The first path that keeps other users out of `target`, or undefined when they can read it. */
export async function hiddenFromOthers(target: string): Promise<string | undefined> {
  const full = path.resolve(target);
  const parts = full.split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = path.sep + parts.slice(0, i).join(path.sep);
    const st = await stat(p).catch(() => undefined);
    if (!st) return undefined; // not there (yet): nothing to say
    const needed = st.isDirectory() ? 0o005 : 0o004;
    if ((st.mode & needed) !== needed) return p;
  }
  return undefined;
}
