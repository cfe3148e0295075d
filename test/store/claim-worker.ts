// A separate process racing others to claim one task's occurrences.
// argv: DB DRIVER TASK_ID ATTEMPTS START_AT_MS (DB a SQLite path or a
// postgres:// URL, DRIVER "-" for PostgreSQL). Prints the dues it won as JSON.
import { openStore } from "../../src/store/open-store.ts";

const [dbPath, driver, taskId, attempts, startAt] = process.argv.slice(2);
const store = await openStore(dbPath!, driver === "-" ? {} : { driver: driver as "bun" | "node" });
const { bot, name } = { bot: "alpha", name: "d" };
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const won: number[] = [];
for (let i = 0; i < Number(attempts); i++) {
  const task = await store.getTask(bot, name);
  const due = task!.nextDue!;
  const runId = await store.claim(Number(taskId), due, Date.now(), "started", { nextDue: due + 1000, remaining: null });
  if (runId !== null) won.push(due);
}
await store.close();
process.stdout.write(JSON.stringify(won));
