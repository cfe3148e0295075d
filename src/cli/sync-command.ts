// `seshet sync`: apply the task files to the store and report what changed.
import { formatIssue } from "../config/format-issue.ts";
import type { Env } from "../config/secret-value.ts";
import { openStore } from "../store/open-store.ts";
import { syncFiles, syncSummary } from "../sync/sync-files.ts";

export interface SyncCommandOptions {
  tasks: string;
  bots: string;
  db: string;
  json?: boolean;
}

export async function runSync(opts: SyncCommandOptions, out: (line: string) => void, env: Env): Promise<number> {
  const store = await openStore(opts.db);
  try {
    const r = await syncFiles(store, { botsDir: opts.bots, tasksDir: opts.tasks, env, now: Date.now() });
    if (opts.json) {
      const errors = r.errors.map(({ file, line, col, message }) => ({ file, line, col, message }));
      out(JSON.stringify({ added: r.added, changed: r.changed, retired: r.retired, unchanged: r.unchanged, errors }));
    } else {
      out(syncSummary(r));
      for (const issue of r.errors) out(formatIssue(issue));
    }
    return r.errors.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
