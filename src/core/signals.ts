// Headline signals over a window, computed from the store the way the matching PromQL would:
// histogram_quantile(q, sum by (le[, route]) (rate(X_bucket[w]))), sum(rate(requests[w])), …

import { histogramQuantile, type Bucket } from './quantile';
import type { Series, SeriesStore } from './store';
import { emptySignals, type EndpointSignals, type Labels, type Signals } from './types';
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
  latencyScaleToMs,
  type MetricMapping,
} from './mapping';

export interface SignalOptions {
  windowSeconds: number;
  mapping?: MetricMapping;
  /** Most endpoints reported (slowest kept); protects against label explosions. */
  maxEndpoints?: number;
  /** End of the window (ms); default the newest scrape. */
  endTime?: number;
}

export type LatencyKind = 'histogram' | 'summary' | 'mean' | 'gauge';

interface Ctx {
  store: SeriesStore;
  slots: number[];
  mapping: MetricMapping;
}

interface Group {
  byClass?: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  method: string | null;
  route: string;
  buckets: Map<number, number>;
  sum: number;
  count: number;
  requests: number;
  errors: number;
  hasStatus: boolean;
  spanMs: number;
  quantiles: Map<number, number>;
}

export function computeSignals(store: SeriesStore, opts: SignalOptions): Signals {
  const at = store.latestTime ?? Date.now();
  const out = emptySignals(at, opts.windowSeconds);
  if (!store.scrapes) return out;
  const ctx: Ctx = { store, slots: store.windowSlots(opts.windowSeconds * 1000, opts.endTime), mapping: opts.mapping ?? {} };
  const groups = new Map<string, Group>();
  const overall = newGroup(null, '');

  const latency = detectLatency(ctx);
  if (latency) {
    out.latencySource = latency;
    collectLatency(ctx, latency, overall, groups);
  }
  collectRequests(ctx, latency?.metric, overall, groups);

  const scale = latency ? latencyScaleToMs(latency.metric) : 1000;
  fillLatency(out, overall, latency?.kind, scale);
  out.requestRate = rateOf(overall.requests, overall.spanMs);
  if (overall.byClass && overall.spanMs > 0) {
    const sec = overall.spanMs / 1000;
    const c = overall.byClass;
    out.statusRates = { '2xx': c['2xx'] / sec, '3xx': c['3xx'] / sec, '4xx': c['4xx'] / sec, '5xx': c['5xx'] / sec };
  }
  if (latency?.kind === 'histogram') out.latencyHeat = heatColumn(ctx, latency.metric, scale);
  out.errorRate = overall.hasStatus && overall.requests > 0 ? overall.errors / overall.requests : overall.hasStatus && overall.spanMs > 0 ? 0 : null;

  const endpoints: EndpointSignals[] = [];
  for (const [key, g] of groups) {
    const e: EndpointSignals = {
      key,
      method: g.method,
      route: g.route,
      requestRate: rateOf(g.requests, g.spanMs),
      errorRate: g.hasStatus && g.requests > 0 ? g.errors / g.requests : null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      meanMs: null,
    };
    fillLatency(e, g, latency?.kind, scale);
    endpoints.push(e);
  }
  endpoints.sort((a, b) => (b.p95Ms ?? b.meanMs ?? -1) - (a.p95Ms ?? a.meanMs ?? -1) || a.key.localeCompare(b.key));
  out.endpoints = endpoints.slice(0, opts.maxEndpoints ?? 5000);

  fillCache(ctx, out);
  fillPool(ctx, out);
  fillProcess(ctx, out);
  return out;
}

function newGroup(method: string | null, route: string): Group {
  return { method, route, buckets: new Map(), sum: 0, count: 0, requests: 0, errors: 0, hasStatus: false, spanMs: 0, quantiles: new Map() };
}

function rateOf(n: number, spanMs: number): number | null {
  return spanMs > 0 ? n / (spanMs / 1000) : null;
}

