// A Prometheus server (or Thanos, Mimir, VictoriaMetrics…) as a signal source: the server
// already scrapes the service and holds its history, so Pulse asks it for the signals with
// PromQL instead of scraping and computing them itself. Same Signals as computeSignals.

import { latencyScaleToMs, type MetricMapping } from '../mapping';
import { ScrapeError } from '../scrape';
import type { PollResult, SignalSource } from '../source';
import { emptySignals, type EndpointSignals, type Labels, type Signals } from '../types';
import { HttpStatusError, PromClient, type BuildInfo, type InstantSample, type RangeSeries } from './client';
import { QUANTILES, QueryBuilder, candidateNames, chooseLatency, chooseNames, pickLabels, validateMapping, type Detection, type NamedQuery } from './queries';
import { parseSelector, type Selector } from './selector';

export interface PrometheusServerSourceOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:9090. */
  url: string;
  /** Label matchers of the service's series, e.g. {job="api"}. */
  selector: string;
  windowSeconds: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
  mapping?: MetricMapping;
  /** Most endpoints reported (slowest kept). */
  maxEndpoints?: number;
  /** How long a metric detection is trusted before it is redone (default 30 s). */
  redetectMs?: number;
  maxBytes?: number;
}

/** What identified the server (first successful poll). */
export interface ServerInfo {
  build: BuildInfo;
  /** Base URL queries go to. */
  url: string;
}

export class PrometheusServerSource implements SignalSource {
  readonly client: PromClient;
  /** Parsed selector, or the reason it was rejected (every poll then fails with it). */
  readonly selector: Selector | undefined;
  private readonly configError: ScrapeError | undefined;
  private readonly mapping: MetricMapping;
  private windowSeconds: number;
  /** Set after the first successful identification. */
  server: ServerInfo | undefined;
  /** The latest metric detection. */
  detection: Detection | undefined;
  private detectedAt = -Infinity;
  /** Queries of the latest poll (for details views). */
  lastQueries: NamedQuery[] = [];
  private inflight: Promise<PollResult> | undefined;

  constructor(private readonly opts: PrometheusServerSourceOptions) {
    this.client = new PromClient({
      url: opts.url,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
      ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    });
    this.windowSeconds = opts.windowSeconds;
    let selector: Selector | undefined;
    let error: ScrapeError | undefined;
    try {
      selector = parseSelector(opts.selector);
      this.mapping = validateMapping(opts.mapping ?? {});
    } catch (err) {
      error = err instanceof ScrapeError ? err : new ScrapeError('invalid-url', String((err as Error)?.message ?? err));
      this.mapping = {};
    }
    this.selector = selector;
    this.configError = error;
  }

  get url(): string {
    return this.opts.url;
  }

  /** Changes the window of the next polls. */
  setWindowSeconds(windowSeconds: number): void {
    this.windowSeconds = windowSeconds;
  }

