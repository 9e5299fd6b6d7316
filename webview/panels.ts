// What each chart draws: series, axes, targets, and what it says when the service exposes nothing
// for it. The data are History's columns; thresholds and the selected route are read at draw time.

import uPlot from 'uplot';
import type { Thresholds } from '../src/dashboard/protocol';
import type { ChartDef } from './charts';
import { fmtCompact, fmtCpu, fmtMemMb, fmtMs, fmtMsAxis, fmtPct, fmtPctAxis, fmtRate } from './format';
import { lowerBound, type Column, type History } from './history';
import { ratioRange, zeroBased } from './scales';
import { opaque, rgba, type Palette } from './theme';

export interface PanelSource {
  history: History;
  thresholds(): Thresholds | null;
  route(): string | null;
}

const EMPTY: Column = [];
const fmtCount = (v: number | null) => (v === null ? '—' : String(Math.round(v)));
const waiting = (h: History) => (h.length === 0 ? 'Waiting for the first scrape…' : null);

export function panelDefs(src: PanelSource): ChartDef[] {
  const h = src.history;
  const s = h.series;
  const th = () => src.thresholds();
  const routeCol = (q: 'p50' | 'p95' | 'p99') => () => {
    const r = src.route();
    return (r !== null && h.routes.get(r)?.[q]) || EMPTY;
  };
  const latencySeries = (col: (q: 'p50' | 'p95' | 'p99') => () => Column) => [
    { label: 'p50', scale: 'ms', color: (p: Palette) => p.blue, fmt: fmtMs, data: col('p50') },
    { label: 'p95', scale: 'ms', color: (p: Palette) => p.orange, width: 2, fmt: fmtMs, data: col('p95') },
    { label: 'p99', scale: 'ms', color: (p: Palette) => p.purple, fmt: fmtMs, data: col('p99') },
  ];
  const msAxis = { scale: 'ms', side: 'left' as const, fmt: fmtMsAxis, range: (_min: number | null, max: number | null) => zeroBased(max, { target: th()?.p95Ms ?? null }) };
  const p95Target = () => [{ scale: 'ms', value: th()?.p95Ms ?? null, label: `p95 target ${fmtMs(th()?.p95Ms ?? null)}` }];

  return [
    {
      id: 'latency',
      title: 'Latency',
      series: latencySeries((q) => () => s[q]),
      axes: [msAxis],
      thresholds: p95Target,
      empty: () => waiting(h) ?? (h.hasData('p50') || h.hasData('p95') || h.hasData('p99') ? null : 'No latency metric found — set pulse.metrics.latency to a histogram or summary of request durations.'),
    },
    {
      id: 'route',
      title: 'Latency by route',
      series: latencySeries(routeCol),
      axes: [msAxis],
      thresholds: p95Target,
      empty: () => {
        const w = waiting(h);
        if (w) return w;
        if (h.routes.size === 0) return 'No per-route latency: the latency metric has no route label (set pulse.metrics.endpointLabel).';
        const r = src.route();
        if (r === null) return 'Pick a route.';
        return h.hasData(`route:${r}`) ? null : `No latency for ${r} in the retained history (only the busiest routes are tracked).`;
      },
    },
    {
      id: 'requests',
      title: 'Requests by status · error rate',
      series: [
        // Stacked by painting the cumulative areas tallest first, each opaque over the one before
        // (no band clipping: a third of the cost at 3600 points); the legend reads each class's own rate.
        { label: '5xx', scale: 'rps', color: (p) => p.red, width: 1, fill: (p) => opaque(p.red, 0.6, p.bg), fmt: fmtRate, data: () => h.stacked[3], raw: () => h.status['5xx'] },
        { label: '4xx', scale: 'rps', color: (p) => p.yellow, width: 1, fill: (p) => opaque(p.yellow, 0.45, p.bg), fmt: fmtRate, data: () => h.stacked[2], raw: () => h.status['4xx'] },
        { label: '3xx', scale: 'rps', color: (p) => p.blue, width: 1, fill: (p) => opaque(p.blue, 0.4, p.bg), fmt: fmtRate, data: () => h.stacked[1], raw: () => h.status['3xx'] },
        { label: '2xx', scale: 'rps', color: (p) => p.green, width: 1, fill: (p) => opaque(p.green, 0.3, p.bg), fmt: fmtRate, data: () => h.stacked[0], raw: () => h.status['2xx'] },
        { label: 'total', scale: 'rps', color: (p) => rgba(p.fg, 0.75), width: 1, fmt: fmtRate, data: () => s.rps },
        { label: 'error rate', scale: 'err', color: (p) => p.error, width: 2, fmt: (v) => fmtPct(v), data: () => s.err },
      ],
      gridOnTop: true,
      axes: [
        { scale: 'rps', side: 'left', fmt: (v) => `${fmtCompact(v)}/s`, range: (_min, max) => zeroBased(max) },
        { scale: 'err', side: 'right', fmt: fmtPctAxis, range: (_min, max) => ratioRange(max, th()?.errorRate ?? null) },
      ],
      thresholds: () => [{ scale: 'err', value: th()?.errorRate ?? null, label: `error target ${fmtPct(th()?.errorRate ?? null)}` }],
      empty: () => waiting(h) ?? (h.hasData('rps') || h.hasData('err') || h.hasData('status:2xx') ? null : 'No request counter found — set pulse.metrics.requests.'),
    },
    {
      id: 'cache',
      title: 'Cache hit-rate',
      series: [{ label: 'hit-rate', scale: 'ratio', color: (p) => p.green, width: 2, fill: (p) => rgba(p.green, 0.12), fmt: (v) => fmtPct(v), data: () => s.hit }],
      axes: [{ scale: 'ratio', side: 'left', fmt: fmtPctAxis, range: () => [0, 1] }],
      thresholds: () => [{ scale: 'ratio', value: th()?.cacheHitRate ?? null, label: `min ${fmtPct(th()?.cacheHitRate ?? null)}` }],
      empty: () => waiting(h) ?? (h.hasData('hit') ? null : 'This service exposes no cache metrics (set pulse.metrics.cacheHits and cacheMisses, or cacheHitRatio).'),
    },
    {
      id: 'pool',
      title: 'DB pool',
      series: [
        { label: 'active', scale: 'conn', color: (p) => p.blue, width: 1.5, stepped: true, fill: (p) => rgba(p.blue, 0.25), fmt: fmtCount, data: () => s.poolActive },
        { label: 'size', scale: 'conn', color: (p) => rgba(p.fg, 0.55), width: 1, stepped: true, fmt: fmtCount, data: () => s.poolSize },
        { label: 'utilization', scale: 'ratio', color: (p) => p.orange, width: 1.5, fmt: (v) => fmtPct(v), data: () => s.pool },
      ],
      axes: [
        { scale: 'conn', side: 'left', fmt: (v) => (Number.isInteger(v) ? String(v) : ''), range: (_min, max) => zeroBased(max, { floor: 4 }) },
        { scale: 'ratio', side: 'right', fmt: fmtPctAxis, range: () => [0, 1] },
      ],
      thresholds: () => [{ scale: 'ratio', value: th()?.poolUtilization ?? null, label: `max ${fmtPct(th()?.poolUtilization ?? null)}` }],
      drawUnder: (u, p) => drawSaturation(u, p, h),
      empty: () => waiting(h) ?? (h.hasData('poolActive') || h.hasData('poolSize') || h.hasData('pool') ? null : 'No DB pool metrics found (set pulse.metrics.poolActive and poolSize, or poolUtilization).'),
    },
    {
      id: 'process',
      title: 'Process CPU and memory',
      series: [
        { label: 'CPU', scale: 'cpu', color: (p) => p.blue, width: 1.5, fmt: fmtCpu, data: () => s.cpu },
        { label: 'memory', scale: 'mb', color: (p) => p.purple, width: 1.5, fmt: fmtMemMb, data: () => s.memMb },
      ],
      axes: [
        { scale: 'cpu', side: 'left', fmt: (v) => `${fmtCompact(v)}%`, range: (_min, max) => zeroBased(max, { floor: 10 }) },
        { scale: 'mb', side: 'right', fmt: (v) => `${fmtCompact(v)} MB`, range: (_min, max) => zeroBased(max, { floor: 16 }) },
      ],
      empty: () => waiting(h) ?? (h.hasData('cpu') || h.hasData('memMb') ? null : 'No process CPU or memory metrics (process_cpu_seconds_total, process_resident_memory_bytes).'),
    },
  ];
}

