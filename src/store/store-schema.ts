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
  /** Who made it from IRC: "account:NAME" or "nick:name"; null for file and module tasks (0003). */
  owner: string | null;
  /** The owner's nick when it was made, for listings. */
  owner_nick: string | null;
  /** Whose quota it counts against: "account:NAME" or "host:HOST" (0005); null before 0005 and for file tasks. */
  quota_key: string | null;
  /** 1 while paused: kept, off the queue, never claimed. Sync leaves it alone. */
  paused: Generated<number>;
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

/** A user's time zone for chat scheduling, per bot (0003). */
export interface UserZonesTable {
  bot: string;
  /** "account:NAME" when identified, else "nick:name". */
  user_key: string;
  tz: string;
  updated_at: number;
}

export interface StoreDatabase {
  tasks: TasksTable;
  runs: RunsTable;
  bot_leases: BotLeasesTable;
  hosts: HostsTable;
  store_meta: StoreMetaTable;
  user_zones: UserZonesTable;
}
