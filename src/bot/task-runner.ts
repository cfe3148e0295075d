// Fires a bot's due tasks. The queue holds one entry per task (its next due
// time); the store is the record: each occurrence is claimed in the store
// (run recorded and next due advanced in one transaction) before it fires,
// so a crash at any moment neither loses a task nor fires an occurrence twice.
// When to fire is the FiringLoop's business (scheduler/firing-loop.ts); this
// file decides what firing means: claim, call, record, catch up.
import type { Logger } from "../log/logger.ts";
import type { Advance, RunnableTask, TaskStore } from "../store/store-types.ts";
import type { TaskFunction } from "../modules/module-types.ts";
import { trackedCount, type Recurrence } from "../scheduler/recurrence/recurrence.ts";
import { RuleCache } from "../scheduler/rule-cache.ts";
import { planCatchup, planSteps } from "../scheduler/catchup.ts";
import { firstDue, scheduleAt } from "../scheduler/task-schedule.ts";
import { CLAIM_LEAD_MS, FiringLoop, waitUntil, withRetries } from "../scheduler/firing-loop.ts";
import { systemClock, type Clock } from "../scheduler/clock.ts";
import type { TaskQueue } from "../scheduler/task-queue.ts";
import { entryFor, isHead, queuedTask, type Entry, type QueuedTask } from "./queued-task.ts";
import type { RunObserver } from "./bot-metrics.ts";
import { TaskError, causeText, logTaskError, type RetryNote, type TaskPhase } from "./task-error.ts";


// A queue entry is the task (or, due later, only its head: queued-task.ts);
// its rule is compiled only when it fires (or is previewed), through a small
// cache, so 10,000 stored tasks are not 10,000 compiled rules.

/** Tries at recording a run's outcome (about 4 s of store errors) before it is reported lost. */
const RECORD_TRIES = 5;

/** Compiled rules kept for reuse: the tasks firing now and a little more. */
export const RULE_CACHE_SIZE = 256;

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
  /** Timers for the firing loop; a test's fake clock, or the system's. */
  clock?: Clock;
  /**
   * The one place errors while firing are reported (logTaskError by default).
   * `retry` is set when the occurrence stays queued and is tried again.
   */
  onError?: (error: TaskError, retry?: RetryNote) => void;
  /** Told of every firing (with its lag) and every outcome, for metrics. */
  observer?: RunObserver;
}

