// The floor under a Seshet bot: the chosen dependencies doing the least a bot
// does, with no Seshet code. irc-framework (with the same lean stand-ins as
// the binary) registers and joins the channel; kysely on kysely-bun-sqlite
// opens a SQLite file and reads a row; smol-toml parses a bot file; Intl
// formats a time in an IANA zone (the scheduler's zone maths); then it idles
// as a bot does. Compiled like dist/seshet by bench/floor-binaries.ts; the
// footprint benchmark measures it beside the bot, in the same run. With
// `--fire` it also does a firing's least every second once joined (a claim
// and a run row in one SQLite transaction, a line to the channel, the zone
// maths): the floor under the soak run.
// argv: HOST PORT NICK CHANNEL DBFILE [--fire]
import IRC from "irc-framework";
import { Kysely, sql } from "kysely";
import { BunSqliteDialect } from "kysely-bun-sqlite";
import { Database } from "bun:sqlite";
import { parse } from "smol-toml";

const [host, port, nick, channel, dbFile, fire] = process.argv.slice(2) as [string, string, string, string, string, string?];
const config = parse(`nick = "${nick}"\nchannels = ["${channel}"]\n[server]\nhost = "${host}"\nport = ${port}\n`) as { nick: string; channels: string[] };
const db = new Kysely<{ t: { a: number } }>({ dialect: new BunSqliteDialect({ database: new Database(dbFile!, { create: true }) }) });
await sql`create table if not exists t (a integer)`.execute(db);
await sql`create table if not exists runs (due integer, at integer, outcome text)`.execute(db);
await db.selectFrom("t").selectAll().execute();
const zone = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
zone.formatToParts(new Date());

const client = new IRC.Client();
client.on("registered", () => {
  console.log(`WELCOME ${Date.now()}`);
  for (const c of config.channels) client.raw(`JOIN ${c}`);
  if (fire === "--fire") setInterval(() => void fireOnce(), 1000);
});

let due = 0;
async function fireOnce(): Promise<void> {
  due += 1000;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("t").set({ a: due }).execute();
    await sql`insert into runs (due, at, outcome) values (${due}, ${Date.now()}, 'ok')`.execute(trx);
  });
  client.raw(`PRIVMSG ${config.channels[0]} :tick ${zone.format(new Date())}`);
}
client.connect({ host, port: Number(port), nick: config.nick, username: config.nick, gecos: "floor", auto_reconnect: false });
process.on("SIGTERM", () => {
  client.quit("floor done");
  setTimeout(() => process.exit(0), 100);
});
