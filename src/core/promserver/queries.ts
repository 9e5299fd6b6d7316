// What to ask a Prometheus server for: the metric choice (the same candidates and order as
// signals.ts, from the names the server holds for the selector) and the PromQL of every signal,
// written so that the server computes what computeSignals computes from Pulse's own scrapes.
// Everything inserted into a query is either a validated name or the normalized selector.

import {
  CACHE_PAIRS,
  CACHE_RATIO_CANDIDATES,
  ENDPOINT_LABELS,
  LATENCY_CANDIDATES,
  METHOD_LABELS,
  POOL_ACTIVE_CANDIDATES,
  POOL_IDLE_CANDIDATES,
  POOL_SIZE_CANDIDATES,
  POOL_UTILIZATION_CANDIDATES,
  REQUEST_CANDIDATES,
  STATUS_LABELS,
  type MetricMapping,
} from '../mapping';
import type { LatencyKind } from '../signals';
import { assertLabelName, assertMetricName, type Selector } from './selector';

/** Status values counted as errors: what signals.ts' isError accepts (5xx, Spring's SERVER_ERROR). */
export const ERROR_STATUS_REGEX = '5.*|SERVER_ERROR';

export const QUANTILES = [
  [0.5, 'p50Ms'],
  [0.95, 'p95Ms'],
  [0.99, 'p99Ms'],
] as const;

/** Prometheus duration string for a window, e.g. 60 → "60s". */
export function windowString(windowSeconds: number): string {
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) throw new RangeError(`window must be a positive number of seconds (got ${windowSeconds})`);
  const ms = Math.max(1, Math.round(windowSeconds * 1000));
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Checks every name a mapping may insert into a query; returns the mapping unchanged. */
export function validateMapping(m: MetricMapping): MetricMapping {
  for (const k of ['latency', 'requests', 'cacheHits', 'cacheMisses', 'cacheHitRatio', 'poolActive', 'poolIdle', 'poolSize', 'poolUtilization'] as const) {
    const v = m[k];
    if (v !== undefined && v !== '') assertMetricName(v, `pulse.metrics.${k}`);
  }
  for (const k of ['endpointLabel', 'methodLabel', 'statusLabel'] as const) {
    const v = m[k];
    if (v !== undefined && v !== '') assertLabelName(v, `pulse.metrics.${k}`);
  }
  return m;
}

/** Every metric name Pulse might use, for one `label/__name__/values` lookup. */
export function candidateNames(m: MetricMapping): string[] {
  const out = new Set<string>();
  const lat = m.latency ? [m.latency] : LATENCY_CANDIDATES;
  for (const n of lat) for (const s of ['', '_bucket', '_sum', '_count', '_p50', '_p95', '_p99', '_mean']) out.add(n + s);
  for (const n of m.requests ? [m.requests] : REQUEST_CANDIDATES) out.add(n);
  for (const [h, miss] of m.cacheHits && m.cacheMisses ? [[m.cacheHits, m.cacheMisses]] : CACHE_PAIRS) out.add(h).add(miss);
  for (const list of [
    m.cacheHitRatio ? [m.cacheHitRatio] : CACHE_RATIO_CANDIDATES,
    m.poolSize ? [m.poolSize] : POOL_SIZE_CANDIDATES,
    m.poolActive ? [m.poolActive] : POOL_ACTIVE_CANDIDATES,
    m.poolIdle ? [m.poolIdle] : POOL_IDLE_CANDIDATES,
    m.poolUtilization ? [m.poolUtilization] : POOL_UTILIZATION_CANDIDATES,
  ]) {
    for (const n of list) out.add(n);
  }
  for (const n of PROCESS_METRICS) out.add(n);
  return [...out];
}

const PROCESS_METRICS = ['process_cpu_seconds_total', 'system_cpu_percent', 'process_resident_memory_bytes', 'system_memory_mb', 'system_memory_percent'];

/** Unknown latency histograms: like signals.ts, any *_bucket whose name says it measures duration. */
const DURATION_NAME = /(duration|latency|response_time)/;

export interface LatencyChoice {
  metric: string;
  kind: LatencyKind;
  /** For kind 'gauge': which of <metric>_p50/_p95/_p99 exist, and the series holding the mean. */
  gaugeQuantiles?: Array<{ q: number; name: string }>;
  gaugeMean?: string[];
}

/** Which metrics exist, decided from names alone (labels come in a second step). */
export interface NameChoice {
  latency: LatencyChoice | null;
  /** Whether `<latency>` (plain) exists: a summary if its series carry `quantile`. */
  latencyPlainExists: boolean;
  requests: string | null;
  cachePairs: Array<readonly [string, string]>;
  cacheRatio: string | null;
  poolSize: string | null;
  poolActive: string | null;
  poolIdle: string | null;
  poolUtilization: string | null;
  cpuCounter: boolean;
  cpuGauge: boolean;
  rss: boolean;
  memoryMb: boolean;
  memoryPercent: boolean;
}

