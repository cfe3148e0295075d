// Row shapes of the SQLite tables, as kysely sees them. JSON columns hold
// text; times are epoch milliseconds.
import type { Generated } from "kysely";

export interface TasksTable {
  id: Generated<number>;
  bot: string;
  name: string;
  func: string;
  args: string;
  kwargs: string;
  /** RuleParts as JSON, null for a one-shot task. */
  rrule: string | null;
  tz: string;
  start: string;
  catchup: string;
  remaining: number | null;
  next_due: number | null;
  last_run: number | null;
  origin: string;
  state: string;
  ord: number;
  hash: string;
  created_at: number;
  /** When sync (or addRuntimeTask) last wrote the definition or state; claims leave it alone. */
  updated_at: number;
}

export interface RunsTable {
  id: Generated<number>;
  task_id: number;
  due: number;
  fired: number | null;
  finished: number | null;
  outcome: string;
  error: string | null;
}

export interface StoreDatabase {
  tasks: TasksTable;
  runs: RunsTable;
}
