// Running totals of a per-year value (a rule's occurrences in each year),
// computed once per year and, once the value repeats with the calendar's
// 400-year cycle, multiplied over whole cycles instead of summed.
/**
 * Sums of a per-year value from `first` on, with whole calendar cycles
 * multiplied once the value repeats (from year `periodicFrom`, every
 * `cycle` years; null: it never repeats within the range we represent).
 */
export class YearSums {
  private readonly cum: number[] = [0];

  constructor(
    private readonly first: number,
    private readonly periodicFrom: number,
    private readonly cycle: number | null,
    private readonly value: (year: number) => number,
  ) {}

  /** Sum over years [first, year). */
  before(year: number): number {
    if (year <= this.first) return 0;
    const { cycle, periodicFrom } = this;
    if (cycle !== null && year > periodicFrom + cycle) {
      const whole = Math.floor((year - periodicFrom) / cycle);
      const rest = (year - periodicFrom) % cycle;
      const base = this.direct(periodicFrom);
      return base + whole * (this.direct(periodicFrom + cycle) - base) + (this.direct(periodicFrom + rest) - base);
    }
    return this.direct(year);
  }

  private direct(year: number): number {
    const cum = this.cum;
    while (this.first + cum.length - 1 < year) {
      cum.push(cum[cum.length - 1]! + this.value(this.first + cum.length - 1));
    }
    return cum[year - this.first]!;
  }
}

