import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSignals } from '../../src/core/signals';
import { histogramQuantile } from '../../src/core/quantile';
import { SeriesStore } from '../../src/core/store';
import { batchOf, histogramRows, storeWith, type Row } from './helpers';

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, Infinity];
const H = 'http_request_duration_seconds';

function scrape(t: number, fc: number[], chat: number[], reqs: { f2: number; f5: number; c2: number }, extra: Row[] = []) {
  const rows: Row[] = [
    ...histogramRows(H, 'method="GET",endpoint="/api/v1/forecast"', BOUNDS, fc, 0.04 * fc[5]!),
    ...histogramRows(H, 'method="POST",endpoint="/api/v1/chat"', BOUNDS, chat, 0.6 * chat[5]!),
    ['http_requests_total', 'method="GET",endpoint="/api/v1/forecast",status="200"', reqs.f2],
    ['http_requests_total', 'method="GET",endpoint="/api/v1/forecast",status="500"', reqs.f5],
    ['http_requests_total', 'method="POST",endpoint="/api/v1/chat",status="200"', reqs.c2],
    ...extra,
  ];
  return { t, rows };
}

test('percentiles come from bucket increases over the window, overall and per endpoint', () => {
  const store = storeWith([
    scrape(0, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], { f2: 0, f5: 0, c2: 0 }),
    // Outside a 10 s window once the last scrape is at 20 s: ignored for rates.
    scrape(5000, [100, 100, 100, 100, 100, 100], [0, 0, 0, 0, 0, 0], { f2: 100, f5: 0, c2: 0 }),
    scrape(10_000, [150, 180, 190, 195, 200, 200], [0, 0, 10, 40, 80, 100], { f2: 198, f5: 2, c2: 100 }),
    scrape(20_000, [250, 320, 370, 390, 400, 400], [0, 0, 20, 80, 160, 200], { f2: 396, f5: 4, c2: 200 }),
  ]);
  const s = computeSignals(store, { windowSeconds: 10 });
  // Window holds scrapes at 10 s and 20 s: increases are the differences.
  const fIncr = [100, 140, 180, 195, 200, 200];
  const cIncr = [0, 0, 10, 40, 80, 100];
  const overall = BOUNDS.map((upperBound, i) => ({ upperBound, count: fIncr[i]! + cIncr[i]! }));
  assert.ok(Math.abs(s.p95Ms! - histogramQuantile(0.95, overall) * 1000) < 1e-9);
  assert.ok(Math.abs(s.p50Ms! - histogramQuantile(0.5, overall) * 1000) < 1e-9);
  assert.equal(s.latencySource?.metric, H);
  // requests: (396+4+200) - (198+2+100) = 300 over 10 s
  assert.ok(Math.abs(s.requestRate! - 30) < 1e-9);
  assert.ok(Math.abs(s.errorRate! - 2 / 300) < 1e-12);
  const chat = s.endpoints.find((e) => e.key === 'POST /api/v1/chat')!;
  assert.ok(chat, 'per-endpoint entry keyed by method and route');
  const chatBuckets = BOUNDS.map((upperBound, i) => ({ upperBound, count: cIncr[i]! }));
  assert.ok(Math.abs(chat.p95Ms! - histogramQuantile(0.95, chatBuckets) * 1000) < 1e-9);
  assert.ok(Math.abs(chat.requestRate! - 10) < 1e-9);
  assert.equal(chat.errorRate, 0);
  // Slowest first.
  assert.equal(s.endpoints[0]!.key, 'POST /api/v1/chat');
  const forecast = s.endpoints.find((e) => e.key === 'GET /api/v1/forecast')!;
  assert.ok(Math.abs(forecast.errorRate! - 2 / 200) < 1e-12);
  assert.ok(Math.abs(forecast.meanMs! - 40) < 1e-9);
});

test('cache hit-rate from counter increases, pool utilization from gauges, cpu and memory', () => {
  const rows = (t: number, hits: number, misses: number, active: number): { t: number; rows: Row[] } => ({
    t,
    rows: [
      ['cache_hits_total', 'cache="forecast"', hits],
      ['cache_misses_total', 'cache="forecast"', misses],
      ['db_connection_pool_size', '', 13],
      ['db_connection_pool_active', '', active],
      ['process_cpu_seconds_total', '', t / 1000 / 4],
      ['process_resident_memory_bytes', '', 256 * 1048576],
    ],
  });
  // Cold start: 15 % in the first minute, then 75 % — the window sees only the recent part.
  const s = computeSignals(storeWith([rows(0, 0, 0, 1), rows(60_000, 15, 85, 2), rows(120_000, 90, 110, 5)]), { windowSeconds: 60 });
  assert.ok(Math.abs(s.cacheHitRate! - 0.75) < 1e-12);
  assert.ok(Math.abs(s.poolUtilization! - 5 / 13) < 1e-12);
  assert.equal(s.poolActive, 5);
  assert.ok(Math.abs(s.cpuPercent! - 25) < 1e-9);
  assert.equal(s.memoryMb, 256);
});

