import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestJson, JsonShapeError } from '../../src/core/json';
import { ScrapeBatch, SeriesStore } from '../../src/core/store';
import { computeSignals } from '../../src/core/signals';

const EXAMPLE = (hits: number, misses: number, active: number) =>
  JSON.stringify({
    timestamp: '2026-01-18T14:23:45Z',
    system: { cpu_percent: 45.2, memory_mb: 1024.5, memory_percent: 62.3, memory_available_mb: 625.7 },
    database: { pool_size: 13, pool_available: 13 - active, pool_active: active, pool_utilization_percent: (active / 13) * 100 },
    cache: { enabled: true, hits, misses, hit_rate_percent: (hits / (hits + misses)) * 100 },
  });

test('the users\' JSON stats shape is recognized with no configuration', () => {
  const store = new SeriesStore({ capacity: 10 });
  for (const [t, h, m, a] of [[0, 1234, 456, 5], [2000, 1334, 481, 5]] as const) {
    const b = new ScrapeBatch();
    ingestJson(EXAMPLE(h, m, a), b);
    store.commit(t, b);
  }
  const s = computeSignals(store, { windowSeconds: 60 });
  assert.ok(Math.abs(s.poolUtilization! - 5 / 13) < 1e-12);
  assert.equal(s.poolSize, 13);
  // 100 hits, 25 misses in the window
  assert.ok(Math.abs(s.cacheHitRate! - 0.8) < 1e-12);
  assert.equal(s.cpuPercent, 45.2);
  assert.equal(s.memoryMb, 1024.5);
  assert.equal(s.memoryPercent, 62.3);
  assert.equal(s.p95Ms, null);
});

test('one JSON scrape falls back to the hit-rate gauge', () => {
  const store = new SeriesStore({ capacity: 10 });
  const b = new ScrapeBatch();
  ingestJson(EXAMPLE(1234, 456, 5), b);
  store.commit(0, b);
  const s = computeSignals(store, { windowSeconds: 60 });
  assert.ok(Math.abs(s.cacheHitRate! - 1234 / 1690) < 1e-9);
});

test('other shapes map through dotted paths, latency included', () => {
  const body = JSON.stringify({ perf: { latency: { p95: 182, p50: 40 }, reqs: 1000, errs: 21 }, pool: { used: '3', max: 10 } });
  const b = new ScrapeBatch();
  const r = ingestJson(body, b, { p95Ms: 'perf.latency.p95', p50Ms: 'perf.latency.p50', requestsTotal: 'perf.reqs', errorsTotal: 'perf.errs', poolActive: 'pool.used', poolSize: 'pool.max' });
  assert.deepEqual(new Set(r.matched), new Set(['p95Ms', 'p50Ms', 'requestsTotal', 'errorsTotal', 'poolActive', 'poolSize']));
  const store = new SeriesStore({ capacity: 4 });
  store.commit(0, b);
  const b2 = new ScrapeBatch();
  ingestJson(JSON.stringify({ perf: { latency: { p95: 190, p50: 41 }, reqs: 1100, errs: 23 }, pool: { used: 4, max: 10 } }), b2, { p95Ms: 'perf.latency.p95', p50Ms: 'perf.latency.p50', requestsTotal: 'perf.reqs', errorsTotal: 'perf.errs', poolActive: 'pool.used', poolSize: 'pool.max' });
  store.commit(1000, b2);
  const s = computeSignals(store, { windowSeconds: 60 });
  assert.equal(s.p95Ms, 190);
  assert.equal(s.p50Ms, 41);
  assert.ok(Math.abs(s.requestRate! - 100) < 1e-9);
  assert.ok(Math.abs(s.errorRate! - 0.02) < 1e-12);
  assert.equal(s.poolUtilization, 0.4);
});

test('garbage gets a message naming the problem', () => {
  assert.throws(() => ingestJson('<html>nope</html>', new ScrapeBatch()), (e: unknown) => e instanceof JsonShapeError && /not valid JSON/.test(e.message) && /<html>/.test(e.message));
  assert.throws(() => ingestJson('{"foo": {"bar": 1}}', new ScrapeBatch()), /no recognised metrics \(top-level keys: foo\)/);
  assert.throws(() => ingestJson('42', new ScrapeBatch()), /not an object/);
});
