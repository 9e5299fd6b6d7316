// The targets table users already keep: metric | baseline | target | current | change, for
// latency percentiles, throughput, error rate, cache hit-rate, pool utilization, CPU and memory.
// Load-side values (latency, throughput, errors) come from the load generator's result when the
// run has one; service-side values (cache, pool, CPU, memory, and everything for a metrics
// window) are means over the run's service timeline, and the row says so. No vscode import.

import type { RunRecord } from '../runs/record';
import { latencyAt, meanOf, type RunLatency } from './distribution';

export type TargetMetric = 'p50' | 'p95' | 'p99' | 'throughput' | 'errorRate' | 'cacheHitRate' | 'poolUtilization' | 'cpu' | 'memory';

/** Meets the target when value < target (op '<'), ≤ ('<='), > ('>') or ≥ ('>='). */
export interface Target {
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

/** Per metric; null removes a default target. Ratios (error, hit-rate, pool) as fractions 0–1. */
export type Targets = Partial<Record<TargetMetric, Target | null>>;

export const DEFAULT_TARGETS: Readonly<Record<TargetMetric, Target | null>> = {
  p50: null,
  p95: { op: '<', value: 200 },
  p99: null,
  throughput: null,
  errorRate: { op: '<', value: 0.001 },
  cacheHitRate: { op: '>', value: 0.7 },
  poolUtilization: { op: '<', value: 0.8 },
  cpu: null,
  memory: null,
};

export type ValueSource = 'load' | 'service' | 'none';

export interface TargetRow {
  metric: TargetMetric;
  label: string;
  /** 'ratio' values are fractions 0–1 (shown as %); 'percent' values are already percent. */
  unit: 'ms' | 'req/s' | 'ratio' | 'percent' | 'MB';
  better: 'lower' | 'higher';
  baseline: number | null;
  current: number | null;
  /** Where each side's value comes from: the load generator's result or the service timeline's mean. */
  sources: { baseline: ValueSource; current: ValueSource };
  target: Target | null;
  baselineMeets: boolean | null;
  currentMeets: boolean | null;
  /** current − baseline, and (current / baseline − 1) × 100; null when either is unknown (or the baseline is 0). */
  diff: number | null;
  changePct: number | null;
  /** Whether the change goes the good way; null when unknown, 'same' when equal. */
  direction: 'better' | 'worse' | 'same' | null;
}

interface Spec {
  metric: TargetMetric;
  label: string;
  unit: TargetRow['unit'];
  better: TargetRow['better'];
  value: (run: RunRecord, latency: RunLatency) => { v: number | null; source: ValueSource };
}

const fin = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function loadOr(load: number | null, service: number | null): { v: number | null; source: ValueSource } {
  if (load !== null) return { v: load, source: 'load' };
  return service !== null ? { v: service, source: 'service' } : { v: null, source: 'none' };
}

const service = (key: Parameters<typeof meanOf>[1]) => (run: RunRecord) => {
  const v = meanOf(run.serviceTimeline, key);
  return { v, source: v === null ? 'none' : 'service' } as const;
};

function latencyValue(k: 'p50' | 'p95' | 'p99') {
  return (run: RunRecord, l: RunLatency) => {
    // The load generator's own view first; a heat-derived distribution is the service's.
    const v = latencyAt(l, k);
    const fromLoad = l.kind === 'histogram' || (l.kind === 'percentiles' && l.from === 'load');
    return v === null ? service(k)(run) : { v, source: fromLoad ? ('load' as const) : ('service' as const) };
  };
}

/** Error share of the load result: 5xx responses and failed requests over requests. */
function loadErrorRate(run: RunRecord): number | null {
  const r = run.result;
  if (!r || !(r.requests > 0)) return null;
  const errors = Object.values(r.errors).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return errors / r.requests;
}

const SPECS: Spec[] = [
  { metric: 'p50', label: 'p50 latency', unit: 'ms', better: 'lower', value: latencyValue('p50') },
  { metric: 'p95', label: 'p95 latency', unit: 'ms', better: 'lower', value: latencyValue('p95') },
  { metric: 'p99', label: 'p99 latency', unit: 'ms', better: 'lower', value: latencyValue('p99') },
  { metric: 'throughput', label: 'Throughput', unit: 'req/s', better: 'higher', value: (run) => loadOr(fin(run.result?.rps), meanOf(run.serviceTimeline, 'rps')) },
  { metric: 'errorRate', label: 'Error rate', unit: 'ratio', better: 'lower', value: (run) => loadOr(loadErrorRate(run), meanOf(run.serviceTimeline, 'err')) },
  { metric: 'cacheHitRate', label: 'Cache hit-rate', unit: 'ratio', better: 'higher', value: service('hit') },
  { metric: 'poolUtilization', label: 'Pool utilization', unit: 'ratio', better: 'lower', value: service('pool') },
  { metric: 'cpu', label: 'CPU', unit: 'percent', better: 'lower', value: service('cpu') },
  { metric: 'memory', label: 'Memory', unit: 'MB', better: 'lower', value: service('memMb') },
];

/** The unit a target in settings is written in, per metric, what to divide by (ratios are written in percent), and an example. */
const SETTING_UNIT: Record<TargetMetric, { unit: string; per: number; example: string }> = {
  p50: { unit: 'ms', per: 1, example: '< 200' },
  p95: { unit: 'ms', per: 1, example: '< 200' },
  p99: { unit: 'ms', per: 1, example: '< 200' },
  throughput: { unit: 'req/s', per: 1, example: '> 500' },
  errorRate: { unit: '%', per: 100, example: '< 0.1' },
  cacheHitRate: { unit: '%', per: 100, example: '> 70' },
  poolUtilization: { unit: '%', per: 100, example: '< 80' },
  cpu: { unit: '%', per: 1, example: '< 80' },
  memory: { unit: 'MB', per: 1, example: '< 512' },
};

/**
 * Targets as users write them in settings: {"p95": "< 200", "errorRate": "<= 0.1", "cacheHitRate":
 * "> 70", "p99": null}: an operator and a number in the metric's unit (ms, req/s, % for the three
 * ratios and CPU, MB); null removes a target. A unit written after the number must be that one.
 */
export function parseTargets(raw: unknown, where: string): { targets: Targets; problems: string[] } {
  const targets: Targets = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { targets, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { targets, problems: [`${where} must be an object like {"p95": "< 200", "errorRate": "< 0.1"}`] };
  for (const [metric, v] of Object.entries(raw as Record<string, unknown>)) {
    const spec = SETTING_UNIT[metric as TargetMetric];
    if (!spec) {
      problems.push(`${where}.${metric}: not a metric (use ${Object.keys(SETTING_UNIT).join(', ')})`);
      continue;
    }
    if (v === null) {
      targets[metric as TargetMetric] = null;
      continue;
    }
    const m = typeof v === 'string' ? /^\s*(<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)\s*([a-zA-Z/%]+)?\s*$/.exec(v) : null;
    if (!m || (m[3] !== undefined && m[3] !== spec.unit)) {
      problems.push(`${where}.${metric}: expected an operator and a number in ${spec.unit}, e.g. "${spec.example}" (got ${JSON.stringify(v)})`);
      continue;
    }
    const op = ({ '≤': '<=', '≥': '>=' } as Record<string, Target['op']>)[m[1]!] ?? (m[1] as Target['op']);
    targets[metric as TargetMetric] = { op, value: Number(m[2]) / spec.per };
  }
  return { targets, problems };
}

export function meets(v: number | null, t: Target | null): boolean | null {
  if (v === null || t === null) return null;
  switch (t.op) {
    case '<':
      return v < t.value;
    case '<=':
      return v <= t.value;
    case '>':
      return v > t.value;
    case '>=':
      return v >= t.value;
  }
}

export function relChangePct(a: number | null, b: number | null): number | null {
  return a === null || b === null || a === 0 ? null : (b / a - 1) * 100;
}

export function targetRows(baseline: RunRecord, current: RunRecord, latency: { baseline: RunLatency; current: RunLatency }, targets: Targets = {}): TargetRow[] {
  return SPECS.map((s) => {
    const a = s.value(baseline, latency.baseline);
    const b = s.value(current, latency.current);
    const target = targets[s.metric] !== undefined ? targets[s.metric]! : DEFAULT_TARGETS[s.metric];
    const diff = a.v !== null && b.v !== null ? b.v - a.v : null;
    const direction = diff === null ? null : diff === 0 ? 'same' : (diff < 0) === (s.better === 'lower') ? 'better' : 'worse';
    return {
      metric: s.metric,
      label: s.label,
      unit: s.unit,
      better: s.better,
      baseline: a.v,
      current: b.v,
      sources: { baseline: a.source, current: b.source },
      target,
      baselineMeets: meets(a.v, target),
      currentMeets: meets(b.v, target),
      diff,
      changePct: relChangePct(a.v, b.v),
      direction,
    };
  });
}