test('pool active derived from idle, redis keyspace counters, summary quantiles', () => {
  const mk = (t: number, h: number, m: number): { t: number; rows: Row[] } => ({
    t,
    rows: [
      ['db_connection_pool_size', '', 10],
      ['db_connection_pool_idle', '', 4],
      ['redis_keyspace_hits_total', '', h],
      ['redis_keyspace_misses_total', '', m],
      ['request_latency_seconds', 'quantile="0.5"', 0.02],
      ['request_latency_seconds', 'quantile="0.95"', 0.18],
      ['request_latency_seconds', 'quantile="0.99"', 0.4],
      ['request_latency_seconds_sum', '', t / 100],
      ['request_latency_seconds_count', '', t / 10],
    ],
  });
  const s = computeSignals(storeWith([mk(1000, 10, 10), mk(2000, 19, 11)]), { windowSeconds: 60 });
  assert.ok(Math.abs(s.poolUtilization! - 0.6) < 1e-12);
  assert.ok(Math.abs(s.cacheHitRate! - 0.9) < 1e-12);
  assert.equal(s.latencySource?.kind, 'summary');
  assert.equal(s.p95Ms, 180);
  assert.equal(s.p99Ms, 400);
  assert.ok(Math.abs(s.meanMs! - 100) < 1e-9);
  // No request counter: the summary's _count gives the rate (100 per 1 s).
  assert.ok(Math.abs(s.requestRate! - 100) < 1e-9);
});

test('mapping overrides detection; unknown metrics give nulls, not zeros', () => {
  const mk = (t: number, v: number): { t: number; rows: Row[] } => ({ t, rows: [['my_hits', '', v], ['my_misses', '', v], ['weird_gauge', '', 1]] });
  const store = storeWith([mk(0, 0), mk(1000, 10)]);
  const plain = computeSignals(store, { windowSeconds: 60 });
  assert.equal(plain.cacheHitRate, null);
  assert.equal(plain.p95Ms, null);
  assert.equal(plain.requestRate, null);
  assert.equal(plain.errorRate, null);
  assert.equal(plain.poolUtilization, null);
  const mapped = computeSignals(store, { windowSeconds: 60, mapping: { cacheHits: 'my_hits', cacheMisses: 'my_misses' } });
  assert.equal(mapped.cacheHitRate, 0.5);
});

test('a single scrape yields gauges but no rates', () => {
  const s = computeSignals(storeWith([scrape(0, [1, 2, 3, 4, 5, 5], [0, 0, 0, 0, 0, 0], { f2: 5, f5: 0, c2: 0 }, [['db_connection_pool_size', '', 13], ['db_connection_pool_active', '', 13]])]), { windowSeconds: 60 });
  assert.equal(s.p95Ms, null);
  assert.equal(s.requestRate, null);
  assert.equal(s.poolUtilization, 1);
});

test('a latency histogram with a non-standard name is found by its type and name', () => {
  const rows = (t: number, n: number) => histogramRows('payments_latency_seconds', 'route="/pay"', [0.1, Infinity], [n, n], n * 0.05);
  const store = new SeriesStore({ capacity: 5 });
  store.commit(0, batchOf(rows(0, 0), [{ name: 'payments_latency_seconds', type: 'histogram' }]));
  store.commit(1000, batchOf(rows(1000, 10)));
  const s = computeSignals(store, { windowSeconds: 60 });
  assert.equal(s.latencySource?.metric, 'payments_latency_seconds');
  assert.ok(Math.abs(s.p50Ms! - 50) < 1e-9);
  assert.equal(s.endpoints[0]?.key, '/pay');
});

test('status classes and the heatmap column of the newest interval', () => {
  const mk = (t: number, ok: number, notFound: number, err: number, cum: number[]) => ({
    t,
    rows: [
      ['http_requests_total', 'status="200"', ok],
      ['http_requests_total', 'status="404"', notFound],
      ['http_requests_total', 'status="503"', err],
      ...histogramRows(H, '', [0.1, 0.5, Infinity], cum, 0),
    ] as Row[],
  });
  const s = computeSignals(storeWith([mk(0, 0, 0, 0, [0, 0, 0]), mk(1000, 10, 2, 1, [5, 8, 9]), mk(2000, 30, 4, 2, [15, 25, 29])]), { windowSeconds: 60 });
  // 30 + 4 + 2 over 2 s
  assert.deepEqual(s.statusRates, { '2xx': 15, '3xx': 0, '4xx': 2, '5xx': 1 });
  // Newest interval: cumulative +10, +17, +20 → per bucket 10, 7, 3
  assert.deepEqual(s.latencyHeat, { boundsMs: [100, 500, Infinity], counts: [10, 7, 3] });
});
