// Which host runs which bot when several `seshet run` share one store.
//
// A host runs a bot only while it holds the bot's lease: a row in
// `bot_leases(bot, host, expires_at)` it renews every lease/3. A host that
// dies stops renewing; once its leases expire the others take its bots over.
// Hosts announce themselves in `hosts(host, seen_at)`; a host takes a free bot
// only while it holds fewer than ceil(bots / live hosts), and gives surplus
// bots back when more hosts come up, so the bots spread evenly and a new host
// gets its share without anyone dying. All times are the store's clock
// (StoreDialect.now), so hosts with skewed clocks still agree on expiry.
//
// decideLeases is the pure rule; the functions below it are the store calls,
// each a single statement that is atomic on SQLite and PostgreSQL alike.
import type { Kysely } from "kysely";
import type { StoreDatabase } from "../store/store-schema.ts";

/** How long a lease lasts without renewal: a dead host's bots are back within this (plus one poll). */
export const DEFAULT_LEASE_MS = 15_000;

export interface LeaseRow {
  bot: string;
  host: string;
  expiresAt: number;
}

export interface FleetView {
  self: string;
  /** Bots this host can run (its bot files), any order. */
  bots: string[];
  leases: LeaseRow[];
  /** Hosts seen within the lease time, this one included. */
  hostsAlive: number;
  now: number;
  /** Bots this host is already giving back (stopping): neither counted nor released again. */
  releasing?: ReadonlySet<string>;
  /** Bots this host gave up on (crash loop) for now: left to the other hosts. */
  avoid?: ReadonlySet<string>;
}

export interface LeaseDecision {
  /** Held and kept: renew these. */
  keep: string[];
  /** Free (never leased, released, or expired): try to take these, in this order. */
  acquire: string[];
  /** Held beyond this host's share (or no longer defined here): stop the bot, then release. */
  release: string[];
}

/** The most bots one host should run. */
export function fairShare(bots: number, hostsAlive: number): number {
  return Math.ceil(bots / Math.max(1, hostsAlive));
}

export function decideLeases(view: FleetView): LeaseDecision {
  const releasing = view.releasing ?? new Set<string>();
  const defined = new Set(view.bots);
  const byBot = new Map(view.leases.map((l) => [l.bot, l]));
  const share = fairShare(view.bots.length, view.hostsAlive);

  // Ours even if expired: nobody took it meanwhile, so nobody else runs it.
  const mine = view.leases.filter((l) => l.host === view.self && !releasing.has(l.bot));
  const undefinedHere = mine.filter((l) => !defined.has(l.bot)).map((l) => l.bot);
  const held = mine.filter((l) => defined.has(l.bot)).map((l) => l.bot).sort();
  const surplus = Math.max(0, held.length - share);
  const release = [...undefinedHere, ...held.slice(held.length - surplus)];
  const keep = held.slice(0, held.length - surplus);

  const room = share - keep.length;
  const free = view.bots
    .filter((b) => {
      const lease = byBot.get(b);
      if (view.avoid?.has(b)) return false;
      return lease === undefined || (lease.host !== view.self && lease.expiresAt <= view.now);
    })
    // Each host tries the free bots in its own order, so hosts starting
    // together mostly ask for different ones.
    .sort((a, b) => spread(view.self, a) - spread(view.self, b) || (a < b ? -1 : 1));
  return { keep, acquire: room > 0 ? free.slice(0, room) : [], release };
}

function spread(host: string, bot: string): number {
  let h = 2166136261;
  for (const ch of `${host}\u0000${bot}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// ---- store calls -------------------------------------------------------

type Db = Kysely<StoreDatabase>;

/** Records that `host` is alive at `now`. */
export async function announceHost(db: Db, host: string, now: number): Promise<void> {
  await db
    .insertInto("hosts")
    .values({ host, seen_at: now })
    .onConflict((oc) => oc.column("host").doUpdateSet({ seen_at: now }))
    .execute();
}

/** Hosts seen within `leaseMs` of `now`; also forgets hosts gone for long. */
export async function liveHosts(db: Db, now: number, leaseMs: number): Promise<string[]> {
  await db.deleteFrom("hosts").where("seen_at", "<", now - 20 * leaseMs).execute();
  const rows = await db.selectFrom("hosts").select("host").where("seen_at", ">", now - leaseMs).execute();
  return rows.map((r) => r.host);
}

export async function readLeases(db: Db): Promise<LeaseRow[]> {
  const rows = await db.selectFrom("bot_leases").selectAll().execute();
  return rows.map((r) => ({ bot: r.bot, host: r.host, expiresAt: r.expires_at }));
}

/**
 * Takes `bot` if it is free or its lease expired (or is already ours): one
 * INSERT … ON CONFLICT DO UPDATE … WHERE, so of several hosts racing for it
 * exactly one gets a row back.
 */
export async function acquireLease(db: Db, bot: string, host: string, now: number, leaseMs: number): Promise<boolean> {
  const row = await db
    .insertInto("bot_leases")
    .values({ bot, host, expires_at: now + leaseMs })
    .onConflict((oc) =>
      oc
        .column("bot")
        .doUpdateSet({ host, expires_at: now + leaseMs })
        .where((eb) => eb.or([eb("bot_leases.expires_at", "<=", now), eb("bot_leases.host", "=", host)])),
    )
    .returning("bot")
    .executeTakeFirst();
  return row !== undefined;
}

/** Extends our lease; false when it is no longer ours (another host took it after it expired). */
export async function renewLease(db: Db, bot: string, host: string, now: number, leaseMs: number): Promise<boolean> {
  const row = await db
    .updateTable("bot_leases")
    .set({ expires_at: now + leaseMs })
    .where("bot", "=", bot)
    .where("host", "=", host)
    .returning("bot")
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives a bot back (after its process stopped), so another host can take it at once. */
export async function releaseLease(db: Db, bot: string, host: string): Promise<void> {
  await db.deleteFrom("bot_leases").where("bot", "=", bot).where("host", "=", host).execute();
}

/** A clean shutdown: every lease of `host` released and the host no longer counted. */
export async function leaveFleet(db: Db, host: string): Promise<void> {
  await db.deleteFrom("bot_leases").where("host", "=", host).execute();
  await db.deleteFrom("hosts").where("host", "=", host).execute();
}
