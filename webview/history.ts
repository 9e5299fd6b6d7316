// The points the charts draw, held column by column (one array per series, all aligned with `t`)
// so each chart hands uPlot the same arrays every tick: appending is a push per series, trimming
// is one splice per series every few dozen points. Pure (no DOM), unit-tested.

import type { Point } from '../src/dashboard/protocol';
import { finite } from './format';

/** Point fields drawn as plain series; also the names debugState reports. */
export const SERIES = ['p50', 'p95', 'p99', 'mean', 'rps', 'err', 'hit', 'poolActive', 'poolSize', 'pool', 'cpu', 'memMb', 'memPct'] as const;
export type SeriesName = (typeof SERIES)[number];

export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export type Column = (number | null)[];

export interface RouteSeries {
  p50: Column;
  p95: Column;
  p99: Column;
  /** Time of the newest point with a value for this route (-Infinity: none yet). */
  lastValue: number;
}

/** Routes held at most; past it, the route quiet the longest makes room (label-explosion guard). */
export const MAX_ROUTES_HELD = 150;

export interface HistoryOptions {
  /** Points older than the newest minus this are dropped. */
  retentionMs: number;
  /** Drop expired points only once this many have piled up (amortizes the splice). */
  trimSlack?: number;
}

export class History {
  readonly t: number[] = [];
  readonly series: Record<SeriesName, Column>;
  /** Request rate per status class, as received. */
  readonly status: Record<StatusClass, Column>;
  /** Status classes stacked bottom-up: [2xx, 2xx+3xx, 2xx+3xx+4xx, all]. */
  readonly stacked: [Column, Column, Column, Column] = [[], [], [], []];
  readonly routes = new Map<string, RouteSeries>();
  /** Heatmap column per point (observations per bucket since the previous point), or null. */
  readonly heat: (number[] | null)[] = [];
  retentionMs: number;
  private readonly trimSlack: number;
  /** Newest time with a non-null value, per series / status / heat (for "no data" explanations). */
  private readonly lastValue = new Map<string, number>();

  constructor(opts: HistoryOptions) {
    this.retentionMs = opts.retentionMs;
    this.trimSlack = opts.trimSlack ?? 32;
    this.series = Object.fromEntries(SERIES.map((n) => [n, []])) as unknown as Record<SeriesName, Column>;
    this.status = Object.fromEntries(STATUS_CLASSES.map((n) => [n, []])) as unknown as Record<StatusClass, Column>;
  }

  get length(): number {
    return this.t.length;
  }

  get first(): number | undefined {
    return this.t[0];
  }

  get last(): number | undefined {
    return this.t[this.t.length - 1];
  }

  clear(): void {
    this.t.length = 0;
    for (const n of SERIES) this.series[n].length = 0;
    for (const c of STATUS_CLASSES) this.status[c].length = 0;
    for (const s of this.stacked) s.length = 0;
    this.heat.length = 0;
    this.routes.clear();
    this.lastValue.clear();
  }

  /**
   * Appends points (oldest first). Points not newer than the last one held are skipped, so
   * x stays strictly increasing whatever arrives. Returns how many were appended.
   */
  append(points: readonly Point[]): number {
    let added = 0;
    for (const p of points) {
      const t = finite(p?.t);
      if (t === null) continue;
      const lastT = this.last;
      if (lastT !== undefined && t <= lastT) continue;
      this.push(t, p);
      added++;
    }
    if (added) this.trim();
    return added;
  }

