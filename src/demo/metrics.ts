// Prometheus metrics of the demo service, in both exposition formats.
//
// Why two registries with two sets of metric objects: prom-client's OpenMetrics
// rendering renames counter objects in place (strips "_total" from metric.name),
// so one counter shared by a Prometheus and an OpenMetrics registry would lose
// its "_total" in the Prometheus output after the first OpenMetrics scrape.
// Separate objects make concurrent scrapes of both formats safe.

import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  Summary,
  collectDefaultMetrics,
  type OpenMetricsContentType,
  type PrometheusContentType,
} from 'prom-client';

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Read at scrape time so gauges always show the current state. */
export interface LiveState {
  poolSize(): number;
  poolActive(): number;
  poolIdle(): number;
  poolWaiting(): number;
  inProgress(): number;
}

type RequestLabel = 'method' | 'endpoint' | 'status';

class MetricSet {
  readonly duration: Histogram<RequestLabel>;
  readonly requests: Counter<RequestLabel>;
  readonly latency: Summary<'endpoint'>;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;

  constructor(registry: Registry<PrometheusContentType> | Registry<OpenMetricsContentType>, live: LiveState) {
    const registers = [registry];
    const labelNames = ['method', 'endpoint', 'status'] as const;
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.requests = new Counter({ name: 'http_requests_total', help: 'Total HTTP requests', labelNames, registers });
    this.latency = new Summary({
      name: 'request_latency_seconds',
      help: 'Request latency in seconds (sliding 60 s window)',
      labelNames: ['endpoint'] as const,
      percentiles: [0.5, 0.9, 0.95, 0.99],
      maxAgeSeconds: 60,
      ageBuckets: 6,
      registers,
    });
    this.cacheHits = new Counter({ name: 'cache_hits_total', help: 'Cache hits', registers });
    this.cacheMisses = new Counter({ name: 'cache_misses_total', help: 'Cache misses', registers });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    };
    gauge('db_connection_pool_size', 'Configured size of the DB connection pool', () => live.poolSize());
    gauge('db_connection_pool_active', 'DB connections currently checked out', () => live.poolActive());
    gauge('db_connection_pool_idle', 'DB connections currently idle', () => live.poolIdle());
    gauge('db_connection_pool_waiting', 'Requests waiting for a DB connection', () => live.poolWaiting());
    gauge('http_requests_in_progress', 'HTTP requests currently being served', () => live.inProgress());
  }
}

export interface Exposition {
  contentType: string;
  body: string;
}

/**
 * True when the Accept header lists application/openmetrics-text with q > 0
 * (Prometheus itself sends it first, with text/plain as a fallback).
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export class DemoMetrics {
  private readonly prometheus = new Registry<PrometheusContentType>();
  private readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly sets: MetricSet[];

  constructor(live: LiveState) {
    // (prom-client's typings omit the constructor argument, hence setContentType.)
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    // process_cpu_seconds_total, process_resident_memory_bytes, nodejs_* ...
    collectDefaultMetrics({ register: this.prometheus });
    collectDefaultMetrics({ register: this.openMetrics });
    this.sets = [new MetricSet(this.prometheus, live), new MetricSet(this.openMetrics, live)];
  }

  observeRequest(method: string, endpoint: string, status: number, seconds: number): void {
    const labels = { method, endpoint, status: String(status) };
    for (const s of this.sets) {
      s.duration.observe(labels, seconds);
      s.requests.inc(labels);
      s.latency.observe({ endpoint }, seconds);
    }
  }

  cacheLookup(hit: boolean): void {
    for (const s of this.sets) (hit ? s.cacheHits : s.cacheMisses).inc();
  }

  async render(accept: string | undefined): Promise<Exposition> {
    const registry = wantsOpenMetrics(accept) ? this.openMetrics : this.prometheus;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}
