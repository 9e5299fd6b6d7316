// Latency heatmap maths: rows are histogram buckets, equally tall whatever their width (so the
// usual exponential bucket layouts read as a log scale); columns are points, each spanning from
// the previous point's time to its own (the counts are observations since the previous scrape);
// colour follows √count along a ramp built from theme colours. Pure (no DOM), unit-tested;
// heatmap.ts draws the result.

import { fmtBound } from './format';

export type Rgba = [r: number, g: number, b: number, a: number];

/** Parses the colour forms VS Code themes produce: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(). */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    const h = m[1]!;
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => parseInt(c + c, 16));
      return [v[0]!, v[1]!, v[2]!, h.length === 4 ? v[3]! / 255 : 1];
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return [v[0]!, v[1]!, v[2]!, h.length === 8 ? v[3]! / 255 : 1];
    }
    return null;
  }
  m = /^rgba?\(([^)]+)\)$/.exec(s);
  if (m) {
    const raw = m[1]!.split(/[\s,/]+/).filter(Boolean);
    const num = (p: string, scale: number) => (p.endsWith('%') ? (parseFloat(p) / 100) * scale : parseFloat(p));
    if (raw.length < 3) return null;
    const [r, g, b] = [num(raw[0]!, 255), num(raw[1]!, 255), num(raw[2]!, 255)];
    const a = raw[3] === undefined ? 1 : num(raw[3], 1);
    if (![r, g, b, a].every(Number.isFinite)) return null;
    return [clamp255(r), clamp255(g), clamp255(b), Math.max(0, Math.min(1, a))];
  }
  return null;
}

const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** Linear blend a→b at f (0..1), alpha included. */
export function mix(a: Rgba, b: Rgba, f: number): Rgba {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, a[3] + (b[3] - a[3]) * f];
}

/** A colour composited over an opaque background (canvas pixels have to be opaque to read well). */
export function over(fg: Rgba, bg: Rgba): Rgba {
  const a = fg[3];
  return [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1];
}

/** n RGBA entries evenly spread over the stops (index 0 = the first stop). */
export function buildRamp(stops: readonly Rgba[], n = 64): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * 4);
  if (!stops.length) return out;
  for (let i = 0; i < n; i++) {
    const pos = n === 1 ? 0 : (i / (n - 1)) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(pos));
    const c = stops.length === 1 ? stops[0]! : mix(stops[Math.max(0, k)]!, stops[Math.max(0, k) + 1]!, pos - Math.max(0, k));
    out[i * 4] = c[0];
    out[i * 4 + 1] = c[1];
    out[i * 4 + 2] = c[2];
    out[i * 4 + 3] = Math.round(c[3] * 255);
  }
  return out;
}

/**
 * Ramp entry for a count: -1 for nothing (left transparent), else 0..levels-1 by √(count / max)
 * (Grafana's default exponent 0.5: the busy buckets stand out, a few stray slow requests still show).
 */
export function levelOf(count: number, max: number, levels: number): number {
  if (!(count > 0) || !(max > 0)) return -1;
  if (count >= max) return levels - 1;
  const f = Math.sqrt(count / max);
  return Math.min(levels - 1, Math.max(0, Math.floor(f * levels)));
}

/** Row i covers (lower, upper] ms; the first starts at 0; null upper = +Inf. */
export function rowRange(bounds: readonly (number | null)[], i: number): [lower: number, upper: number | null] {
  const upper = bounds[i] ?? null;
  const lower = i === 0 ? 0 : bounds[i - 1] ?? 0;
  return [lower, upper === null || !Number.isFinite(upper) ? null : upper];
}

export function rowLabel(bounds: readonly (number | null)[], i: number): string {
  const [lo, hi] = rowRange(bounds, i);
  if (hi === null) return `> ${fmtBound(lo)}`;
  return `${fmtBound(lo)} – ${fmtBound(hi)}`;
}

/** Row under a vertical position: 0 at the bottom (`fromBottom` in 0..1). */
export function rowAt(fromBottom: number, rows: number): number | null {
  if (!(fromBottom >= 0 && fromBottom <= 1) || rows <= 0) return null;
  return Math.min(rows - 1, Math.floor(fromBottom * rows));
}

export interface HeatInput {
  t: readonly number[];
  heat: readonly (readonly number[] | null)[];
  rows: number;
  /** Visible point range, inclusive. */
  i0: number;
  i1: number;
  /** Time → x pixel in the target (0 = plot left); may be fractional or outside 0..width. */
  xPos: (t: number) => number;
  width: number;
  /** A column never reaches further back than this before its point (a gap in scraping stays empty). */
  maxSpanMs: number;
}

/**
 * Sums each visible point's counts into the pixel columns its time span covers.
 * `acc` is width*rows, row-major with row 0 = bottom bucket. Returns the largest cell.
 */
export function accumulate(inp: HeatInput, acc: Float32Array): number {
  const { t, heat, rows, width } = inp;
  acc.fill(0, 0, width * rows);
  let max = 0;
  for (let i = Math.max(0, inp.i0); i <= inp.i1 && i < t.length; i++) {
    const col = heat[i];
    if (!col || col.length !== rows) continue;
    const ti = t[i]!;
    const prev = i > 0 ? t[i - 1]! : ti - inp.maxSpanMs;
    const start = Math.max(prev, ti - inp.maxSpanMs);
    let x0 = Math.floor(inp.xPos(start));
    let x1 = Math.ceil(inp.xPos(ti)) - 1;
    if (x1 < x0) x1 = x0;
    if (x1 < 0 || x0 >= width) continue;
    x0 = Math.max(0, x0);
    x1 = Math.min(width - 1, x1);
    for (let r = 0; r < rows; r++) {
      const c = col[r]!;
      if (!(c > 0)) continue;
      const base = r * width;
      for (let x = x0; x <= x1; x++) {
        const v = (acc[base + x] = acc[base + x]! + c);
        if (v > max) max = v;
      }
    }
  }
  return max;
}

/** Paints `acc` into RGBA pixels (top row = highest bucket). Empty cells stay fully transparent. */
export function colorize(acc: Float32Array, width: number, rows: number, max: number, ramp: Uint8ClampedArray, out: Uint8ClampedArray): void {
  const levels = ramp.length / 4;
  out.fill(0, 0, width * rows * 4);
  for (let r = 0; r < rows; r++) {
    const src = r * width;
    const dst = (rows - 1 - r) * width * 4;
    for (let x = 0; x < width; x++) {
      const lvl = levelOf(acc[src + x]!, max, levels);
      if (lvl < 0) continue;
      const o = dst + x * 4;
      const k = lvl * 4;
      out[o] = ramp[k]!;
      out[o + 1] = ramp[k + 1]!;
      out[o + 2] = ramp[k + 2]!;
      out[o + 3] = ramp[k + 3]!;
    }
  }
}