function pickLabel(labels: Labels, preferred: string | undefined, candidates: readonly string[]): string | undefined {
  if (preferred) return labels[preferred];
  for (const c of candidates) {
    const v = labels[c];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Endpoint group of a series, or undefined when it carries no route label. */
function groupOf(ctx: Ctx, labels: Labels, groups: Map<string, Group>): Group | undefined {
  const route = pickLabel(labels, ctx.mapping.endpointLabel, ENDPOINT_LABELS);
  if (route === undefined) return undefined;
  const method = pickLabel(labels, ctx.mapping.methodLabel, METHOD_LABELS) ?? null;
  const key = method ? `${method.toUpperCase()} ${route}` : route;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = newGroup(method ? method.toUpperCase() : null, route)));
  return g;
}

function statusClass(ctx: Ctx, labels: Labels): '2xx' | '3xx' | '4xx' | '5xx' | undefined {
  const s = pickLabel(labels, ctx.mapping.statusLabel, STATUS_LABELS);
  if (s === undefined) return undefined;
  const c = s[0];
  if (c === '2' || c === '3' || c === '4' || c === '5') return `${c}xx`;
  if (s === 'SUCCESS') return '2xx';
  if (s === 'REDIRECTION') return '3xx';
  if (s === 'CLIENT_ERROR') return '4xx';
  if (s === 'SERVER_ERROR') return '5xx';
  return undefined;
}

function isError(ctx: Ctx, labels: Labels): boolean | undefined {
  const s = pickLabel(labels, ctx.mapping.statusLabel, STATUS_LABELS);
  if (s === undefined) return undefined;
  // Spring's `outcome` label says SERVER_ERROR rather than a code.
  return s.startsWith('5') || s === 'SERVER_ERROR';
}

export function detectLatency(ctx: { store: SeriesStore; mapping: MetricMapping }): { metric: string; kind: LatencyKind } | null {
  const { store } = ctx;
  const names = ctx.mapping.latency ? [ctx.mapping.latency] : LATENCY_CANDIDATES;
  for (const name of names) {
    if (store.hasMetric(`${name}_bucket`)) return { metric: name, kind: 'histogram' };
    const plain = store.seriesNamed(name);
    if (plain.some((s) => s.labels.quantile !== undefined)) return { metric: name, kind: 'summary' };
    if (store.hasMetric(`${name}_sum`) && store.hasMetric(`${name}_count`)) return { metric: name, kind: 'mean' };
    if (plain.length || ['p50', 'p95', 'p99', 'mean'].some((q) => store.hasMetric(`${name}_${q}`))) return { metric: name, kind: 'gauge' };
  }
  if (ctx.mapping.latency) return null;
  // Unknown names: any histogram whose name says it measures duration.
  for (const [name, fam] of store.families) {
    if ((fam.type === 'histogram' || fam.type === 'gaugehistogram') && /(duration|latency|response_time)/.test(name) && store.hasMetric(`${name}_bucket`)) {
      return { metric: name, kind: 'histogram' };
    }
  }
  return null;
}

function collectLatency(ctx: Ctx, latency: { metric: string; kind: LatencyKind }, overall: Group, groups: Map<string, Group>): void {
  const { store, slots } = ctx;
  const name = latency.metric;
  if (latency.kind === 'histogram') {
    for (const s of store.seriesNamed(`${name}_bucket`)) {
      const le = parseBound(s.labels.le);
      if (le === undefined) continue;
      const inc = store.increase(s, slots);
      if (!inc) continue;
      addBucket(overall.buckets, le, inc.delta);
      const g = groupOf(ctx, s.labels, groups);
      if (g) addBucket(g.buckets, le, inc.delta);
    }
  }
  if (latency.kind === 'summary') {
    for (const s of store.seriesNamed(name)) {
      const q = Number(s.labels.quantile);
      const v = store.latest(s, slots);
      if (Number.isNaN(q) || Number.isNaN(v)) continue;
      const g = groupOf(ctx, s.labels, groups) ?? overall;
      g.quantiles.set(q, Math.max(g.quantiles.get(q) ?? -Infinity, v));
      if (g !== overall) overall.quantiles.set(q, Math.max(overall.quantiles.get(q) ?? -Infinity, v));
    }
  }
  if (latency.kind === 'gauge') {
    // Ready-made percentiles (JSON endpoints) as gauges named <metric>_p50 etc.; a plain gauge is a mean.
    for (const [q, suffix] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
      for (const s of store.seriesNamed(`${name}_${suffix}`)) {
        const v = store.latest(s, slots);
        if (!Number.isNaN(v)) overall.quantiles.set(q, v);
      }
    }
    for (const s of [...store.seriesNamed(name), ...store.seriesNamed(`${name}_mean`)]) {
      const v = store.latest(s, slots);
      if (!Number.isNaN(v)) {
        overall.sum = v;
        overall.count = 1;
      }
    }
  }
  if (latency.kind !== 'gauge') {
    for (const [suffix, field] of [['_sum', 'sum'], ['_count', 'count']] as const) {
      for (const s of store.seriesNamed(name + suffix)) {
        const inc = store.increase(s, slots);
        if (!inc) continue;
        overall[field] += inc.delta;
        const g = groupOf(ctx, s.labels, groups);
        if (g) g[field] += inc.delta;
      }
    }
  }
}

