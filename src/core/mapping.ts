// Which metric feeds which signal. Common names are detected; every choice can be overridden.

export interface MetricMapping {
  /** Latency histogram/summary base name, e.g. http_request_duration_seconds. */
  latency?: string;
  /** Request counter, e.g. http_requests_total. */
  requests?: string;
  cacheHits?: string;
  cacheMisses?: string;
  /** A gauge holding the hit ratio (0–1, or percent when > 1). */
  cacheHitRatio?: string;
  poolActive?: string;
  poolIdle?: string;
  poolSize?: string;
  /** A gauge holding pool utilization (0–1, or percent when > 1). */
  poolUtilization?: string;
  endpointLabel?: string;
  methodLabel?: string;
  statusLabel?: string;
}

export const LATENCY_CANDIDATES = [
  'http_request_duration_seconds',
  'http_server_requests_seconds',
  'http_server_request_duration_seconds',
  'request_latency_seconds',
  'api_latency_seconds',
  'http_request_latency_seconds',
  'request_duration_seconds',
  'http_request_duration_ms',
  'http_request_duration_milliseconds',
  'pulse_json_latency_ms',
];

export const REQUEST_CANDIDATES = ['http_requests_total', 'http_server_requests_total', 'requests_total', 'api_requests_total'];

export const CACHE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['cache_hits_total', 'cache_misses_total'],
  ['redis_keyspace_hits_total', 'redis_keyspace_misses_total'],
  ['cache_hits', 'cache_misses'],
  ['cache_hit_total', 'cache_miss_total'],
];

export const CACHE_RATIO_CANDIDATES = ['cache_hit_ratio', 'cache_hit_rate', 'cache_hit_rate_percent'];

export const POOL_SIZE_CANDIDATES = [
  'db_connection_pool_size',
  'db_pool_size',
  'database_pool_size',
  'db_connections_max',
  'hikaricp_connections_max',
  'pg_pool_size',
];
export const POOL_ACTIVE_CANDIDATES = [
  'db_connection_pool_active',
  'db_connection_pool_in_use',
  'db_connection_pool_checked_out',
  'db_pool_active',
  'db_pool_in_use',
  'database_pool_active',
  'db_connections_active',
  'hikaricp_connections_active',
];
export const POOL_IDLE_CANDIDATES = ['db_connection_pool_idle', 'db_connection_pool_available', 'db_pool_idle', 'db_connections_idle', 'hikaricp_connections_idle'];
export const POOL_UTILIZATION_CANDIDATES = ['db_connection_pool_utilization', 'db_pool_utilization', 'db_pool_utilization_percent'];

export const ENDPOINT_LABELS = ['endpoint', 'route', 'handler', 'path', 'uri', 'url', 'http_route', 'http_target'];
export const METHOD_LABELS = ['method', 'http_method', 'verb', 'http_request_method'];
export const STATUS_LABELS = ['status', 'code', 'status_code', 'http_status', 'http_status_code', 'http_response_status_code', 'outcome'];

/** Latency unit of a metric from its name: Prometheus convention is seconds. */
export function latencyScaleToMs(name: string): number {
  return /_(ms|milliseconds)$/.test(name) ? 1 : 1000;
}
