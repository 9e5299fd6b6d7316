// Number formatting shared by the status bar, details, and CLI.

export function fmtMs(v: number | null): string {
  if (v === null) return '—';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  if (v >= 10) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function fmtPct(v: number | null, digits = 1): string {
  if (v === null) return '—';
  const p = v * 100;
  if (p !== 0 && Math.abs(p) < 0.1) return `${p.toFixed(2)}%`;
  return `${p.toFixed(p >= 10 || p === 0 ? 0 : digits)}%`;
}

export function fmtRate(v: number | null): string {
  if (v === null) return '—';
  return v >= 100 ? `${Math.round(v)}/s` : `${v.toFixed(1)}/s`;
}

export function fmtAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.floor(m / 60)} h ${m % 60} min ago`;
}

export function fmtTime(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour12: false });
}
