// Shared shapes of the core. No `vscode` import anywhere under src/core.

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped'
  | 'unknown';

export interface FamilyInfo {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
}

/**
 * What the exposition parser reports. Labels come as the raw text between the braces
 * (escapes kept, e.g. `method="GET",le="0.1"`), so consumers can key series by
 * `name + '{' + labelText + '}'` and decode labels only once per new series.
 */
export interface ExpositionVisitor {
  onFamily?(family: FamilyInfo): void;
  onSample(name: string, labelText: string, value: number, timestampMs: number | undefined): void;
}

export type Labels = Record<string, string>;

/** Headline signals over a window. Rates are per second; ratios are fractions 0–1; null = not exposed. */
export interface EndpointSignals {
  /** e.g. "GET /api/v1/forecast", or just the route when there is no method label. */
  key: string;
  method: string | null;
  route: string;
  requestRate: number | null;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
}

export interface Signals {
  /** Time of the newest sample used, ms since epoch. */
  at: number;
  windowSeconds: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  /** Which metric the latency came from, and how (for details / explanations). */
  latencySource: { metric: string; kind: 'histogram' | 'summary' | 'mean' | 'gauge' } | null;
  requestRate: number | null;
  errorRate: number | null;
  cacheHitRate: number | null;
  poolUtilization: number | null;
  poolActive: number | null;
  poolSize: number | null;
  cpuPercent: number | null;
  memoryMb: number | null;
  memoryPercent: number | null;
  endpoints: EndpointSignals[];
  /** Request rate by status class over the window; absent when no status label. */
  statusRates?: { '2xx': number; '3xx': number; '4xx': number; '5xx': number } | null;
  /** Latency histogram observations since the previous scrape, per bucket (not cumulative). */
  latencyHeat?: { boundsMs: number[]; counts: number[] } | null;
}

export function emptySignals(at: number, windowSeconds: number): Signals {
  return {
    at,
    windowSeconds,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    meanMs: null,
    latencySource: null,
    requestRate: null,
    errorRate: null,
    cacheHitRate: null,
    poolUtilization: null,
    poolActive: null,
    poolSize: null,
    cpuPercent: null,
    memoryMb: null,
    memoryPercent: null,
    endpoints: [],
  };
}