  private push(t: number, p: Point): void {
    const n = this.t.length;
    this.t.push(t);
    for (const name of SERIES) this.pushValue(name, this.series[name], p[name], t);

    const st = p.status && typeof p.status === 'object' ? p.status : null;
    let sum = 0;
    for (let i = 0; i < STATUS_CLASSES.length; i++) {
      const c = STATUS_CLASSES[i]!;
      const v = st ? finite(st[c]) : null;
      this.pushValue(`status:${c}`, this.status[c], v, t);
      if (v !== null) sum += v;
      this.stacked[i as 0 | 1 | 2 | 3].push(st ? sum : null);
    }

    const heat = Array.isArray(p.heat) ? p.heat.map((c) => finite(c) ?? 0) : null;
    this.heat.push(heat);
    if (heat) this.lastValue.set('heat', t);

    const seen = p.routes && typeof p.routes === 'object' ? p.routes : {};
    for (const key in seen) {
      const q = seen[key];
      if (!Array.isArray(q) || this.routes.has(key)) continue;
      if (this.routes.size >= MAX_ROUTES_HELD) this.evictQuietestRoute();
      this.routes.set(key, { p50: new Array<number | null>(n).fill(null), p95: new Array<number | null>(n).fill(null), p99: new Array<number | null>(n).fill(null), lastValue: -Infinity });
    }
    for (const [key, r] of this.routes) {
      const q = seen[key];
      const p50 = Array.isArray(q) ? finite(q[0]) : null;
      const p95 = Array.isArray(q) ? finite(q[1]) : null;
      const p99 = Array.isArray(q) ? finite(q[2]) : null;
      r.p50.push(p50);
      r.p95.push(p95);
      r.p99.push(p99);
      if (p50 !== null || p95 !== null || p99 !== null) r.lastValue = t;
    }
  }

  private evictQuietestRoute(): void {
    let quietest: string | undefined;
    let oldest = Infinity;
    for (const [key, r] of this.routes) if (r.lastValue < oldest) [quietest, oldest] = [key, r.lastValue];
    if (quietest !== undefined) this.routes.delete(quietest);
  }

  private pushValue(name: string, col: Column, raw: unknown, t: number): void {
    const v = finite(raw);
    col.push(v);
    if (v !== null) this.lastValue.set(name, t);
  }

  /** Drops points older than the retention once enough have expired; returns how many went. */
  trim(force = false): number {
    const lastT = this.last;
    if (lastT === undefined) return 0;
    const cutoff = lastT - this.retentionMs;
    const t = this.t;
    if (t[0]! >= cutoff) return 0;
    const k = lowerBound(t, cutoff);
    if (!force && k < this.trimSlack) return 0;
    t.splice(0, k);
    for (const n of SERIES) this.series[n].splice(0, k);
    for (const c of STATUS_CLASSES) this.status[c].splice(0, k);
    for (const s of this.stacked) s.splice(0, k);
    this.heat.splice(0, k);
    const first = t[0] ?? Infinity;
    for (const [key, r] of this.routes) {
      if (r.lastValue < first) this.routes.delete(key);
      else {
        r.p50.splice(0, k);
        r.p95.splice(0, k);
        r.p99.splice(0, k);
      }
    }
    return k;
  }

  /** Whether any held point has a value for this series ('status:2xx', 'heat' and 'route:<key>' too). */
  hasData(name: string): boolean {
    const first = this.first;
    if (first === undefined) return false;
    if (name.startsWith('route:')) return (this.routes.get(name.slice(6))?.lastValue ?? -Infinity) >= first;
    return (this.lastValue.get(name) ?? -Infinity) >= first;
  }

  /** Route keys, those with the most recent values first, then by name. */
  routeKeys(): string[] {
    return [...this.routes.entries()].sort((a, b) => b[1].lastValue - a[1].lastValue || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k]) => k);
  }

  /** Index of the first point at or after `t` (length if none). */
  indexAtOrAfter(t: number): number {
    return lowerBound(this.t, t);
  }

  /** Every series held, by the names the host's Point uses (see DebugStateMessage). */
  debugSeries(): Record<string, { t: number[]; v: (number | null)[] }> {
    const t = this.t.slice();
    const out: Record<string, { t: number[]; v: (number | null)[] }> = {};
    for (const n of SERIES) out[n] = { t, v: this.series[n].slice() };
    for (const c of STATUS_CLASSES) out[`status:${c}`] = { t, v: this.status[c].slice() };
    for (const [key, r] of this.routes) {
      out[`route:${key}:p50`] = { t, v: r.p50.slice() };
      out[`route:${key}:p95`] = { t, v: r.p95.slice() };
      out[`route:${key}:p99`] = { t, v: r.p99.slice() };
    }
    return out;
  }
}

/** First index i with a[i] >= x in an ascending array. */
export function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
