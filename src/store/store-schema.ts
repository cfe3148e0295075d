// Row shapes of the store's tables (SQLite and PostgreSQL alike), as kysely
// sees them. JSON columns hold text; times are epoch milliseconds (bigint on
// PostgreSQL, read back as numbers).
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
  /** ScheduleExtras as JSON (cron, exdate, rdate, reminder offset, late_after), null when none (0004). */
  extras: string | null;
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

/** Which host runs a bot, until when (store clock, epoch ms). */
export interface BotLeasesTable {
  bot: string;
  host: string;
  expires_at: number;
}

/** Hosts announce themselves here; the live ones share the bots. */
export interface HostsTable {
  host: string;
  seen_at: number;
}

/** Small counters; "version" is bumped by every sync. */
export interface StoreMetaTable {
  key: string;
  value: number;
}

export interface StoreDatabase {
  tasks: TasksTable;
  runs: RunsTable;
  bot_leases: BotLeasesTable;
  hosts: HostsTable;
  store_meta: StoreMetaTable;
}
