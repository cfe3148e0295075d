// One measured figure as every section reports it, and the JSON written to
// bench/results/. `ratio` is always baseline ÷ value, measured in the same run:
// above 1 means Seshet is faster (or smaller) than the baseline.

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number } | null;
  ratio?: number | null;
  note?: string;
}

export interface BenchSection {
  id: string;
  title: string;
  figures: BenchFigure[];
  /** Anything worth keeping that is not a figure (raw samples, settings). */
  detail?: Record<string, unknown>;
  error?: string;
}

export function figure(name: string, value: number, unit: string, baseline?: { name: string; value: number } | null, note?: string): BenchFigure {
  const ratio = baseline && value > 0 ? baseline.value / value : null;
  return { name, value, unit, baseline: baseline ?? null, ratio, ...(note ? { note } : {}) };
}
