// Compiled schedules kept for reuse, least recently used out first. Keyed by
// the schedule itself, so tasks sharing one (the same start, zone, rule and
// extras) share one compiled rule, and a changed definition compiles anew.
import { compileTaskSchedule, type Recurrence } from "./recurrence/recurrence.ts";

type Schedule = Parameters<typeof compileTaskSchedule>[0];

export class RuleCache {
  /** Map keeps insertion order; a hit moves to the end. */
  readonly #rules = new Map<string, Recurrence>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#rules.size;
  }

  get(schedule: Schedule): Recurrence {
    const id = JSON.stringify([schedule.start, schedule.tz, schedule.rrule, schedule.extras]);
    const cached = this.#rules.get(id);
    if (cached) {
      this.#rules.delete(id);
      this.#rules.set(id, cached);
      return cached;
    }
    const rec = compileTaskSchedule(schedule);
    this.#rules.set(id, rec);
    if (this.#rules.size > this.capacity) this.#rules.delete(this.#rules.keys().next().value!);
    return rec;
  }
}
