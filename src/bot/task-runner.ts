// Fires a bot's due tasks. The queue holds one entry per task (its next due
// time); the store is the record: each occurrence is claimed in the store
// (run recorded and next due advanced in one transaction) before it fires,
// so a crash at any moment neither loses a task nor fires an occurrence twice.
import type { Logger } from "../log/logger.ts";
import type { Advance, TaskStore } from "../store/store-types.ts";
import type { TaskFunction } from "../modules/module-types.ts";
import { compileTaskSchedule, trackedCount, type Recurrence } from "../scheduler/recurrence/recurrence.ts";
import { planCatchup, planSteps } from "../scheduler/catchup.ts";
import { firstDue, scheduleAt } from "../scheduler/task-schedule.ts";
import { TaskQueue } from "../scheduler/task-queue.ts";
import type { TaskCore } from "../config/config-types.ts";

/**
 * An occurrence is claimed in the store this long before it is due, so the
 * store's commit is not on the path from the due instant to the wire. A crash
 * between claim and due loses that one occurrence (recorded "interrupted"),
 * exactly as a crash between claim and send would.
 */
export const CLAIM_LEAD_MS = 25;

/** What the runner needs to know of a task, stored or in memory. */
export interface RunnableTask extends TaskCore {
  tz: string;
  remaining: number | null;
  nextDue: number | null;
  order: number;
  /** Store id; absent for in-memory tasks. */
  id?: number;
  hash?: string;
}

interface Entry {
  task: RunnableTask;
  rec: Recurrence;
}

export interface TaskRunnerDeps {
  bot: string;
  store: TaskStore;
  resolve: (func: string) => TaskFunction | undefined;
  log: Logger;
  now?: () => number;
  /**
   * Whether output can reach its destination now. While it cannot (the bot
   * is between connections, or not yet in its channels), due tasks stay
   * unclaimed in the queue rather than firing into memory, where a crash would
   * lose them; they fire once it can, or by their catchup policy if the outage
   * was long.
   */
  canFire?: () => boolean;
}

