// Printing: one compact table per section and the summary against the targets.
import type { BenchFigure, BenchSection } from "./bench-figure.ts";

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
  how: string;
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

function ratioText(f: BenchFigure): string {
  if (f.ratio === null || f.ratio === undefined) return "";
  return `×${f.ratio >= 100 ? Math.round(f.ratio).toLocaleString("en") : f.ratio.toFixed(2)}`;
}

export function sectionTable(section: BenchSection): string {
  const lines = [`\n== ${section.title} ==`];
  if (section.error) {
    lines.push(`  FAILED: ${section.error}`);
    return lines.join("\n");
  }
  const rows = section.figures.map((f) => [
    f.name,
    `${num(f.value)} ${f.unit}`,
    f.baseline ? `${num(f.baseline.value)} ${f.unit}  ${f.baseline.name}` : "",
    ratioText(f),
    f.note ?? "",
  ]);
  const head = ["", "seshet", "baseline", "baseline÷seshet", "note"];
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    "  " + r.map((cell, c) => (c === 1 || c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  lines.push(fmt(head), ...rows.map(fmt));
  return lines.join("\n");
}

export function summaryTable(checks: TargetCheck[]): string {
  const lines = ["\n== Summary against the targets =="];
  const w = Math.max(...checks.map((c) => c.target.length));
  const wm = Math.max(...checks.map((c) => c.measured.length));
  for (const c of checks) {
    const verdict = c.met === null ? "n/a " : c.met ? "met " : "MISS";
    lines.push(`  ${verdict}  ${c.target.padEnd(w)}  ${c.measured.padEnd(wm)}  (${c.how})`);
  }
  return lines.join("\n");
}
