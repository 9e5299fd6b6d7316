import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvFromPoints, notices, panelState, pointFromSignals, tableRows, tiles, heatBounds } from '../../src/dashboard/shape';
import { PointHistory } from '../../src/dashboard/history';
import { HealthEvaluator, DEFAULT_THRESHOLDS } from '../../src/core/health';
import { emptySignals, type EndpointSignals } from '../../src/core/types';
import { MAX_ROUTES_PER_POINT, MAX_TABLE_ROWS } from '../../src/dashboard/protocol';

const ep = (i: number, p95: number | null, rps = i): EndpointSignals => ({ key: `GET /r${i}`, method: 'GET', route: `/r${i}`, requestRate: rps, errorRate: 0, p50Ms: p95 === null ? null : p95 / 2, p95Ms: p95, p99Ms: p95 === null ? null : p95 * 2, meanMs: null });

test('a point keeps finite values, turns NaN/Infinity into gaps, and carries the busiest routes only', () => {
  const s = { ...emptySignals(1000, 60), p95Ms: 120, p50Ms: NaN, p99Ms: Infinity, requestRate: 12, cacheHitRate: 0.7, endpoints: Array.from({ length: 80 }, (_, i) => ep(i, 10 * i)) };
  const p = pointFromSignals(s, 5000);
  assert.equal(p.t, 5000);
  assert.equal(p.p95, 120);
  assert.equal(p.p50, null);
  assert.equal(p.p99, null);
  assert.equal(Object.keys(p.routes).length, MAX_ROUTES_PER_POINT);
  assert.ok('GET /r79' in p.routes, 'busiest (highest rate) kept');
  assert.ok(!('GET /r0' in p.routes));
  assert.deepEqual(p.routes['GET /r79'], [395, 790, 1580]);
});

test('heat columns and bounds: +Inf becomes null for JSON', () => {
  const s = { ...emptySignals(0, 60), latencyHeat: { boundsMs: [5, 10, Infinity], counts: [1, NaN, 3] } };
  assert.deepEqual(heatBounds(s), [5, 10, null]);
  assert.deepEqual(pointFromSignals(s, 0).heat, [1, 0, 3]);
  assert.equal(pointFromSignals(emptySignals(0, 60), 0).heat, null);
});

test('the table is capped and says how many rows it left out', () => {
  const many = Array.from({ length: MAX_TABLE_ROWS + 37 }, (_, i) => ep(i, i));
  const t = tableRows(many);
  assert.equal(t.rows.length, MAX_TABLE_ROWS);
  assert.equal(t.truncated, 37);
  const s = { ...emptySignals(0, 60), endpoints: many };
  assert.ok(notices(s, 1000, 0).some((n) => n.includes(`${MAX_TABLE_ROWS + 37} label combinations`)));
});

test('tiles take their colour from the status-bar evaluation', () => {
  const ev = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: 0 });
  const s = { ...emptySignals(0, 60), p95Ms: 450, errorRate: 0.015, cacheHitRate: 0.9, poolUtilization: null };
  const t = tiles(s, ev.evaluate(s, 0));
  assert.deepEqual(t.levels, { p95: 'error', err: 'warning', hit: 'ok', pool: 'unknown' });
  assert.equal(t.p95, 450);
});

test('a breach not yet held for the hold time is "pending" on its tile (the indicator still waits)', () => {
  const ev = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: 30 });
  const s = { ...emptySignals(0, 60), p95Ms: 450, errorRate: 0, cacheHitRate: 0.9, poolUtilization: 0.1 };
  const first = ev.evaluate(s, 0);
  assert.equal(first.level, 'ok', 'the indicator waits for the hold time');
  assert.deepEqual(tiles(s, first).levels, { p95: 'pending', err: 'ok', hit: 'ok', pool: 'ok' });
  // Held past 30 s: the tile turns like the indicator.
  assert.equal(tiles(s, ev.evaluate(s, 31_000)).levels.p95, 'error');
});

test('notices say what cannot be shown and which setting fixes it', () => {
  const n = notices(emptySignals(0, 60), 10, 5);
  assert.ok(n.some((x) => x.includes('set pulse.metrics.latency')));
  assert.ok(n.some((x) => x.includes('set pulse.metrics.requests')));
  assert.ok(n.some((x) => x.includes('cache')));
  assert.ok(n.some((x) => x.includes('5 dropped')));
});

test('panel state mirrors the monitor state', () => {
  assert.deepEqual(panelState({ kind: 'idle' }), { kind: 'idle' });
  assert.deepEqual(panelState({ kind: 'down', url: 'u', reason: 'connection refused', errorKind: 'refused', since: 5, lastOk: undefined, failures: 2 }), { kind: 'down', url: 'u', reason: 'connection refused', since: 5 });
});

test('CSV has the seed monitor columns, ISO timestamps and empty cells for gaps', () => {
  const s = { ...emptySignals(0, 60), p95Ms: 182.456, cpuPercent: 45.2, memoryMb: 1024.5, memoryPercent: 62.3, requestRate: 10, errorRate: 0.021, poolActive: 5, poolSize: 13, cacheHitRate: 0.7302 };
  const csv = csvFromPoints([pointFromSignals(s, Date.UTC(2026, 0, 18, 14, 23, 45)), pointFromSignals(emptySignals(0, 60), Date.UTC(2026, 0, 18, 14, 23, 46))]);
  const [head, row, gap] = csv.trim().split('\n');
  assert.equal(head, 'timestamp,cpu_percent,memory_percent,memory_mb,latency_p95_ms,request_rate,error_rate,db_pool_active,db_pool_size,cache_hit_rate,latency_p50_ms,latency_p99_ms,schema_version');
  assert.equal(row, '2026-01-18T14:23:45.000Z,45.2,62.3,1024.5,182.46,10,0.021,5,13,73.02,,,1');
  assert.equal(gap, '2026-01-18T14:23:46.000Z,,,,,,,,,,,,1');
});

test('history drops points older than its age, keeps time increasing across clock jumps', () => {
  const h = new PointHistory(10_000);
  const p = (t: number) => pointFromSignals(emptySignals(0, 60), t);
  for (let t = 0; t <= 30_000; t += 1000) h.push(p(t));
  assert.equal(h.size, 11);
  assert.equal(h.all()[0]!.t, 20_000);
  h.push(p(5000)); // clock jumped back
  assert.equal(h.last()!.t, 30_001);
  assert.deepEqual(h.since(28_000).map((x) => x.t), [29_000, 30_000, 30_001]);
  assert.equal(h.range(21_000, 23_000).length, 3);
  for (let t = 31_000; t < 3_000_000; t += 1000) h.push(p(t));
  assert.ok(h.size <= 11 && h.size >= 10);
});
