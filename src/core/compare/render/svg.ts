// Inline SVG charts for the HTML report: the two latency CDFs overlaid on a log-scale x axis, and
// the two runs' timelines. Colours are CSS classes (styled by the report's one <style>), so the
// SVG needs no style attributes and works under a CSP without 'unsafe-inline'. Every label passes
// through esc(). No vscode import.

import type { CdfPoint } from '../distribution';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const W = 640;
const H = 240;
const M = { left: 56, right: 16, top: 12, bottom: 36 };
const f = (v: number) => v.toFixed(1);

export interface Series {
  cls: 'base' | 'cur';
  points: { x: number; y: number }[];
}

interface Axis {
  min: number;
  max: number;
  log: boolean;
}

function scale(a: Axis, from: number, to: number): (v: number) => number {
  const t = (v: number) => (a.log ? Math.log10(v) : v);
  const lo = t(a.min);
  const span = t(a.max) - lo || 1;
  return (v: number) => from + ((t(v) - lo) / span) * (to - from);
}

/** Ticks: 1-2-5 per decade on a log axis, about five round steps on a linear one. */
function ticks(a: Axis): number[] {
  if (a.log) {
    const out: number[] = [];
    for (let d = Math.floor(Math.log10(a.min)); d <= Math.ceil(Math.log10(a.max)); d++) for (const m of [1, 2, 5]) out.push(m * 10 ** d);
    return out.filter((v) => v >= a.min && v <= a.max);
  }
  const raw = (a.max - a.min) / 5 || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(a.min / step) * step; v <= a.max + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) => (v >= 1000 ? `${v / 1000}k` : String(Number(v.toPrecision(3))));

/** A line chart of one or two series; `step` draws a CDF's staircase. */
export function lineChart(o: { title: string; xLabel: string; yLabel: string; series: Series[]; xLog?: boolean; yMax?: number; step?: boolean }): string {
  const all = o.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!o.xLog || p.x > 0));
  const head = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}"><title>${esc(o.title)}</title>`;
  if (!all.length) return `${head}<text class="axis" x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text></svg>`;
  const lo = Math.min(...all.map((p) => p.x));
  const hi = Math.max(...all.map((p) => p.x));
  // A log axis spans whole decades; a flat linear one gets a unit of width.
  const xa: Axis = o.xLog ? { min: 10 ** Math.floor(Math.log10(lo)), max: 10 ** Math.max(Math.ceil(Math.log10(hi)), Math.floor(Math.log10(lo)) + 1), log: true } : { min: lo, max: hi > lo ? hi : lo + 1, log: false };
  const ya: Axis = { min: 0, max: o.yMax ?? (Math.max(...all.map((p) => p.y)) * 1.1 || 1), log: false };
  const sx = scale(xa, M.left, W - M.right);
  const sy = scale(ya, H - M.bottom, M.top);
  const parts: string[] = [head];
  for (const t of ticks(xa)) parts.push(`<line class="grid" x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${M.top}" y2="${H - M.bottom}"/><text class="axis" x="${f(sx(t))}" y="${H - M.bottom + 14}" text-anchor="middle">${esc(label(t))}</text>`);
  for (const t of ticks(ya)) parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(sy(t))}" y2="${f(sy(t))}"/><text class="axis" x="${M.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${esc(label(t))}</text>`);
  parts.push(`<text class="axis" x="${(M.left + W - M.right) / 2}" y="${H - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text class="axis" transform="translate(12 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  for (const s of o.series) {
    const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!o.xLog || p.x > 0));
    if (!pts.length) continue;
    const coords: string[] = [];
    pts.forEach((p, i) => {
      if (o.step && i > 0) coords.push(`${f(sx(p.x))},${f(sy(pts[i - 1]!.y))}`);
      coords.push(`${f(sx(p.x))},${f(sy(p.y))}`);
    });
    parts.push(`<polyline class="line ${s.cls}" points="${coords.join(' ')}"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

export function cdfChart(base: CdfPoint[], cur: CdfPoint[]): string {
  const toXY = (c: CdfPoint[]) => c.map((p) => ({ x: p.ms, y: p.q }));
  return lineChart({ title: 'Latency CDF, baseline and current (log scale)', xLabel: 'latency (ms, log scale)', yLabel: 'share of requests ≤ x', series: [{ cls: 'base', points: toXY(base) }, { cls: 'cur', points: toXY(cur) }], xLog: true, yMax: 1, step: true });
}