function first(names: ReadonlySet<string>, override: string | undefined, candidates: readonly string[]): string | null {
  for (const n of override ? [override] : candidates) if (names.has(n)) return n;
  return null;
}

/**
 * The latency metric as detectLatency picks it, except that telling a summary from a plain
 * gauge needs the labels of `<metric>`: `hasQuantile` answers that (called only when needed).
 */
export async function chooseLatency(names: ReadonlySet<string>, m: MetricMapping, hasQuantile: (metric: string) => Promise<boolean>): Promise<LatencyChoice | null> {
  const list = m.latency ? [m.latency] : LATENCY_CANDIDATES;
  for (const name of list) {
    if (names.has(`${name}_bucket`)) return { metric: name, kind: 'histogram' };
    if (names.has(name) && (await hasQuantile(name))) return { metric: name, kind: 'summary' };
    if (names.has(`${name}_sum`) && names.has(`${name}_count`)) return { metric: name, kind: 'mean' };
    const gq = QUANTILES.map(([q]) => ({ q, name: `${name}_p${Math.round(q * 100)}` })).filter((x) => names.has(x.name));
    if (names.has(name) || gq.length) {
      return { metric: name, kind: 'gauge', gaugeQuantiles: gq, gaugeMean: [name, `${name}_mean`].filter((n) => names.has(n)) };
    }
  }
  if (m.latency) return null;
  const unknown = [...names]
    .filter((n) => n.endsWith('_bucket') && DURATION_NAME.test(n.slice(0, -7)))
    .map((n) => n.slice(0, -7))
    .sort();
  return unknown.length ? { metric: unknown[0]!, kind: 'histogram' } : null;
}

export function chooseNames(names: ReadonlySet<string>, m: MetricMapping, latency: LatencyChoice | null): NameChoice {
  const pairs = (m.cacheHits && m.cacheMisses ? [[m.cacheHits, m.cacheMisses] as const] : CACHE_PAIRS).filter(([h, miss]) => names.has(h) && names.has(miss));
  return {
    latency,
    latencyPlainExists: latency ? names.has(latency.metric) : false,
    requests: first(names, m.requests, REQUEST_CANDIDATES),
    cachePairs: pairs,
    cacheRatio: first(names, m.cacheHitRatio, CACHE_RATIO_CANDIDATES),
    poolSize: first(names, m.poolSize, POOL_SIZE_CANDIDATES),
    poolActive: first(names, m.poolActive, POOL_ACTIVE_CANDIDATES),
    poolIdle: first(names, m.poolIdle, POOL_IDLE_CANDIDATES),
    poolUtilization: first(names, m.poolUtilization, POOL_UTILIZATION_CANDIDATES),
    cpuCounter: names.has('process_cpu_seconds_total'),
    cpuGauge: names.has('system_cpu_percent'),
    rss: names.has('process_resident_memory_bytes'),
    memoryMb: names.has('system_memory_mb'),
    memoryPercent: names.has('system_memory_percent'),
  };
}

/** Route / method / status label of a metric: the mapping's, else the first candidate it carries. */
export function pickLabels(labelNames: ReadonlySet<string>, m: MetricMapping): { route: string | null; method: string | null; status: string | null } {
  const pick = (override: string | undefined, candidates: readonly string[]): string | null => {
    if (override) return labelNames.has(override) ? override : null;
    return candidates.find((c) => labelNames.has(c)) ?? null;
  };
  return { route: pick(m.endpointLabel, ENDPOINT_LABELS), method: pick(m.methodLabel, METHOD_LABELS), status: pick(m.statusLabel, STATUS_LABELS) };
}

/** The full plan: names plus the labels to group and classify by. */
export interface Detection extends NameChoice {
  /** The metric whose rate is the request rate: the request counter or `<latency>_count`. */
  requestMetric: string | null;
  latencyLabels: { route: string | null; method: string | null };
  requestLabels: { route: string | null; method: string | null; status: string | null };
}

/** One named PromQL expression of a poll. */
export interface NamedQuery {
  id: string;
  expr: string;
  /** For per-endpoint results: the labels that identify the endpoint. */
  by?: { route: string; method: string | null };
}

/** Builds PromQL for one selector and window. */
export class QueryBuilder {
  readonly w: string;
  constructor(
    readonly selector: Selector,
    windowSeconds: number,
  ) {
    this.w = windowString(windowSeconds);
  }

  /** `name{<selector>[,extra]}` — extra matchers are built by Pulse, never from user text. */
  sel(name: string, extra?: string): string {
    return `${assertMetricName(name, 'metric')}{${this.selector.inner}${extra ? `,${extra}` : ''}}`;
  }

  /** `{<selector>}` for queries over every series of the service. */
  all(): string {
    return this.selector.text;
  }

  rate(name: string, extra?: string): string {
    return `rate(${this.sel(name, extra)}[${this.w}])`;
  }

  last(name: string, extra?: string): string {
    return `last_over_time(${this.sel(name, extra)}[${this.w}])`;
  }

  histogramQuantile(q: number, metric: string, by: readonly string[] = []): string {
    return `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (${this.rate(`${metric}_bucket`)}))`;
  }