export class TaskRunner {
  readonly #loop: FiringLoop<Entry>;
  #memory = new Map<string, RunnableTask>();
  #rules = new RuleCache(RULE_CACHE_SIZE);
  #now: () => number;
  #clock: Clock;
  /** Task function calls still running, so shutdown can wait for them. */
  #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: TaskRunnerDeps) {
    const clock = deps.clock ?? (deps.now ? { ...systemClock, now: deps.now } : systemClock);
    this.#now = clock.now;
    this.#clock = clock;
    this.#loop = new FiringLoop<Entry>({
      clock,
      canFire: deps.canFire,
      run: (entry, now, attempt) => this.#runEntry(entry.key, entry.value, now, attempt),
      onRetry: (entry, error, attempt, delayMs) => {
        const { task } = entry.value;
        this.#report(task, task.nextDue ?? entry.due, "claim", error, { inMs: delayMs, failures: attempt });
      },
    });
  }

  get queue(): TaskQueue<Entry> {
    return this.#loop.queue;
  }

  /** Reloads the queue from the store (after a sync, at startup) plus the in-memory tasks. */
  rebuild(): Promise<void> {
    return this.#loop.serial(async () => {
      const heads = await this.deps.store.activeTaskHeads(this.deps.bot);
      this.#loop.clear();
      for (const h of heads) if (h.nextDue !== null) this.queue.push(storedKey(h.name), h.nextDue, h.order, { task: h });
      for (const [key, t] of this.#memory) this.#enqueue(key, t);
    });
  }

  /**
   * Puts one stored task back on the queue as the store now has it, or takes
   * it off (paused, cancelled, done): one entry changes, never a full rebuild.
   */
  refresh(task: RunnableTask & { name: string; state: string; paused?: boolean }): Promise<void> {
    return this.#loop.serial(async () => {
      const key = storedKey(task.name);
      this.queue.remove(key);
      if (task.state === "active" && task.paused !== true) this.#enqueue(key, task);
    });
  }

  /** Queues a task that lives only in memory: it runs like any other and is gone after a restart. */
  addMemoryTask(task: RunnableTask): void {
    const key = `memory:${task.name}`;
    const rec = this.#rules.get(task);
    const at = task.nextDue ?? firstDue(rec, this.#now());
    const { nextDue, remaining } = scheduleAt(rec, trackedCount(task), at);
    const t = { ...task, nextDue, remaining };
    this.#memory.set(key, t);
    this.#enqueue(key, t);
  }

  /** Earliest due time in the queue. */
  nextDue(): number | undefined {
    return this.#loop.nextDue();
  }

  /** When the timer should wake: a little before the earliest due time, to claim it. */
  nextWake(): number | undefined {
    return this.#loop.nextWake();
  }

  /** Fires everything due now (claiming what is due within CLAIM_LEAD_MS), in due then declaration order. Calls are serialised. */
  fireDue(): Promise<void> {
    return this.#loop.fireDue();
  }

  /** Fires what is due and sleeps until the next due time (the bot's timer). */
  wake(): Promise<void> {
    return this.#loop.wake();
  }

  /** Wakes earlier if a task added from outside is due before the current wake. */
  rearm(): void {
    this.#loop.rearm();
  }

  /** Resolves when every task function already started has settled. */
  async drain(): Promise<void> {
    await this.#loop.serial(async () => {});
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops waking (shutdown); then drain() waits for what already started. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Compiled rules held now (at most RULE_CACHE_SIZE, however many tasks are queued). */
  get compiledRules(): number {
    return this.#rules.size;
  }

  memoryTasks(): RunnableTask[] {
    return [...this.#memory.values()];
  }

  recurrenceOf(task: RunnableTask): Recurrence {
    return this.#rules.get(task);
  }

  /**
   * One queue entry. A head, and a retry (after a store error), first reads
   * the task as the store has it: a retried claim may have committed after
   * all, and then the store has moved on and that occurrence is not fired twice.
   */
  async #runEntry(key: string, entry: Entry, now: number, attempt: number): Promise<void> {
    let task = entry.task;
    if (isHead(task) || (attempt > 0 && task.id !== undefined)) {
      const fresh = await this.deps.store.getTask(this.deps.bot, task.name);
      if (!fresh || fresh.state !== "active" || fresh.nextDue === null) return;
      // Kept in the entry: a claim that throws retries it (and reports it) as the whole task.
      task = entry.task = queuedTask(fresh);
      if (attempt > 0) this.deps.log.info(`task '${task.name}': the store answers again after ${attempt} failed attempt(s)`, { due: new Date(fresh.nextDue).toISOString() });
      if (fresh.nextDue > now + CLAIM_LEAD_MS) return this.#requeue(key, task, fresh.nextDue);
    }
    await this.#run(key, task, now);
  }

  async #run(key: string, task: QueuedTask, now: number): Promise<void> {
    let rec: Recurrence;
    try {
      rec = this.#rules.get(task);
    } catch (error) {
      // The store validated it at sync; a rule that still fails to compile leaves the queue until the next reload.
      this.deps.log.error(`task '${task.name}' has an invalid schedule; not queued`, { error });
      return;
    }
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
    this.#requeue(key, task, plan.next);
    if (gap) this.deps.observer?.finished(task, "skipped", now, gap.count);
    if (gap) this.deps.log.info(`task '${task.name}': ${gap.count} missed run(s) skipped (catchup = "${task.catchup}")`);
  }

  /** Claims and fires one occurrence; false when it must not go on (claimed elsewhere, or unresolvable). */
  async #fire(key: string, task: RunnableTask, due: number, advance: Advance): Promise<boolean> {
    const now = this.#now();
    const fn = this.deps.resolve(task.func);
    const store = this.deps.store;
    if (!fn) {
      const error = `unknown function '${task.func}' (is its module loaded?)`;
      this.#report(task, due, "resolve", new Error(`${error}; it leaves the queue until tasks are reloaded`));
      this.deps.observer?.finished(task, "unresolved", now);
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
    const lagMs = this.#now() - due;
    this.deps.log.debug(`fired '${task.name}'`, { due: new Date(due).toISOString(), lagMs });
    this.deps.observer?.fired(task, lagMs);
    // The outcome is recorded even through a brief store error (else the run would read "interrupted").
    const record = (outcome: "ok" | "error", text?: string) =>
      runId === null ? undefined : withRetries(() => store.finish(runId, outcome, this.#now(), text), this.#clock, RECORD_TRIES);
    const settled = call.then(
      () => {
        this.deps.observer?.finished(task, "ok", this.#now());
        return record("ok");
      },
      (error) => {
        this.deps.observer?.finished(task, "error", this.#now());
        this.#report(task, due, "call", error);
        return record("error", causeText(error));
      },
    ).catch((error) => this.#report(task, due, "record", error));
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

  #requeue(key: string, task: QueuedTask, next: number | null): void {
    task.nextDue = next;
    if (next === null) {
      this.#memory.delete(key);
      return;
    }
    this.queue.push(key, next, task.order, entryFor(task, next, this.#now()));
  }

  #enqueue(key: string, task: QueuedTask): void {
    if (task.nextDue === null) return;
    this.queue.push(key, task.nextDue, task.order, entryFor(task, task.nextDue, this.#now()));
  }

  #report(task: { name: string; func: string }, due: number, phase: TaskPhase, cause: unknown, retry?: RetryNote): void {
    const error = new TaskError({ bot: this.deps.bot, task: task.name, func: task.func, due, phase }, cause);
    if (this.deps.onError) this.deps.onError(error, retry);
    else logTaskError(this.deps.log, error, retry);
  }
}

export function storedKey(name: string): string {
  return `stored:${name}`;
}
