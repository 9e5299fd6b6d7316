// A run's latency distribution for comparison, from the best data it has: the load generator's
// HDR histogram; else the service's histogram buckets summed over the run (heatmap columns, coarse
// but a real distribution); else only percentiles (an imported k6/autocannon summary, or the
// service timeline's mean percentiles), which allow no significance test. Plus the points of an
// empirical CDF for charts. No vscode import.

import type { Point } from '../../dashboard/protocol';
import type { RunRecord } from '../runs/record';
import { weightedFromEncoded, weightedMean, weightedQuantile, type Weighted } from './stats';

export type PercentileKey = 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'mean' | 'min' | 'max';
export type PercentileSummary = Record<PercentileKey, number | null>;

export type RunLatency =
  | { kind: 'histogram'; weighted: Weighted; samples: number }
  | { kind: 'heat'; weighted: Weighted; samples: number; buckets: number }
  | { kind: 'percentiles'; summary: PercentileSummary; samples: number | null; from: 'load' | 'service' }
  | { kind: 'none' };

const KEYS: PercentileKey[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'mean', 'min', 'max'];
const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function runLatency(run: RunRecord): RunLatency {
  const r = run.result;
  if (r && r.histogram.trim()) {
    const w = weightedFromEncoded(r.histogram);
    if (w.total > 0) return { kind: 'histogram', weighted: w, samples: w.total };
  }
  if (run.heatBounds) {
    const w = weightedFromHeat(run.serviceTimeline, run.heatBounds);
    if (w) return { kind: 'heat', weighted: w, samples: w.total, buckets: run.heatBounds.length };
  }
  if (r && Number.isFinite(r.latencyMs.p50)) {
    const summary = {} as PercentileSummary;
    for (const k of KEYS) summary[k] = finite(r.latencyMs[k]);
    return { kind: 'percentiles', summary, samples: finite(r.requests), from: 'load' };
  }
  const svc = servicePercentiles(run.serviceTimeline);
  return svc ? { kind: 'percentiles', summary: svc, samples: null, from: 'service' } : { kind: 'none' };
}

/**
 * The service's latency histogram summed over the points' heat columns, each bucket valued at
 * its midpoint (the +Inf bucket at its lower bound, a floor). Null without observations.
 */
export function weightedFromHeat(points: readonly Point[], bounds: readonly (number | null)[]): Weighted | null {
  const sums = new Float64Array(bounds.length);
  for (const p of points) {
    if (!p.heat || p.heat.length !== bounds.length) continue;
    p.heat.forEach((c, i) => {
      if (Number.isFinite(c) && c > 0) sums[i] = sums[i]! + c;
    });
  }
  const values: number[] = [];
  const counts: number[] = [];
  let total = 0;
  let lo = 0;
  bounds.forEach((hi, i) => {
    const c = Math.round(sums[i]!);
    // A bucket's midpoint; the +Inf bucket's lower bound (never below the previous value).
    const v = hi === null ? lo : (lo + hi) / 2;
    if (c > 0) {
      if (values.length && v <= values[values.length - 1]!) counts[counts.length - 1]! += c;
      else {
        values.push(v);
        counts.push(c);
      }
      total += c;
    }
    if (hi !== null) lo = hi;
  });
  return total > 0 ? { values: Float64Array.from(values), counts: Float64Array.from(counts), total } : null;
}

/** Mean of the points' p50 / p95 / p99 / mean (the service's own view, per scrape). */
function servicePercentiles(points: readonly Point[]): PercentileSummary | null {
  const s: PercentileSummary = { p50: meanOf(points, 'p50'), p90: null, p95: meanOf(points, 'p95'), p99: meanOf(points, 'p99'), p999: null, mean: meanOf(points, 'mean'), min: null, max: null };
  return s.p50 === null && s.p95 === null ? null : s;
}

/** Mean of a numeric point field over the points that have it; null if none do. */
export function meanOf(points: readonly Point[], key: 'p50' | 'p95' | 'p99' | 'mean' | 'rps' | 'err' | 'hit' | 'pool' | 'cpu' | 'memMb' | 'memPct'): number | null {
  let sum = 0;
  let n = 0;
  for (const p of points) {
    const v = p[key];
    if (v !== null && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : null;
}

/** One latency's quantile. */
export function latencyAt(l: RunLatency, k: PercentileKey): number | null {
  if (l.kind === 'none') return null;
  if (l.kind === 'percentiles') return l.summary[k];
  const w = l.weighted;
  if (k === 'mean') return weightedMean(w);
  if (k === 'min') return w.values[0] ?? null;
  if (k === 'max') return w.values[w.values.length - 1] ?? null;
  return weightedQuantile(w, { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 }[k]);
}

/** A point of an empirical CDF: P(latency ≤ ms) = q. */
export interface CdfPoint {
  ms: number;
  q: number;
}

/** The CDF as at most ~maxPoints steps (every 1/maxPoints of probability, plus the extremes). */
export function cdfPoints(l: RunLatency, maxPoints = 200): CdfPoint[] {
  if (l.kind === 'none') return [];
  if (l.kind === 'percentiles') {
    const qs: [PercentileKey, number][] = [['min', 0], ['p50', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99], ['p999', 0.999], ['max', 1]];
    return qs.flatMap(([k, q]) => (l.summary[k] !== null && l.summary[k]! > 0 ? [{ ms: l.summary[k]!, q }] : []));
  }
  const w = l.weighted;
  const out: CdfPoint[] = [];
  let cum = 0;
  let last = -1;
  for (let i = 0; i < w.values.length; i++) {
    cum += w.counts[i]!;
    const q = cum / w.total;
    if (i === 0 || i === w.values.length - 1 || q - last >= 1 / maxPoints) {
      out.push({ ms: w.values[i]!, q });
      last = q;
    }
  }
  return out;
}