export class TaskRunner {
  readonly queue = new TaskQueue<Entry>();
  #memory = new Map<string, RunnableTask>();
  #recs = new Map<string, { hash: string; rec: Recurrence }>();
  #busy: Promise<void> = Promise.resolve();
  #now: () => number;
  /** Task function calls still running, so shutdown can wait for them. */
  #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: TaskRunnerDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /** Reloads the queue from the store (after a sync, at startup) plus the in-memory tasks. */
  rebuild(): Promise<void> {
    return this.#serial(async () => {
      const stored = await this.deps.store.activeTasks(this.deps.bot);
      this.queue.clear();
      for (const t of stored) this.#enqueue(storedKey(t.name), t);
      for (const [key, t] of this.#memory) this.#enqueue(key, t);
    });
  }

  /** Queues a task that lives only in memory: it runs like any other and is gone after a restart. */
  addMemoryTask(task: RunnableTask): void {
    const key = `memory:${task.name}`;
    const rec = this.#recurrence(key, task);
    const at = task.nextDue ?? firstDue(rec, this.#now());
    const { nextDue, remaining } = scheduleAt(rec, trackedCount(task), at);
    const t = { ...task, nextDue, remaining };
    this.#memory.set(key, t);
    this.#enqueue(key, t);
  }

  /** Earliest due time in the queue. */
  nextDue(): number | undefined {
    return this.queue.peek()?.due;
  }

  /** When the timer should wake: a little before the earliest due time, to claim it. */
  nextWake(): number | undefined {
    const due = this.nextDue();
    return due === undefined ? undefined : due - CLAIM_LEAD_MS;
  }

  /** Fires everything due now (claiming what is due within CLAIM_LEAD_MS), in due then declaration order. Calls are serialised. */
  fireDue(): Promise<void> {
    return this.#serial(async () => {
      while (this.deps.canFire?.() ?? true) {
        const now = this.#now();
        const entry = this.queue.popDue(now + CLAIM_LEAD_MS);
        if (!entry) return;
        await this.#run(entry.key, entry.value, now).catch((error) =>
          this.deps.log.error(`task '${entry.value.task.name}' could not be run`, { error }),
        );
      }
    });
  }

  /** Resolves when every task function already started has settled. */
  async drain(): Promise<void> {
    await this.#busy;
    await Promise.allSettled([...this.#inFlight]);
  }

  memoryTasks(): RunnableTask[] {
    return [...this.#memory.values()];
  }

  recurrenceOf(task: RunnableTask): Recurrence {
    return this.#recurrence(task.id !== undefined ? storedKey(task.name) : `memory:${task.name}`, task);
  }

  async #run(key: string, { task, rec }: Entry, now: number): Promise<void> {
    // On time, or missed while down or stalled (then the catchup policy
    // decides): the plan says what fires, what is skipped and where the task
    // lands; the runner only claims and fires what it says.
    // An occurrence claimed ahead (CLAIM_LEAD_MS) is planned as of its due time.
    const due = task.nextDue!;
    // Runs past the task's late_after are skipped first (and recorded); then its catchup policy decides.
    const lateAfter = task.extras?.lateAfter;
    const plan = planCatchup({ nextDue: due, catchup: task.catchup, remaining: task.remaining, lateAfter }, rec, Math.max(now, due));
    const gap = plan.skipped > 0 ? { first: plan.skip[0]!, count: plan.skipped } : undefined;
    const steps = planSteps(plan, task.remaining);
    if (steps.length === 0) {
      if (!(await this.#skip(task, { nextDue: plan.next, remaining: plan.remaining, skipped: gap }, now))) return;
    }
    for (const [i, step] of steps.entries()) {
      const last = i === steps.length - 1;
      const advance = { nextDue: step.next, remaining: step.remaining, skipped: last ? gap : undefined };
      if (!(await this.#fire(key, task, step.due, advance))) return;
    }
    this.#requeue(key, task, rec, plan.next);
    if (gap) this.deps.log.info(`task '${task.name}': ${gap.count} missed run(s) skipped (catchup = "${task.catchup}")`);
  }

  /** Claims and fires one occurrence; false when it must not go on (claimed elsewhere, or unresolvable). */
  async #fire(key: string, task: RunnableTask, due: number, advance: Advance): Promise<boolean> {
    const now = this.#now();
    const fn = this.deps.resolve(task.func);
    const store = this.deps.store;
    if (!fn) {
      const error = `unknown function '${task.func}' (is its module loaded?)`;
      this.deps.log.error(`task '${task.name}' not run: ${error}; it leaves the queue until tasks are reloaded`);
      if (task.id !== undefined) {
        // Recorded without advancing: after the module is fixed and tasks are reloaded, the catchup policy applies.
        const runId = await store.claim(task.id, due, now, "started", { nextDue: due, remaining: task.remaining });
        if (runId !== null) await store.finish(runId, "error", now, error);
      } else this.#memory.delete(key);
      return false;
    }
    let runId: number | null = null;
    if (task.id !== undefined) {
      runId = await store.claim(task.id, due, Math.max(now, due), "started", advance);
      if (runId === null) {
        this.deps.log.warn(`task '${task.name}': occurrence ${new Date(due).toISOString()} was already claimed; not firing it again`);
        return false;
      }
    }
    task.remaining = advance.remaining;
    await waitUntil(due, this.#now);
    const call = (async () => fn({ args: task.args, kwargs: task.kwargs, task: { name: task.name, due } }))();
    this.deps.log.debug(`fired '${task.name}'`, { due: new Date(due).toISOString(), lagMs: this.#now() - due });
    const settled = call.then(
      () => (runId !== null ? store.finish(runId, "ok", this.#now()) : undefined),
      (error) => {
        this.deps.log.error(`task '${task.name}' failed`, { func: task.func, error });
        return runId !== null ? store.finish(runId, "error", this.#now(), errorText(error)) : undefined;
      },
    ).catch((error) => this.deps.log.error(`task '${task.name}': run not recorded`, { error }));
    this.#inFlight.add(settled);
    void settled.finally(() => this.#inFlight.delete(settled));
    return true;
  }

  /** Records a gap the plan fires nothing for and moves the task past it. */
  async #skip(task: RunnableTask, advance: Advance, now: number): Promise<boolean> {
    if (task.id === undefined) return true;
    const runId = await this.deps.store.claim(task.id, task.nextDue!, now, "skipped", advance);
    task.remaining = advance.remaining;
    return runId !== null;
  }

  #requeue(key: string, task: RunnableTask, rec: Recurrence, next: number | null): void {
    task.nextDue = next;
    if (next === null) {
      this.#memory.delete(key);
      return;
    }
    this.queue.push(key, next, task.order, { task, rec });
  }

  #enqueue(key: string, task: RunnableTask): void {
    if (task.nextDue === null) return;
    try {
      this.queue.push(key, task.nextDue, task.order, { task, rec: this.#recurrence(key, task) });
    } catch (error) {
      this.deps.log.error(`task '${task.name}' has an invalid schedule; not queued`, { error });
    }
  }

  /** Compiled rules are reused while the definition is unchanged. */
  #recurrence(key: string, task: RunnableTask): Recurrence {
    const hash = task.hash ?? JSON.stringify([task.start, task.tz, task.rrule, task.extras]);
    const cached = this.#recs.get(key);
    if (cached && cached.hash === hash) return cached.rec;
    const rec = compileTaskSchedule(task);
    if (this.#recs.size > 200_000) this.#recs.clear();
    this.#recs.set(key, { hash, rec });
    return rec;
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const run = this.#busy.then(work, work);
    this.#busy = run.catch(() => {});
    return run;
  }
}

export function storedKey(name: string): string {
  return `stored:${name}`;
}

/**
 * Resolves at `at`, never before: a timer for all but the last couple of
 * milliseconds (timers fire late, not early), then a short spin, so the
 * occurrence goes out within a millisecond of its due time.
 */
async function waitUntil(at: number, now: () => number): Promise<void> {
  const SPIN_MS = 2;
  while (now() < at) {
    const left = at - now();
    if (left > SPIN_MS) {
      await new Promise((r) => setTimeout(r, left - SPIN_MS));
      continue;
    }
    // Spin for at most SPIN_MS of real time, then yield (the clock may be a test's).
    const until = performance.now() + SPIN_MS;
    while (now() < at && performance.now() < until) {
      // spin
    }
    if (now() < at) await new Promise((r) => setTimeout(r, 1));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
