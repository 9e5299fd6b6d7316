// The one host ⇄ webview protocol of the dashboard, imported by both sides (src/dashboard on the
// host, webview/ in the browser). Types only: nothing here runs, so the webview bundle stays free
// of host code. The host is the source of truth; it posts nothing until the webview says `ready`,
// and re-sends `init` whenever the panel becomes visible again (it posts nothing while hidden).

/** One scrape tick of one connection. Rates per second, ratios as fractions 0–1, latency in ms. */
export interface Point {
  t: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
  rps: number | null;
  err: number | null;
  /** Request rate by status class (req/s); null when the service has no status label. */
  status: StatusRates | null;
  hit: number | null;
  poolActive: number | null;
  poolSize: number | null;
  pool: number | null;
  cpu: number | null;
  memMb: number | null;
  memPct: number | null;
  /** Per-route latency [p50, p95, p99] (ms) for the busiest routes (at most MAX_ROUTES_PER_POINT). */
  routes: Record<string, [number | null, number | null, number | null]>;
  /** Heatmap column: observations per bucket since the previous tick (not cumulative), aligned with `heatBounds`. */
  heat: number[] | null;
}

export interface StatusRates {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

export const MAX_ROUTES_PER_POINT = 50;
export const MAX_TABLE_ROWS = 200;

/** One row of the endpoint table (the current stats window, or a brushed range). */
export interface EndpointRow {
  key: string;
  rps: number | null;
  err: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Thresholds {
  p95Ms: number;
  errorRate: number;
  cacheHitRate: number;
  poolUtilization: number;
}

export interface ConnectionInfo {
  id: string;
  label: string;
  url: string;
  kind: string;
}

/** What the panel can show for the selected connection, and why not when it cannot. */
export type PanelState =
  | { kind: 'idle' }
  | { kind: 'connecting'; url: string }
  | { kind: 'noData'; url: string; reason: string }
  | { kind: 'down'; url: string; reason: string; since: number }
  | { kind: 'live'; url: string; lastScrape: number };

/** Headline values for the stat tiles (current stats window). */
export interface Tiles {
  p95: number | null;
  rps: number | null;
  err: number | null;
  hit: number | null;
  pool: number | null;
  cpu: number | null;
  memMb: number | null;
  /** Severity per tile from the status-bar evaluation; 'pending': past its target, not yet for the hold time. */
  levels: Record<'p95' | 'err' | 'hit' | 'pool', 'ok' | 'pending' | 'warning' | 'error' | 'unknown'>;
}

/** Things the dashboard cannot show, with what to do (e.g. "no histogram metric found — set pulse.metrics.latency"). */
export type Notice = string;

export interface InitMessage {
  type: 'init';
  connections: ConnectionInfo[];
  selected: string | null;
  thresholds: Thresholds;
  /** Stats window of tiles and table (pulse.window.seconds). */
  windowSeconds: number;
  intervalMs: number;
  /** All retained points of the selected connection, oldest first. */
  history: Point[];
  /** Upper bounds (ms) of the heatmap rows; the last may be Infinity (sent as null). */
  heatBounds: (number | null)[] | null;
  state: PanelState;
  tiles: Tiles | null;
  table: EndpointRow[];
  /** Rows left out of `table` (label explosion guard). */
  tableTruncated: number;
  notices: Notice[];
}

export interface TickMessage {
  type: 'tick';
  connection: string;
  /** Points since the last message (usually one): deltas, not whole series. */
  points: Point[];
  heatBounds?: (number | null)[] | null;
  state: PanelState;
  tiles: Tiles | null;
  table: EndpointRow[];
  tableTruncated: number;
  notices: Notice[];
}

export interface StateMessage {
  type: 'state';
  connection: string;
  state: PanelState;
  notices: Notice[];
}

/** Answer to a `rangeTable` request: endpoint stats over a brushed time range. */
export interface RangeTableMessage {
  type: 'rangeTable';
  requestId: number;
  from: number;
  to: number;
  rows: EndpointRow[];
  truncated: number;
}

export interface ExportedMessage {
  type: 'exported';
  requestId: number;
  path?: string;
  error?: string;
}

/** The host asks the webview for what it is displaying (tests compare it with host data). */
export interface DebugRequestMessage {
  type: 'debugRequest';
  requestId: number;
}

/** One second of a load test, on the same time axis as the service's points. */
export interface LoadSecondView {
  /** End of the second, ms since epoch. */
  t: number;
  sent: number;
  completed: number;
  errors: number;
  /** Target rate (open model) or connections (closed model) during this second. */
  target: number | null;
  /** Completed requests per second. */
  achieved: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** HTTP status code → responses in this second. */
  status: Record<string, number>;
}

export interface LoadRunView {
  id: string;
  name: string;
  startedAt: number;
  durationS: number;
  model: 'open' | 'closed';
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** Totals so far: requests, achieved rate, p95 (ms) and errors. */
  requests: number;
  rps: number;
  p95: number | null;
  errors: number;
}

/** The load test running (or last run) in this window; `seconds` are deltas after the first message of a run. */
export interface LoadTestMessage {
  type: 'loadTest';
  run: LoadRunView;
  seconds: LoadSecondView[];
  /** True when `seconds` replaces what the webview holds for this run (first message, re-init). */
  reset: boolean;
}

/** One recent slow line of a followed log file. */
export interface SlowRequestView {
  /** File name it came from. */
  source: string;
  method: string | null;
  path: string | null;
  durationMs: number | null;
  thresholdMs: number;
  status: number | null;
  /** Epoch ms: the line's timestamp, else when Pulse read it. */
  at: number;
}

/** Followed logs' recent slow requests (newest first); an empty `following` hides the list. */
export interface SlowRequestsMessage {
  type: 'slowRequests';
  following: string[];
  perMinute: number | null;
  items: SlowRequestView[];
}

export type HostMessage = InitMessage | TickMessage | StateMessage | RangeTableMessage | ExportedMessage | DebugRequestMessage | LoadTestMessage | SlowRequestsMessage;

export interface ReadyMessage {
  type: 'ready';
}
export interface SelectMessage {
  type: 'select';
  connection: string;
}
export interface RangeTableRequest {
  type: 'rangeTable';
  requestId: number;
  from: number;
  to: number;
}
export interface ExportCsvRequest {
  type: 'exportCsv';
  requestId: number;
  /** Visible range; omitted = everything retained. */
  from?: number;
  to?: number;
}
/** Time the webview took to apply one tick (ms), for the benchmark. */
export interface PerfMessage {
  type: 'perf';
  tickMs: number;
}
export interface DebugStateMessage {
  type: 'debugState';
  requestId: number;
  /** What the charts hold: series name → [timestamps, values] of the selected connection. */
  series: Record<string, { t: number[]; v: (number | null)[] }>;
  tableKeys: string[];
  tiles: Record<string, string>;
  paused: boolean;
  windowSeconds: number;
  /** Rows of the recent-slow-requests list, as shown. */
  slowRows: string[];
}

export type WebviewMessage = ReadyMessage | SelectMessage | RangeTableRequest | ExportCsvRequest | PerfMessage | DebugStateMessage;

/** Webview state kept across hide/reload (vscode.setState): small UI state only. */
export interface PersistedState {
  selected: string | null;
  /** Visible chart range: 60, 300, 900 or 3600 s. */
  viewSeconds: number;
  route: string | null;
  paused: boolean;
  sort: { column: keyof EndpointRow; descending: boolean };
}
