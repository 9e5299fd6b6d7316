// Aggregation: percentiles against a brute-force reference, slow counts, bounded lists, minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogAggregator, OTHER_ENDPOINTS, summarizeHits, type LogHit } from '../../src/core/logs';
import { DurationSketch } from '../../src/core/logs/sketch';
import { mulberry32 } from '../../src/core/random';

function h(method: string, path: string, durationMs: number | null, over: Partial<LogHit> = {}): LogHit {
  const thresholdMs = over.thresholdMs ?? 1000;
  return { line: 0, format: 'combined', method, path, rawPath: path, status: 200, durationMs, thresholdMs, slow: durationMs !== null && durationMs > thresholdMs, timestamp: null, durationColumns: null, ...over };
}

/** Nearest rank: the smallest value with at least q of the values at or below it. */
function nearestRank(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(q * s.length)) - 1]!;
}

test('p50/p95/max over all timed requests of an endpoint; count is the slow lines', () => {
  const rnd = mulberry32(11);
  const values = Array.from({ length: 500 }, () => Math.round(rnd() * 3000 * 1000) / 1000);
  const agg = new LogAggregator();
  for (const v of values) agg.add(h('GET', '/a', v));
  agg.add(h('GET', '/a', null)); // a request without a duration counts, but not in the percentiles
  agg.add(h('POST', '/b', 10));
  const s = agg.summary({ lines: 1000, bytes: 5, longLines: 0 });
  const a = s.endpoints[0]!;
  assert.equal(a.key, 'GET /a');
  assert.equal(a.requests, 501);
  assert.equal(a.slow, values.filter((v) => v > 1000).length);
  assert.equal(a.p50Ms, nearestRank(values, 0.5));
  assert.equal(a.p95Ms, nearestRank(values, 0.95));
  assert.equal(a.maxMs, Math.max(...values));
  assert.equal(s.slow, a.slow);
  assert.equal(s.requests, 502);
  assert.equal(s.lines, 1000);
  assert.deepEqual(s.endpoints[1]!.key, 'POST /b');
});

test('beyond the exact range, quantiles stay within 1 % in bounded memory', () => {
  const rnd = mulberry32(5);
  const values = Array.from({ length: 50_000 }, () => Math.exp(rnd() * 10)); // 1 ms … 22 s, log-uniform
  const s = summarizeHits(values.map((v) => h('GET', '/x', v)));
  const e = s.endpoints[0]!;
  for (const [q, got] of [[0.5, e.p50Ms], [0.95, e.p95Ms]] as const) {
    const want = nearestRank(values, q);
    assert.ok(Math.abs(got! - want) / want < 0.011, `p${q * 100}: ${got} vs ${want}`);
  }
  assert.equal(e.maxMs, Math.max(...values));
});

test('a sketch is exact up to 1024 values (its array growing), then buckets; merges keep that line', () => {
  const rnd = mulberry32(17);
  const values = Array.from({ length: 1025 }, () => Math.round(rnd() * 5e6) / 1000);
  const sk = new DurationSketch();
  for (const v of values.slice(0, 1024)) sk.add(v);
  assert.deepEqual(sk.state().exact, values.slice(0, 1024));
  for (const q of [0.01, 0.5, 0.95, 1]) assert.equal(sk.quantile(q), nearestRank(values.slice(0, 1024), q));
  sk.add(values[1024]!);
  const st = sk.state();
  assert.equal(st.exact, null);
  assert.equal(st.buckets!.reduce((n, [, c]) => n + c, 0) + st.zeros, 1025);
  const p95 = nearestRank(values, 0.95);
  assert.ok(Math.abs(sk.quantile(0.95) - p95) / p95 < 0.011);
  // Two exact halves merge into an exact sketch while they fit, into buckets once they do not.
  const a = new DurationSketch();
  const b = new DurationSketch();
  for (const v of values.slice(0, 500)) a.add(v);
  for (const v of values.slice(500, 1000)) b.add(v);
  a.merge(b.state());
  assert.deepEqual(a.state().exact, values.slice(0, 1000));
  const c = new DurationSketch();
  for (const v of values.slice(1000)) c.add(v);
  c.add(1);
  a.merge(c.state());
  assert.equal(a.state().exact, null);
  assert.equal(a.count, 1026);
});

