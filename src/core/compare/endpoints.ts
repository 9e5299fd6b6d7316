// Per-endpoint rows of a comparison, for endpoints both runs have: the service's per-route
// percentiles (means over each run's timeline) and, for imported Locust runs, the runner's own
// per-endpoint rows. Endpoints only one run has are listed by name. No vscode import.

import type { RunRecord } from '../runs/record';
import { relChangePct } from './targets';

export interface EndpointStats {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Load-side rows only (Locust): requests per second and failure share. */
  rps: number | null;
  err: number | null;
}

export interface EndpointRow {
  key: string;
  /** 'service': means of the route's percentiles over the service timeline; 'load': the runner's per-endpoint row. */
  source: 'service' | 'load';
  baseline: EndpointStats;
  current: EndpointStats;
  changePct: { p50: number | null; p95: number | null; p99: number | null };
}

export interface EndpointComparison {
  rows: EndpointRow[];
  onlyBaseline: string[];
  onlyCurrent: string[];
}

function serviceRoutes(run: RunRecord): Map<string, EndpointStats> {
  const acc = new Map<string, { sums: [number, number, number]; ns: [number, number, number] }>();
  for (const p of run.serviceTimeline) {
    for (const [key, vals] of Object.entries(p.routes ?? {})) {
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { sums: [0, 0, 0], ns: [0, 0, 0] }));
      vals.forEach((v, i) => {
        if (v !== null && Number.isFinite(v)) {
          a!.sums[i]! += v;
          a!.ns[i]!++;
        }
      });
    }
  }
  const out = new Map<string, EndpointStats>();
  for (const [key, a] of acc) {
    const m = (i: 0 | 1 | 2) => (a.ns[i] ? a.sums[i] / a.ns[i] : null);
    out.set(key, { p50: m(0), p95: m(1), p99: m(2), rps: null, err: null });
  }
  return out;
}

function loadEndpoints(run: RunRecord): Map<string, EndpointStats> {
  const out = new Map<string, EndpointStats>();
  const eps = run.result && 'imported' in run.result ? run.result.imported.endpoints : undefined;
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  for (const e of eps ?? []) {
    out.set(`${e.method} ${e.name}`.trim(), { p50: fin(e.latencyMs.p50), p95: fin(e.latencyMs.p95), p99: fin(e.latencyMs.p99), rps: fin(e.rps), err: e.requests > 0 ? e.failures / e.requests : null });
  }
  return out;
}

export function compareEndpoints(baseline: RunRecord, current: RunRecord): EndpointComparison {
  const out: EndpointComparison = { rows: [], onlyBaseline: [], onlyCurrent: [] };
  for (const [source, get] of [['load', loadEndpoints], ['service', serviceRoutes]] as const) {
    const a = get(baseline);
    const b = get(current);
    for (const [key, sa] of a) {
      const sb = b.get(key);
      if (!sb) out.onlyBaseline.push(key);
      else out.rows.push({ key, source, baseline: sa, current: sb, changePct: { p50: relChangePct(sa.p50, sb.p50), p95: relChangePct(sa.p95, sb.p95), p99: relChangePct(sa.p99, sb.p99) } });
    }
    for (const key of b.keys()) if (!a.has(key)) out.onlyCurrent.push(key);
  }
  out.rows.sort((x, y) => (x.source === y.source ? x.key.localeCompare(y.key) : x.source === 'load' ? -1 : 1));
  return out;
}
