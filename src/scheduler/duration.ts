// Durations as people type them: `10s`, `5m`, `1h30m`, `2d`, `1w`, and in
// words, `2 hours`, `90 minutes`, `1 day 2 hours`. Pure: text -> milliseconds.

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

const UNIT_WORDS: Record<string, string> = {
  s: "s", sec: "s", secs: "s", second: "s", seconds: "s",
  m: "m", min: "m", mins: "m", minute: "m", minutes: "m",
  h: "h", hr: "h", hrs: "h", hour: "h", hours: "h",
  d: "d", day: "d", days: "d",
  w: "w", wk: "w", wks: "w", week: "w", weeks: "w",
  y: "y", yr: "y", yrs: "y", year: "y", years: "y",
};

/** The longest duration accepted at all (before any per-bot limit): 10 years. */
export const MAX_DURATION_MS = 10 * UNIT_MS.y!;

/** Milliseconds, or null when `text` is not a duration (or is zero or beyond MAX_DURATION_MS). */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (s === "" || s.length > 64) return null;
  const part = /(\d{1,9})\s*([a-z]+)\s*(?:,|and)?\s*/gy;
  let total = 0;
  let at = 0;
  for (let m = part.exec(s); m !== null; m = part.exec(s)) {
    const unit = UNIT_WORDS[m[2]!];
    if (unit === undefined) return null;
    total += Number(m[1]) * UNIT_MS[unit]!;
    at = part.lastIndex;
  }
  if (at !== s.length || total <= 0 || total > MAX_DURATION_MS) return null;
  return total;
}

/** `1h30m`, `15m`, `2d`, `45s`: the compact form of a duration (whole seconds). */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  if (rest <= 0) return "0s";
  const out: string[] = [];
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out.push(`${n}${unit}`);
    rest -= n * size;
  }
  return out.join("");
}