function collectRequests(ctx: Ctx, latencyMetric: string | undefined, overall: Group, groups: Map<string, Group>): void {
  const { store, slots } = ctx;
  let series: readonly Series[] = [];
  const names = ctx.mapping.requests ? [ctx.mapping.requests] : REQUEST_CANDIDATES;
  for (const n of names) {
    series = store.seriesNamed(n);
    if (series.length) break;
  }
  // No request counter: the latency histogram's _count counts requests too.
  if (!series.length && latencyMetric) series = store.seriesNamed(`${latencyMetric}_count`);
  for (const s of series) {
    const inc = store.increase(s, slots);
    if (!inc) continue;
    const err = isError(ctx, s.labels);
    const cls = statusClass(ctx, s.labels);
    if (cls) (overall.byClass ??= { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 })[cls] += inc.delta;
    const g = groupOf(ctx, s.labels, groups);
    for (const target of g ? [overall, g] : [overall]) {
      target.requests += inc.delta;
      target.spanMs = Math.max(target.spanMs, inc.spanMs);
      if (err !== undefined) {
        target.hasStatus = true;
        if (err) target.errors += inc.delta;
      }
    }
  }
}

function addBucket(m: Map<number, number>, le: number, v: number): void {
  m.set(le, (m.get(le) ?? 0) + v);
}

function parseBound(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf' || le === 'Inf') return Infinity;
  const n = Number(le);
  return Number.isNaN(n) ? undefined : n;
}

function finite(v: number, scale: number): number | null {
  return Number.isFinite(v) ? v * scale : null;
}

function fillLatency(
  target: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; meanMs: number | null },
  g: Group,
  kind: LatencyKind | undefined,
  scale: number,
): void {
  if (kind === 'histogram' && g.buckets.size) {
    const buckets: Bucket[] = [...g.buckets].map(([upperBound, count]) => ({ upperBound, count }));
    target.p50Ms = finite(histogramQuantile(0.5, buckets), scale);
    target.p95Ms = finite(histogramQuantile(0.95, buckets), scale);
    target.p99Ms = finite(histogramQuantile(0.99, buckets), scale);
  } else if (kind === 'summary' || kind === 'gauge') {
    target.p50Ms = finite(g.quantiles.get(0.5) ?? NaN, scale);
    target.p95Ms = finite(g.quantiles.get(0.95) ?? NaN, scale);
    target.p99Ms = finite(g.quantiles.get(0.99) ?? NaN, scale);
  }
  if (g.count > 0) target.meanMs = finite(g.sum / g.count, scale);
}

function ratio(v: number): number {
  return v > 1 ? v / 100 : v;
}

/** Sum of the latest values of every series of the first candidate present. */
function gaugeSum(ctx: Ctx, names: readonly string[]): number | null {
  for (const n of names) {
    const series = ctx.store.seriesNamed(n);
    if (!series.length) continue;
    let sum = 0;
    let any = false;
    for (const s of series) {
      const v = ctx.store.latest(s, ctx.slots);
      if (Number.isNaN(v)) continue;
      sum += v;
      any = true;
    }
    if (any) return sum;
  }
  return null;
}

