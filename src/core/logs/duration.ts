// Durations as logs print them: "3456ms", "1.2s", "350µs", Go's "1m2.5s", bare numbers.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3, // Greek mu, which some loggers print instead of the micro sign
  ms: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/** Milliseconds per `unit` (case-insensitive), or undefined for a unit we do not know. */
export function unitToMs(unit: string): number | undefined {
  return UNIT_MS[unit.toLowerCase()];
}

const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|μs|ms|seconds|secs|sec|s|min|m|h)?/y;
/** The common case ("3456ms", "12"), read without trimming, lower-casing and a loop. */
const PLAIN = /^(\d+(?:\.\d+)?)(ms)?$/;

/**
 * "450ms" → 450, "1.2s" → 1200, "1m2.5s" → 62500, "12" → 12 × defaultUnit.
 * Returns null for anything else (negative, empty, trailing junk).
 */
export function parseDurationText(text: string, defaultUnit = 'ms'): number | null {
  const plain = PLAIN.exec(text);
  if (plain) {
    const f = plain[2] ? 1 : unitToMs(defaultUnit);
    return f === undefined ? null : Number(plain[1]) * f;
  }
  const s = text.trim().toLowerCase();
  if (!s) return null;
  const fallback = unitToMs(defaultUnit);
  if (fallback === undefined) return null;
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return null;
    const unit = m[2];
    // Only the last part of a composite may omit its unit ("1m30" is not a duration).
    if (unit === undefined && (parts > 0 || PART.lastIndex < s.length)) return null;
    total += Number(m[1]) * (unit === undefined ? fallback : UNIT_MS[unit]!);
    pos = PART.lastIndex;
    parts++;
  }
  return Number.isFinite(total) ? total : null;
}

/** A number and an optional unit captured separately (custom patterns, the text form). */
export function toMs(value: string, unit: string | undefined, defaultUnit = 'ms'): number | null {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n < 0) return null;
  const f = unitToMs(unit && unit.trim() ? unit.trim() : defaultUnit);
  return f === undefined ? null : n * f;
}
