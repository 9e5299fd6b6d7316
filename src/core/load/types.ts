// Shapes shared by the load engine, request sources (.http files, scenarios), importers of
// external runners' results, run records, the CLI and the extension. No vscode import.

/** One kind of request in the mix. `path` is relative to the target; `{{name}}` templating applies. */
export interface RequestSpec {
  name?: string;
  method: string;
  /** Path (with query) on the target, e.g. /api/v1/forecast?city=Berlin, or an absolute URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Relative weight in the mix (default 1). */
  weight?: number;
}

/** Closed model: N connections each sending back to back. Open model: arrivals by the clock. */
export type LoadModel = { kind: 'closed'; connections: number } | { kind: 'open'; rate: number; maxConnections?: number };

/** A stage moves the target (connections or req/s) linearly to `target` over `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

export type ProfileKind = 'steady' | 'ramp' | 'spike' | 'soak' | 'stages';

export interface LoadConfig {
  /** Base URL of the service, e.g. http://127.0.0.1:8000 */
  target: string;
  requests: RequestSpec[];
  model: LoadModel;
  profile: ProfileKind;
  /** For profile 'stages' (and how the named profiles are expanded). */
  stages?: Stage[];
  durationMs: number;
  maxRequests?: number;
  /** Pause between a connection's requests (closed model). */
  thinkTimeMs?: number;
  timeoutMs?: number;
  /** Values for {{name}} templating, besides the built-ins ({{$randomInt}}, {{$uuid}}, {{$timestamp}}). */
  variables?: Record<string, string>;
}

export type ErrorKind = 'connect' | 'timeout' | 'reset' | 'http' | 'other';

export interface LatencySummaryMs {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  min: number;
}

/** One second of a run. */
export interface LoadSecond {
  /** Seconds since the run started. */
  t: number;
  sent: number;
  completed: number;
  errors: number;
  targetRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  status: Record<string, number>;
}

export interface LoadResult {
  requests: number;
  durationS: number;
  rps: number;
  /** Open model: measured from the intended send time (coordinated omission corrected). */
  latencyMs: LatencySummaryMs;
  /** Open model only: measured from the actual send time. */
  latencyMsUncorrected?: LatencySummaryMs;
  errors: Record<ErrorKind, number>;
  /** HTTP status code → count (all responses, including errors). */
  statusCodes: Record<string, number>;
  timeline: LoadSecond[];
  /** HDR histogram of latency in microseconds, compressed and base64-encoded (hdr-histogram-js). */
  histogram: string;
  /** Open model: arrivals still waiting for a free connection when the run ended (never sent). */
  unsent?: number;
  /** Why the run ended: duration, maxRequests, cancelled. */
  stoppedBy: 'duration' | 'maxRequests' | 'cancelled';
}