  poll(): Promise<PollResult> {
    this.inflight ??= this.run().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Identifies the server via buildinfo; falls back to a trivial query for servers without it. */
  async identify(): Promise<ServerInfo> {
    if (this.server) return this.server;
    let build: BuildInfo;
    try {
      build = await this.client.buildInfo();
    } catch (err) {
      // Only "no such page" or "not JSON" lead to the fallback; auth and server errors stand.
      const missing = err instanceof HttpStatusError && (err.httpStatus === 404 || err.httpStatus === 405);
      if (!(err instanceof ScrapeError) || (!missing && err.kind !== 'not-metrics')) throw err;
      // Some Prometheus-API servers have no buildinfo (old Prometheus, some proxies): a query decides.
      try {
        const v = await this.client.queryVector('vector(1)');
        if (v.length !== 1 || v[0]!.v !== 1) throw err;
      } catch {
        throw err.kind === 'not-metrics' ? err : new ScrapeError('not-metrics', `not a Prometheus HTTP API: ${err.message}`);
      }
      build = { version: null, raw: {} };
    }
    this.server = { build, url: this.client.url };
    return this.server;
  }

  private async run(): Promise<PollResult> {
    if (this.configError || !this.selector) throw this.configError ?? new ScrapeError('invalid-url', 'no selector');
    const started = performance.now();
    try {
      await this.identify();
      const at = Date.now();
      const q = new QueryBuilder(this.selector, this.windowSeconds);
      const d = this.detection && at - this.detectedAt < (this.opts.redetectMs ?? 30_000) && (this.detection.latency || this.detection.requestMetric) ? this.detection : await this.detect(q, at);
      const plan = q.plan(d);
      this.lastQueries = plan;
      const results = new Map<string, InstantSample[]>();
      await Promise.all(plan.map(async (nq) => results.set(nq.id, await this.client.queryVector(nq.expr, at))));
      const signals = assemble(d, plan, results, at, this.windowSeconds, this.opts.maxEndpoints ?? 500);
      const series = results.get('series')?.[0]?.v;
      return { signals, at, durationMs: performance.now() - started, format: 'prometheus-server', seriesCount: Number.isFinite(series) ? series! : 0 };
    } catch (err) {
      // The server may have restarted as something else: identify again next time.
      if (err instanceof ScrapeError && (err.kind === 'refused' || err.kind === 'unreachable' || err.kind === 'not-metrics')) {
        this.server = undefined;
        this.detection = undefined;
      }
      throw err;
    }
  }

  /** Finds the metric names and labels the selector's series use. */
  async detect(q: QueryBuilder, at: number): Promise<Detection> {
    const m = this.mapping;
    const lookbackMs = Math.max(2 * this.windowSeconds * 1000, 5 * 60_000);
    const start = at - lookbackMs;
    const nameRe = [...candidateNames(m), '.*(duration|latency|response_time).*_(bucket|sum|count)'].join('|');
    const names = new Set(await this.client.labelValues('__name__', [`{__name__=~"${nameRe}",${q.selector.inner}}`], start, at));
    const labelCache = new Map<string, Promise<Set<string>>>();
    const labelsOf = (metric: string): Promise<Set<string>> => {
      let p = labelCache.get(metric);
      if (!p) labelCache.set(metric, (p = this.client.labelNames([q.sel(metric)], start, at).then((l) => new Set(l))));
      return p;
    };
    const latency = await chooseLatency(names, m, async (metric) => (await labelsOf(metric)).has('quantile'));
    const choice = chooseNames(names, m, latency);
    const requestMetric = choice.requests ?? (latency && names.has(`${latency.metric}_count`) ? `${latency.metric}_count` : null);
    const latencyLabelMetric = !latency
      ? null
      : latency.kind === 'histogram'
        ? `${latency.metric}_bucket`
        : latency.kind === 'summary'
          ? latency.metric
          : latency.kind === 'mean'
            ? `${latency.metric}_count`
            : null;
    const [ll, rl] = await Promise.all([latencyLabelMetric ? labelsOf(latencyLabelMetric) : new Set<string>(), requestMetric ? labelsOf(requestMetric) : new Set<string>()]);
    const latencyLabels = pickLabels(ll, m);
    const requestLabels = pickLabels(rl, m);
    const d: Detection = {
      ...choice,
      requestMetric,
      latencyLabels: { route: latencyLabels.route, method: latencyLabels.route ? latencyLabels.method : null },
      requestLabels: { route: requestLabels.route, method: requestLabels.route ? requestLabels.method : null, status: requestLabels.status },
    };
    this.detection = d;
    this.detectedAt = at;
    return d;
  }

  /** Range query for history backfill (issue 3); start/end in ms, step in seconds. */
  queryRange(expr: string, startMs: number, endMs: number, stepSeconds: number): Promise<RangeSeries[]> {
    return this.client.queryRange(expr, startMs, endMs, stepSeconds);
  }

  /** Nothing to release: connections belong to undici's global pool. */
  close(): void {}
}

interface EndpointAcc extends EndpointSignals {
  errors: number | null;
}

/** Turns the answers of one poll into Signals, the way computeSignals fills them. */
export function assemble(d: Detection, plan: readonly NamedQuery[], results: ReadonlyMap<string, InstantSample[]>, at: number, windowSeconds: number, maxEndpoints = 500): Signals {
  const out = emptySignals(at, windowSeconds);
  const one = (id: string): number | null => {
    const r = results.get(id);
    if (!r || !r.length) return null;
    let sum = 0;
    for (const s of r) sum += s.v;
    return sum;
  };
  const finite = (v: number | null, scale = 1): number | null => (v !== null && Number.isFinite(v) ? v * scale : null);
  const ratio = (v: number): number => (v > 1 ? v / 100 : v);

  const lat = d.latency;
  const scale = lat ? latencyScaleToMs(lat.metric) : 1000;
  if (lat) {
    out.latencySource = { metric: lat.metric, kind: lat.kind };
    if (lat.kind === 'histogram') for (const [, field] of QUANTILES) out[field] = finite(one(`latency.${field}`), scale);
    if (lat.kind === 'summary') {
      const qs = quantileMap(results.get('latency.summary') ?? []);
      for (const [q, field] of QUANTILES) out[field] = finite(qs.get(q) ?? null, scale);
    }
    if (lat.kind === 'gauge') {
      for (const g of lat.gaugeQuantiles ?? []) {
        const field = QUANTILES.find(([q]) => q === g.q)?.[1];
        if (field) out[field] = finite(one(`latency.gauge.${g.q}`), scale);
      }
      out.meanMs = finite(one('latency.gauge.mean'), scale);
    } else out.meanMs = finite(one('latency.mean'), scale);
  }

  out.requestRate = finite(one('requests'));
  if (d.requestLabels.status && out.requestRate !== null) {
    const errors = one('errors') ?? 0;
    out.errorRate = out.requestRate > 0 ? errors / out.requestRate : 0;
  }

  // Endpoints, keyed like signals.ts: "GET /api/v1/forecast" or the route alone.
  const groups = new Map<string, EndpointAcc>();
  const byId = new Map(plan.map((p) => [p.id, p]));
  const groupOf = (id: string, labels: Labels): EndpointAcc | undefined => {
    const by = byId.get(id)?.by;
    if (!by) return undefined;
    const route = labels[by.route];
    if (route === undefined || route === '') return undefined;
    const m = by.method ? labels[by.method] : undefined;
    const method = m ? m.toUpperCase() : null;
    const key = method ? `${method} ${route}` : route;
    let g = groups.get(key);
    if (!g) {
      g = { key, method, route, requestRate: null, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null, meanMs: null, errors: null };
      groups.set(key, g);
    }
    return g;
  };
  const maxInto = (g: EndpointAcc, field: 'p50Ms' | 'p95Ms' | 'p99Ms' | 'meanMs', v: number): void => {
    const x = finite(v, scale);
    if (x !== null) g[field] = g[field] === null ? x : Math.max(g[field]!, x);
  };
  const addInto = (g: EndpointAcc, field: 'requestRate' | 'errors', v: number): void => {
    if (Number.isFinite(v)) g[field] = (g[field] ?? 0) + v;
  };
  for (const [, field] of QUANTILES) for (const s of results.get(`endpoint.latency.${field}`) ?? []) {
    const g = groupOf(`endpoint.latency.${field}`, s.metric);
    if (g) maxInto(g, field, s.v);
  }
  for (const s of results.get('endpoint.latency.summary') ?? []) {
    const g = groupOf('endpoint.latency.summary', s.metric);
    const field = QUANTILES.find(([q]) => q === Number(s.metric.quantile))?.[1];
    if (g && field) maxInto(g, field, s.v);
  }
  for (const s of results.get('endpoint.latency.mean') ?? []) {
    const g = groupOf('endpoint.latency.mean', s.metric);
    if (g) maxInto(g, 'meanMs', s.v);
  }
  for (const s of results.get('endpoint.requests') ?? []) {
    const g = groupOf('endpoint.requests', s.metric);
    if (g) addInto(g, 'requestRate', s.v);
  }
  for (const s of results.get('endpoint.errors') ?? []) {
    const g = groupOf('endpoint.errors', s.metric);
    if (g) addInto(g, 'errors', s.v);
  }
  const endpoints: EndpointSignals[] = [];
  for (const g of groups.values()) {
    const { errors, ...e } = g;
    e.errorRate = d.requestLabels.status && e.requestRate !== null && e.requestRate > 0 ? (errors ?? 0) / e.requestRate : null;
    endpoints.push(e);
  }
  endpoints.sort((a, b) => (b.p95Ms ?? b.meanMs ?? -1) - (a.p95Ms ?? a.meanMs ?? -1) || a.key.localeCompare(b.key));
  out.endpoints = endpoints.slice(0, maxEndpoints);

  for (let i = 0; i < d.cachePairs.length; i++) {
    const hits = one(`cache.${i}.hits`);
    const misses = one(`cache.${i}.misses`);
    if (hits !== null && misses !== null && hits + misses > 0) {
      out.cacheHitRate = hits / (hits + misses);
      break;
    }
  }
  if (out.cacheHitRate === null) {
    const g = finite(one('cache.ratio'));
    if (g !== null) out.cacheHitRate = ratio(g);
  }

  const size = finite(one('pool.size'));
  let active = finite(one('pool.active'));
  if (active === null && size !== null) {
    const idle = finite(one('pool.idle'));
    if (idle !== null) active = size - idle;
  }
  out.poolSize = size;
  out.poolActive = active;
  if (size !== null && active !== null && size > 0) out.poolUtilization = active / size;
  else {
    const u = finite(one('pool.utilization'));
    if (u !== null) out.poolUtilization = ratio(u);
  }

  out.cpuPercent = finite(one('cpu')) ?? finite(one('cpu.gauge'));
  out.memoryMb = finite(one('memory')) ?? finite(one('memory.gauge'));
  out.memoryPercent = finite(one('memory.percent'));
  return out;
}

function quantileMap(samples: readonly InstantSample[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of samples) {
    const q = Number(s.metric.quantile);
    if (Number.isNaN(q) || Number.isNaN(s.v)) continue;
    m.set(q, Math.max(m.get(q) ?? -Infinity, s.v));
  }
  return m;
}