/** Shades the stretches where every pool connection is in use (active ≥ size). */
function drawSaturation(u: uPlot, p: Palette, h: History): void {
  const t = h.t;
  const active = h.series.poolActive;
  const size = h.series.poolSize;
  const xs = u.scales.x;
  if (xs?.min === undefined || xs.max === undefined || t.length === 0) return;
  const { left, top, width, height } = u.bbox;
  const c = u.ctx;
  const i0 = Math.max(0, lowerBound(t, xs.min) - 1);
  const i1 = Math.min(t.length - 1, lowerBound(t, xs.max) + 1);
  const edge = (i: number, side: -1 | 1) => {
    const j = i + side;
    const tj = t[j];
    const ti = t[i]!;
    return tj === undefined ? ti : (ti + tj) / 2;
  };
  c.save();
  c.beginPath();
  c.rect(left, top, width, height);
  c.clip();
  c.fillStyle = rgba(p.red, p.dark ? 0.22 : 0.16);
  let runStart = -1;
  for (let i = i0; i <= i1 + 1; i++) {
    const a = active[i];
    const sz = size[i];
    const sat = i <= i1 && a !== null && a !== undefined && sz !== null && sz !== undefined && sz > 0 && a >= sz;
    if (sat && runStart < 0) runStart = i;
    if (!sat && runStart >= 0) {
      const x0 = u.valToPos(edge(runStart, -1), 'x', true);
      const x1 = u.valToPos(edge(i - 1, 1), 'x', true);
      c.fillRect(x0, top, Math.max(x1 - x0, 2), height);
      c.fillStyle = p.red;
      c.fillRect(x0, top, Math.max(x1 - x0, 2), 3 * uPlot.pxRatio);
      c.fillStyle = rgba(p.red, p.dark ? 0.22 : 0.16);
      runStart = -1;
    }
  }
  c.restore();
}
