// Per-endpoint numbers from hits: what the CLI prints, the tree view lists and the hover compares.
//
// Population: p50/p95/max are over every request line of the endpoint that carries a duration,
// slow or not — "this line vs that endpoint's p95 in the file" needs the ordinary requests too.
// Where a log holds only slow lines (the application's "SLOW REQUEST" form), they are all there
// is, so the percentiles are those of the slow requests. `slow` counts the slow lines.

import { METHOD_NAMES } from './bytes';
import { ByteInterner } from './intern';
import { DurationSketch, type SketchState } from './sketch';
import type { LogHit } from './types';

export interface AggregatorOptions {
  /** Distinct endpoints kept; later ones are counted under one "(other endpoints)" entry. */
  maxEndpoints?: number;
  /** Slow hits kept per endpoint, newest first. */
  recentPerEndpoint?: number;
  /** Slow hits kept over all endpoints, newest first. */
  recent?: number;
  /** Minutes of per-minute slow counts kept (the newest). */
  minutes?: number;
  /** Arrival time for hits without a parseable timestamp (tests pass a fake clock). */
  now?: () => number;
}

export interface EndpointStats {
  /** "METHOD path", the grouping key; OTHER_ENDPOINTS for the overflow entry. */
  key: string;
  method: string | null;
  path: string | null;
  /** Request lines seen (with or without a duration). */
  requests: number;
  /** Slow lines. */
  slow: number;
  /** Over the endpoint's request lines that carry a duration; null when none does. */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** The endpoint's newest slow hits, newest first (bounded). */
  recentSlow: LogHit[];
}

export interface LogTotals {
  lines: number;
  bytes: number;
  longLines: number;
}

export interface LogSummary extends LogTotals {
  requests: number;
  slow: number;
  /** Most slow lines first, then highest p95. */
  endpoints: EndpointStats[];
  /** Newest first (bounded). */
  recentSlow: LogHit[];
  /** Ascending by minute (epoch ms of the minute's start). */
  slowPerMinute: { minute: number; slow: number }[];
}

export const OTHER_ENDPOINTS = '(other endpoints)';

/** An aggregator as plain data: what a worker thread scanning part of a file sends back. */
export interface AggregatorState {
  requests: number;
  slow: number;
  /** In first-seen order; recent hits newest first. */
  entries: { key: string; method: string | null; path: string | null; requests: number; slow: number; durations: SketchState; recent: LogHit[] }[];
  recent: LogHit[];
  perMinute: [number, number][];
}

interface Entry {
  method: string | null;
  path: string | null;
  requests: number;
  slow: number;
  durations: DurationSketch;
  recent: Recent<LogHit>;
}

export function endpointKey(method: string | null, path: string | null): string {
  return `${method ?? ''} ${path ?? ''}`.trim();
}

/** The newest `limit` items: a ring, so keeping the last 200 of a million hits costs O(1) each. */
class Recent<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    if (this.limit <= 0) return;
    if (this.items.length < this.limit) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.limit;
  }

  /** Newest first. */
  newestFirst(): T[] {
    const n = this.items.length;
    const out = new Array<T>(n);
    // The newest is just before `next` (once full; before that, the last pushed).
    const newest = n < this.limit ? n - 1 : (this.next - 1 + n) % n;
    for (let i = 0; i < n; i++) out[i] = this.items[(newest - i + n) % n]!;
    return out;
  }

  clear(): void {
    this.items.length = 0;
    this.next = 0;
  }
}

export class LogAggregator {
  requests = 0;
  slow = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly recent: Recent<LogHit>;
  private readonly perMinute = new Map<number, number>();
  private readonly opts: Required<AggregatorOptions>;
  private byBytes: ByteInterner<Entry> | undefined;

  constructor(options: AggregatorOptions = {}) {
    this.opts = { maxEndpoints: 5000, recentPerEndpoint: 50, recent: 200, minutes: 24 * 60, now: Date.now, ...options };
    this.recent = new Recent(this.opts.recent);
  }

  add(hit: LogHit): void {
    this.requests++;
    const e = this.entry(hit.method, hit.path);
    e.requests++;
    if (hit.durationMs !== null) e.durations.add(hit.durationMs);
    if (!hit.slow) return;
    this.slow++;
    e.slow++;
    e.recent.push(hit);
    this.recent.push(hit);
    const minute = Math.floor((hit.timestamp ?? this.opts.now()) / 60_000) * 60_000;
    this.perMinute.set(minute, (this.perMinute.get(minute) ?? 0) + 1);
    if (this.perMinute.size > this.opts.minutes * 2) this.pruneMinutes();
  }

  /**
   * A request line the scanner's byte fast path read (not slow): counted like add() would,
   * without a hit or a key string. method: bytes.ts id; path: buf[ps, pe) (ASCII); durationMs < 0: none.
   */
  addFast(method: number, buf: Buffer, ps: number, pe: number, durationMs: number): void {
    const byBytes = (this.byBytes ??= new ByteInterner<Entry>());
    let e = byBytes.get(method, buf, ps, pe);
    if (e === undefined) byBytes.set(method, buf, ps, pe, (e = this.entry(METHOD_NAMES[method] ?? null, buf.toString('latin1', ps, pe))));
    this.requests++;
    e.requests++;
    if (durationMs >= 0) e.durations.add(durationMs);
  }