test('newest slow hits first, bounded per endpoint and overall; the hover lookup', () => {
  const agg = new LogAggregator({ recentPerEndpoint: 3, recent: 4 });
  for (let i = 0; i < 10; i++) agg.add(h('GET', i % 2 ? '/odd' : '/even', 2000 + i, { line: i }));
  const s = agg.summary();
  assert.deepEqual(s.recentSlow.map((x) => x.line), [9, 8, 7, 6]);
  assert.deepEqual(s.endpoints.find((e) => e.path === '/odd')!.recentSlow.map((x) => x.line), [9, 7, 5]);
  const e = agg.endpointOf({ method: 'GET', path: '/even' })!;
  assert.equal(e.slow, 5);
  assert.equal(e.p95Ms, 2008);
  assert.equal(agg.endpointOf({ method: 'GET', path: '/nope' }), undefined);
});

test('slow per minute: by the line timestamp, else arrival time; last-N-minutes signal', () => {
  let now = Date.UTC(2026, 0, 18, 15, 0, 30);
  const agg = new LogAggregator({ now: () => now });
  const t = (m: number, s = 0) => Date.UTC(2026, 0, 18, 14, m, s);
  for (const ts of [t(1), t(1, 59), t(2, 5), t(5)]) agg.add(h('GET', '/x', 5000, { timestamp: ts }));
  agg.add(h('GET', '/x', 5, { timestamp: t(3) })); // not slow: not counted
  agg.add(h('GET', '/x', 5000)); // no timestamp: arrival minute
  agg.add(h('GET', '/x', 5000));
  assert.deepEqual(agg.summary().slowPerMinute, [
    { minute: t(1), slow: 2 },
    { minute: t(2), slow: 1 },
    { minute: t(5), slow: 1 },
    { minute: Date.UTC(2026, 0, 18, 15, 0), slow: 2 },
  ]);
  assert.equal(agg.slowInLast(1), 2);
  now = Date.UTC(2026, 0, 18, 15, 1, 10);
  assert.equal(agg.slowInLast(1), 0);
  assert.equal(agg.slowInLast(2), 2);
});

test('endpoint cardinality is capped; the overflow is one entry', () => {
  const agg = new LogAggregator({ maxEndpoints: 3 });
  for (let i = 0; i < 10; i++) agg.add(h('GET', `/users/${i}`, 1500));
  const s = agg.summary();
  assert.equal(s.endpoints.length, 4);
  const other = s.endpoints.find((e) => e.key === OTHER_ENDPOINTS)!;
  assert.equal(other.slow, 7);
  assert.equal(agg.endpointOf({ method: 'GET', path: '/users/9' })!.key, OTHER_ENDPOINTS);
});

test('the sketch widens its buckets both ways (µs to days) and merges to the same quantiles as one', () => {
  const rnd = mulberry32(9);
  // Mid-range first, then far below and far above what its buckets started with.
  const values = [...Array.from({ length: 3000 }, () => 50 + rnd() * 100), ...Array.from({ length: 3000 }, () => 0.002 + rnd() * 0.01), ...Array.from({ length: 3000 }, () => Math.exp(10 + rnd() * 8))];
  const one = new DurationSketch();
  for (const v of values) one.add(v);
  const a = new DurationSketch();
  const b = new DurationSketch();
  values.forEach((v, i) => (i % 2 ? a : b).add(v));
  a.merge(b.state());
  // Into a new sketch, as the parallel scan's merge does.
  const c = new DurationSketch();
  c.merge(a.state());
  for (const q of [0.01, 0.2, 0.5, 0.7, 0.95, 0.999]) {
    assert.equal(c.quantile(q), one.quantile(q), `merged into a new one q${q}`);
    const want = nearestRank(values, q);
    assert.ok(Math.abs(one.quantile(q) - want) / want < 0.011, `q${q}: ${one.quantile(q)} vs ${want}`);
    assert.equal(a.quantile(q), one.quantile(q), `merged q${q}`);
  }
  assert.deepEqual(a.state().buckets, one.state().buckets);
});
