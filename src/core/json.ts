// JSON stats endpoints. The common shape ({system, database, cache}) is recognized as-is;
// other shapes map dotted paths to signals through settings. Values land in the store under
// the metric names the signal code already knows, so one computation serves both kinds.

import type { ScrapeBatch } from './store';

export type JsonSignal =
  | 'p50Ms'
  | 'p95Ms'
  | 'p99Ms'
  | 'meanMs'
  | 'requestsTotal'
  | 'errorsTotal'
  | 'cacheHits'
  | 'cacheMisses'
  | 'cacheHitRate'
  | 'poolActive'
  | 'poolIdle'
  | 'poolSize'
  | 'poolUtilization'
  | 'cpuPercent'
  | 'memoryMb'
  | 'memoryPercent';

export type JsonPaths = Partial<Record<JsonSignal, string>>;

/** The shape our users' services return (see README). */
export const DEFAULT_JSON_PATHS: Required<Pick<JsonPaths, 'cacheHits' | 'cacheMisses' | 'cacheHitRate' | 'poolActive' | 'poolIdle' | 'poolSize' | 'poolUtilization' | 'cpuPercent' | 'memoryMb' | 'memoryPercent'>> = {
  cacheHits: 'cache.hits',
  cacheMisses: 'cache.misses',
  cacheHitRate: 'cache.hit_rate_percent',
  poolActive: 'database.pool_active',
  poolIdle: 'database.pool_available',
  poolSize: 'database.pool_size',
  poolUtilization: 'database.pool_utilization_percent',
  cpuPercent: 'system.cpu_percent',
  memoryMb: 'system.memory_mb',
  memoryPercent: 'system.memory_percent',
};

const METRIC_OF: Record<JsonSignal, string> = {
  p50Ms: 'pulse_json_latency_ms_p50',
  p95Ms: 'pulse_json_latency_ms_p95',
  p99Ms: 'pulse_json_latency_ms_p99',
  meanMs: 'pulse_json_latency_ms_mean',
  requestsTotal: 'http_requests_total',
  errorsTotal: 'pulse_json_errors_total',
  cacheHits: 'cache_hits_total',
  cacheMisses: 'cache_misses_total',
  cacheHitRate: 'cache_hit_rate',
  poolActive: 'db_connection_pool_active',
  poolIdle: 'db_connection_pool_idle',
  poolSize: 'db_connection_pool_size',
  poolUtilization: 'db_connection_pool_utilization',
  cpuPercent: 'system_cpu_percent',
  memoryMb: 'system_memory_mb',
  memoryPercent: 'system_memory_percent',
};

export class JsonShapeError extends Error {}

export function lookupPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Parses a JSON stats body into the batch. Throws JsonShapeError naming the problem when the
 * body is not JSON or no mapped path holds a number.
 */
export function ingestJson(body: string, batch: ScrapeBatch, custom: JsonPaths = {}): { matched: JsonSignal[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const snippet = body.slice(0, 40).replace(/\s+/g, ' ');
    throw new JsonShapeError(`not valid JSON (${(e as Error).message}); body starts with "${snippet}"`);
  }
  if (doc === null || typeof doc !== 'object') throw new JsonShapeError('JSON body is not an object');
  const paths: JsonPaths = { ...DEFAULT_JSON_PATHS, ...custom };
  const matched: JsonSignal[] = [];
  for (const [signal, path] of Object.entries(paths) as [JsonSignal, string][]) {
    if (!path) continue;
    const n = toNumber(lookupPath(doc, path));
    if (n === undefined) continue;
    // A latency mapping is a gauge family named after the quantile; errors become a 5xx series.
    if (signal === 'errorsTotal') batch.onSample('http_requests_total', 'status="5xx"', n, undefined);
    else batch.onSample(METRIC_OF[signal], '', n, undefined);
    matched.push(signal);
  }
  if (matched.includes('requestsTotal') && matched.includes('errorsTotal')) {
    // requestsTotal counts all requests; keep the non-error part under status="2xx".
    const idx = batch.names.findIndex((n, i) => n === 'http_requests_total' && batch.labelTexts[i] === '');
    const errIdx = batch.labelTexts.indexOf('status="5xx"');
    if (idx >= 0 && errIdx >= 0) {
      batch.labelTexts[idx] = 'status="2xx"';
      batch.values[idx] = Math.max(0, batch.values[idx]! - batch.values[errIdx]!);
    }
  }
  if (!matched.length) {
    const keys = Object.keys(doc as object).slice(0, 8).join(', ');
    throw new JsonShapeError(`JSON has no recognised metrics (top-level keys: ${keys || 'none'}); map paths with pulse.json.paths`);
  }
  return { matched };
}