  /** The stats of the endpoint a hit belongs to (the hover: "3.4× this endpoint's p95"). */
  endpointOf(hit: Pick<LogHit, 'method' | 'path'>): EndpointStats | undefined {
    const key = endpointKey(hit.method, hit.path);
    const e = this.entries.get(key) ?? this.entries.get(OTHER_ENDPOINTS);
    return e && stats(this.entries.has(key) ? key : OTHER_ENDPOINTS, e);
  }

  /** Slow lines stamped within the last `minutes` whole minutes before `now` (status-bar signal). */
  slowInLast(minutes: number, now = this.opts.now()): number {
    const from = Math.floor(now / 60_000) * 60_000 - (minutes - 1) * 60_000;
    let n = 0;
    for (const [m, c] of this.perMinute) if (m >= from && m <= now) n += c;
    return n;
  }

  /** The newest slow hits over all endpoints, newest first (without computing the summary). */
  recentSlow(): LogHit[] {
    return this.recent.newestFirst();
  }

  summary(totals: LogTotals = { lines: 0, bytes: 0, longLines: 0 }): LogSummary {
    const endpoints = [...this.entries].map(([k, e]) => stats(k, e));
    endpoints.sort((a, b) => b.slow - a.slow || (b.p95Ms ?? -1) - (a.p95Ms ?? -1) || a.key.localeCompare(b.key));
    return {
      lines: totals.lines,
      bytes: totals.bytes,
      longLines: totals.longLines,
      requests: this.requests,
      slow: this.slow,
      endpoints,
      recentSlow: this.recentSlow(),
      slowPerMinute: [...this.perMinute].sort((a, b) => a[0] - b[0]).map(([minute, slow]) => ({ minute, slow })),
    };
  }

  state(): AggregatorState {
    return {
      requests: this.requests,
      slow: this.slow,
      entries: [...this.entries].map(([key, e]) => ({ key, method: e.method, path: e.path, requests: e.requests, slow: e.slow, durations: e.durations.state(), recent: e.recent.newestFirst() })),
      recent: this.recent.newestFirst(),
      perMinute: [...this.perMinute],
    };
  }

  /**
   * Adds what another aggregator saw in the part of the file that follows this one's: its line
   * numbers start at `lineOffset` here. Same result as adding its hits one by one, but for which
   * endpoints overflow into OTHER_ENDPOINTS past maxEndpoints.
   */
  merge(s: AggregatorState, lineOffset: number): void {
    const shift = (h: LogHit): LogHit => ({ ...h, line: h.line + lineOffset });
    this.requests += s.requests;
    this.slow += s.slow;
    for (const o of s.entries) {
      const e = o.key === OTHER_ENDPOINTS ? this.other() : this.entry(o.method, o.path);
      e.requests += o.requests;
      e.slow += o.slow;
      e.durations.merge(o.durations);
      for (let i = o.recent.length - 1; i >= 0; i--) e.recent.push(shift(o.recent[i]!));
    }
    for (let i = s.recent.length - 1; i >= 0; i--) this.recent.push(shift(s.recent[i]!));
    for (const [m, n] of s.perMinute) this.perMinute.set(m, (this.perMinute.get(m) ?? 0) + n);
    if (this.perMinute.size > this.opts.minutes * 2) this.pruneMinutes();
  }

  clear(): void {
    this.requests = this.slow = 0;
    this.entries.clear();
    this.recent.clear();
    this.perMinute.clear();
    this.byBytes?.clear();
  }

  private entry(method: string | null, path: string | null): Entry {
    const key = endpointKey(method, path);
    let e = this.entries.get(key);
    if (e) return e;
    // Paths with ids in them (/users/123) must not grow memory without bound.
    if (this.entries.size >= this.opts.maxEndpoints) return this.other();
    return this.newEntry(key, method, path);
  }

  private other(): Entry {
    return this.entries.get(OTHER_ENDPOINTS) ?? this.newEntry(OTHER_ENDPOINTS, null, null);
  }

  private newEntry(key: string, method: string | null, path: string | null): Entry {
    const e: Entry = { method, path, requests: 0, slow: 0, durations: new DurationSketch(), recent: new Recent(this.opts.recentPerEndpoint) };
    this.entries.set(key, e);
    return e;
  }

  private pruneMinutes(): void {
    const keep = new Set([...this.perMinute.keys()].sort((a, b) => b - a).slice(0, this.opts.minutes));
    for (const m of this.perMinute.keys()) if (!keep.has(m)) this.perMinute.delete(m);
  }
}

function stats(key: string, e: Entry): EndpointStats {
  const d = e.durations;
  const q = (p: number) => (d.count ? d.quantile(p) : null);
  return { key, method: e.method, path: e.path, requests: e.requests, slow: e.slow, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: d.count ? d.max : null, recentSlow: e.recent.newestFirst() };
}

/** One summary from a list of hits (the editor: recompute after an edit from its per-line hits). */
export function summarizeHits(hits: Iterable<LogHit>, totals?: LogTotals, options?: AggregatorOptions): LogSummary {
  const a = new LogAggregator(options);
  for (const h of hits) a.add(h);
  return a.summary(totals);
}
