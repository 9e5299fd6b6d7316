// Shapes host data into protocol messages. Pure (no vscode): unit-tested and benchmarked in Node.

import type { Signals, EndpointSignals } from '../core/types';
import { ruleLevel, type Evaluation } from '../core/health';
import type { MonitorState } from '../core/monitor';
import { MAX_ROUTES_PER_POINT, MAX_TABLE_ROWS, type EndpointRow, type PanelState, type Point, type Tiles } from './protocol';

const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export function pointFromSignals(s: Signals, t: number): Point {
  const routes: Point['routes'] = {};
  // The busiest routes get a per-route series; the table still lists every route.
  const busiest = s.endpoints.length > MAX_ROUTES_PER_POINT ? [...s.endpoints].sort((a, b) => (b.requestRate ?? 0) - (a.requestRate ?? 0)).slice(0, MAX_ROUTES_PER_POINT) : s.endpoints;
  for (const e of busiest) routes[e.key] = [num(e.p50Ms), num(e.p95Ms), num(e.p99Ms)];
  const heat = s.latencyHeat ? s.latencyHeat.counts.map((c) => (Number.isFinite(c) ? c : 0)) : null;
  return {
    t,
    p50: num(s.p50Ms),
    p95: num(s.p95Ms),
    p99: num(s.p99Ms),
    mean: num(s.meanMs),
    rps: num(s.requestRate),
    err: num(s.errorRate),
    status: s.statusRates ?? null,
    hit: num(s.cacheHitRate),
    poolActive: num(s.poolActive),
    poolSize: num(s.poolSize),
    pool: num(s.poolUtilization),
    cpu: num(s.cpuPercent),
    memMb: num(s.memoryMb),
    memPct: num(s.memoryPercent),
    routes,
    heat,
  };
}

export function heatBounds(s: Signals): (number | null)[] | null {
  return s.latencyHeat ? s.latencyHeat.boundsMs.map((b) => (Number.isFinite(b) ? b : null)) : null;
}

export function tableRows(endpoints: readonly EndpointSignals[]): { rows: EndpointRow[]; truncated: number } {
  const rows = endpoints.slice(0, MAX_TABLE_ROWS).map((e) => ({ key: e.key, rps: num(e.requestRate), err: num(e.errorRate), p50: num(e.p50Ms), p95: num(e.p95Ms), p99: num(e.p99Ms) }));
  return { rows, truncated: Math.max(0, endpoints.length - MAX_TABLE_ROWS) };
}

export function tiles(s: Signals, ev: Evaluation | undefined): Tiles {
  const level = (name: 'p95Ms' | 'errorRate' | 'cacheHitRate' | 'poolUtilization'): Tiles['levels']['p95'] => {
    const r = ev?.rules.find((x) => x.signal === name);
    if (!r) return 'unknown';
    // The indicator waits for the hold time; a tile shows the breach at once, as not yet held.
    return r.state === 'pending' && r.value !== null ? 'pending' : ruleLevel(r);
  };
  return {
    p95: num(s.p95Ms ?? s.meanMs),
    rps: num(s.requestRate),
    err: num(s.errorRate),
    hit: num(s.cacheHitRate),
    pool: num(s.poolUtilization),
    cpu: num(s.cpuPercent),
    memMb: num(s.memoryMb),
    levels: { p95: level('p95Ms'), err: level('errorRate'), hit: level('cacheHitRate'), pool: level('poolUtilization') },
  };
}

export function panelState(s: MonitorState | { kind: 'idle' }): PanelState {
  switch (s.kind) {
    case 'idle':
      return { kind: 'idle' };
    case 'connecting':
      return { kind: 'connecting', url: s.url };
    case 'noData':
      return { kind: 'noData', url: s.url, reason: s.reason };
    case 'down':
      return { kind: 'down', url: s.url, reason: s.reason, since: s.since };
    case 'ok':
      return { kind: 'live', url: s.url, lastScrape: s.last.at };
  }
}

/** What the dashboard cannot show, and what to do about it. */
export function notices(s: Signals, seriesCount: number, droppedSeries: number): string[] {
  const out: string[] = [];
  if (!s.latencySource) out.push('No latency histogram or summary found — set pulse.metrics.latency to the metric\'s base name.');
  else if (s.latencySource.kind !== 'histogram') out.push(`Latency comes from a ${s.latencySource.kind} (${s.latencySource.metric}), so there is no heatmap and per-route percentiles may be missing.`);
  if (s.requestRate === null) out.push('No request counter found (e.g. http_requests_total) — set pulse.metrics.requests.');
  else if (s.errorRate === null) out.push('Requests carry no status label, so the error rate is unknown — set pulse.metrics.statusLabel.');
  if (s.cacheHitRate === null) out.push('No cache metrics (cache_hits_total / cache_misses_total or a hit-ratio gauge) — set pulse.metrics.cacheHits / cacheMisses.');
  if (s.poolUtilization === null) out.push('No DB pool gauges (db_connection_pool_size with _active or _idle) — set pulse.metrics.poolSize / poolActive.');
  if (s.endpoints.length > MAX_TABLE_ROWS) out.push(`${s.endpoints.length} label combinations: the table shows the ${MAX_TABLE_ROWS} slowest.`);
  if (droppedSeries > 0) out.push(`The endpoint exposes more series than Pulse keeps (${seriesCount} kept, ${droppedSeries} dropped) — some metrics may be incomplete.`);
  return out;
}

/**
 * Columns of the seed monitor's CSV, then the other latency percentiles, then the file's schema
 * version (a column, not a comment line, so `pd.read_csv(file)` keeps working unchanged).
 */
export const CSV_COLUMNS = ['timestamp', 'cpu_percent', 'memory_percent', 'memory_mb', 'latency_p95_ms', 'request_rate', 'error_rate', 'db_pool_active', 'db_pool_size', 'cache_hit_rate', 'latency_p50_ms', 'latency_p99_ms', 'schema_version'] as const;
export const CSV_SCHEMA_VERSION = 1;

export function csvFromPoints(points: readonly Point[]): string {
  const cell = (v: number | null, digits: number) => (v === null ? '' : Number(v.toFixed(digits)).toString());
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of points) {
    lines.push(
      [
        new Date(p.t).toISOString(),
        cell(p.cpu, 2),
        cell(p.memPct, 2),
        cell(p.memMb, 1),
        cell(p.p95, 2),
        cell(p.rps, 3),
        cell(p.err, 5),
        cell(p.poolActive, 0),
        cell(p.poolSize, 0),
        // Percent, as the seed monitor's column (and run records' CSV) has it.
        cell(p.hit === null ? null : p.hit * 100, 2),
        cell(p.p50, 2),
        cell(p.p99, 2),
        CSV_SCHEMA_VERSION,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