function counterIncrease(ctx: Ctx, name: string): number | null {
  let total: number | null = null;
  for (const s of ctx.store.seriesNamed(name)) {
    const inc = ctx.store.increase(s, ctx.slots);
    if (inc) total = (total ?? 0) + inc.delta;
  }
  return total;
}

function fillCache(ctx: Ctx, out: Signals): void {
  const m = ctx.mapping;
  const pairs = m.cacheHits && m.cacheMisses ? [[m.cacheHits, m.cacheMisses] as const] : CACHE_PAIRS;
  for (const [h, miss] of pairs) {
    if (!ctx.store.hasMetric(h) || !ctx.store.hasMetric(miss)) continue;
    const hits = counterIncrease(ctx, h);
    const misses = counterIncrease(ctx, miss);
    if (hits !== null && misses !== null && hits + misses > 0) {
      out.cacheHitRate = hits / (hits + misses);
      return;
    }
  }
  const g = gaugeSum(ctx, m.cacheHitRatio ? [m.cacheHitRatio] : CACHE_RATIO_CANDIDATES);
  if (g !== null) out.cacheHitRate = ratio(g);
}

function fillPool(ctx: Ctx, out: Signals): void {
  const m = ctx.mapping;
  const size = gaugeSum(ctx, m.poolSize ? [m.poolSize] : POOL_SIZE_CANDIDATES);
  let active = gaugeSum(ctx, m.poolActive ? [m.poolActive] : POOL_ACTIVE_CANDIDATES);
  if (active === null && size !== null) {
    const idle = gaugeSum(ctx, m.poolIdle ? [m.poolIdle] : POOL_IDLE_CANDIDATES);
    if (idle !== null) active = size - idle;
  }
  out.poolSize = size;
  out.poolActive = active;
  if (size !== null && active !== null && size > 0) out.poolUtilization = active / size;
  else {
    const u = gaugeSum(ctx, m.poolUtilization ? [m.poolUtilization] : POOL_UTILIZATION_CANDIDATES);
    if (u !== null) out.poolUtilization = ratio(u);
  }
}

function fillProcess(ctx: Ctx, out: Signals): void {
  const cpu = ctx.store.seriesNamed('process_cpu_seconds_total');
  let cpuRate: number | null = null;
  for (const s of cpu) {
    const inc = ctx.store.increase(s, ctx.slots);
    if (inc && inc.spanMs > 0) cpuRate = (cpuRate ?? 0) + (inc.delta / (inc.spanMs / 1000)) * 100;
  }
  out.cpuPercent = cpuRate ?? gaugeSum(ctx, ['system_cpu_percent']);
  const rss = gaugeSum(ctx, ['process_resident_memory_bytes']);
  out.memoryMb = rss !== null ? rss / 1048576 : gaugeSum(ctx, ['system_memory_mb']);
  out.memoryPercent = gaugeSum(ctx, ['system_memory_percent']);
}

/** Observations per bucket between the two newest scrapes: one heatmap column. */
function heatColumn(ctx: Ctx, metric: string, scale: number): { boundsMs: number[]; counts: number[] } | null {
  const n = ctx.slots.length;
  if (n < 2) return null;
  const last2 = [ctx.slots[n - 2]!, ctx.slots[n - 1]!];
  const cumulative = new Map<number, number>();
  for (const s of ctx.store.seriesNamed(`${metric}_bucket`)) {
    const le = parseBound(s.labels.le);
    if (le === undefined) continue;
    const inc = ctx.store.increase(s, last2);
    if (inc) addBucket(cumulative, le, inc.delta);
  }
  if (!cumulative.size) return null;
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  const counts: number[] = [];
  let prev = 0;
  for (const b of bounds) {
    const c = Math.max(prev, cumulative.get(b)!);
    counts.push(c - prev);
    prev = c;
  }
  return { boundsMs: bounds.map((b) => (b === Infinity ? Infinity : b * scale)), counts };
}
