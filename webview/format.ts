// Number and time formatting for tiles, table, legends and axes. Pure (no DOM), unit-tested.
// Tile and table texts follow the host's src/core/format.ts so the status bar, the health details
// and the dashboard print the same value the same way (the webview may not import src/core).

const DASH = '—';

/** Finite number or null: NaN, ±Infinity, undefined and non-numbers all become null (a gap). */
export function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  if (v >= 10) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

/** A fraction 0–1 as a percentage. */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const p = v * 100;
  if (p !== 0 && Math.abs(p) < 0.1) return `${p.toFixed(2)}%`;
  return `${p.toFixed(p >= 10 || p === 0 ? 0 : digits)}%`;
}

export function fmtRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return v >= 100 ? `${Math.round(v)}/s` : `${v.toFixed(1)}/s`;
}

/** CPU is already a percentage (100 = one core busy). */
export function fmtCpu(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${v.toFixed(1)}%`;
}

export function fmtMemMb(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  if (v >= 10_240) return `${(v / 1024).toFixed(1)} GB`;
  return `${v.toFixed(0)} MB`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** hh:mm:ss in local time, 24-hour. */
export function fmtClock(t: number): string {
  if (!Number.isFinite(t)) return DASH;
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** hh:mm in local time, 24-hour. */
export function fmtClockShort(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function fmtRange(from: number, to: number): string {
  return `${fmtClock(from)}–${fmtClock(to)}`;
}

export function fmtAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.floor(m / 60)} h ${m % 60} min ago`;
}

/** Short label of a duration in seconds: 60 → "1m", 3600 → "1h". */
export function fmtWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Compact axis number: 1200 → "1.2k", 0.5 → "0.5". */
export function fmtCompact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v: number): string {
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Axis tick label for latency in ms. */
export function fmtMsAxis(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return `${trim(v / 1000)} s`;
  return `${trim(v)} ms`;
}

/** Axis tick label for a fraction 0–1. */
export function fmtPctAxis(v: number): string {
  return `${trim(v * 100)}%`;
}

/** Upper bound of a heatmap row (ms, null = +Inf). */
export function fmtBound(b: number | null): string {
  if (b === null || !Number.isFinite(b)) return '+Inf';
  return fmtMsAxis(b);
}