  /** Mean latency: increase of _sum over increase of _count (the ratio of the rates). */
  mean(metric: string, by: readonly string[] = []): string {
    return `${sumBy(by)}(${this.rate(`${metric}_sum`)}) / ${sumBy(by)}(${this.rate(`${metric}_count`)})`;
  }

  summaryQuantiles(metric: string, by: readonly string[] = []): string {
    return `max by (${['quantile', ...by].join(', ')}) (${this.last(metric, 'quantile!=""')})`;
  }

  sumRate(name: string, by: readonly string[] = [], extra?: string): string {
    return `${sumBy(by)}(${this.rate(name, extra)})`;
  }

  /** Sum of the latest value of every series within the window (signals.ts' gaugeSum). */
  gaugeSum(name: string): string {
    return `sum(${this.last(name)})`;
  }

  gaugeMax(name: string): string {
    return `max(${this.last(name)})`;
  }

  errorMatcher(statusLabel: string): string {
    return `${assertLabelName(statusLabel, 'status label')}=~"${ERROR_STATUS_REGEX}"`;
  }

  cpuPercent(): string {
    return `${this.sumRate('process_cpu_seconds_total')} * 100`;
  }

  memoryMb(): string {
    return `${this.gaugeSum('process_resident_memory_bytes')} / 1048576`;
  }

  seriesCount(): string {
    return `count(${this.all()})`;
  }

  /** Every query of one poll, named by what it feeds. */
  plan(d: Detection): NamedQuery[] {
    const out: NamedQuery[] = [];
    const add = (id: string, expr: string, by?: { route: string; method: string | null }): void => {
      out.push(by ? { id, expr, by } : { id, expr });
    };
    const lat = d.latency;
    if (lat) {
      const ll = d.latencyLabels;
      const by = ll.route ? { route: ll.route, method: ll.method } : undefined;
      const byLabels = by ? [...(by.method ? [by.method] : []), by.route] : [];
      if (lat.kind === 'histogram') {
        for (const [q, field] of QUANTILES) {
          add(`latency.${field}`, this.histogramQuantile(q, lat.metric));
          if (by) add(`endpoint.latency.${field}`, this.histogramQuantile(q, lat.metric, byLabels), by);
        }
      }
      if (lat.kind === 'summary') {
        add('latency.summary', this.summaryQuantiles(lat.metric));
        if (by) add('endpoint.latency.summary', this.summaryQuantiles(lat.metric, byLabels), by);
      }
      if (lat.kind === 'gauge') {
        for (const g of lat.gaugeQuantiles ?? []) add(`latency.gauge.${g.q}`, this.gaugeMax(g.name));
        if (lat.gaugeMean?.length) add('latency.gauge.mean', `max(last_over_time({__name__=~"${lat.gaugeMean.map((n) => assertMetricName(n, 'metric')).join('|')}",${this.selector.inner}}[${this.w}]))`);
      }
      if (lat.kind !== 'gauge') {
        add('latency.mean', this.mean(lat.metric));
        if (by) add('endpoint.latency.mean', this.mean(lat.metric, byLabels), by);
      }
    }
    if (d.requestMetric) {
      const rl = d.requestLabels;
      const by = rl.route ? { route: rl.route, method: rl.method } : undefined;
      const byLabels = by ? [...(by.method ? [by.method] : []), by.route] : [];
      add('requests', this.sumRate(d.requestMetric));
      if (by) add('endpoint.requests', this.sumRate(d.requestMetric, byLabels), by);
      if (rl.status) {
        add('errors', this.sumRate(d.requestMetric, [], this.errorMatcher(rl.status)));
        if (by) add('endpoint.errors', this.sumRate(d.requestMetric, byLabels, this.errorMatcher(rl.status)), by);
      }
    }
    d.cachePairs.forEach(([h, miss], i) => {
      add(`cache.${i}.hits`, this.sumRate(h));
      add(`cache.${i}.misses`, this.sumRate(miss));
    });
    if (d.cacheRatio) add('cache.ratio', this.gaugeSum(d.cacheRatio));
    if (d.poolSize) add('pool.size', this.gaugeSum(d.poolSize));
    if (d.poolActive) add('pool.active', this.gaugeSum(d.poolActive));
    else if (d.poolIdle && d.poolSize) add('pool.idle', this.gaugeSum(d.poolIdle));
    if (d.poolUtilization) add('pool.utilization', this.gaugeSum(d.poolUtilization));
    if (d.cpuCounter) add('cpu', this.cpuPercent());
    if (d.cpuGauge) add('cpu.gauge', this.gaugeSum('system_cpu_percent'));
    if (d.rss) add('memory', this.memoryMb());
    if (d.memoryMb) add('memory.gauge', this.gaugeSum('system_memory_mb'));
    if (d.memoryPercent) add('memory.percent', this.gaugeSum('system_memory_percent'));
    add('series', this.seriesCount());
    return out;
  }
}

function sumBy(by: readonly string[]): string {
  return by.length ? `sum by (${by.join(', ')}) ` : 'sum';
}
