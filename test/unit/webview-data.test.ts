// Dashboard webview, data side: the history buffer the charts draw from, pause buffering, and the
// debugState answer the in-VS Code tests compare with the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point, TickMessage } from '../../src/dashboard/protocol';
import { History, MAX_ROUTES_HELD, lowerBound } from '../../webview/history';
import { TickBuffer } from '../../webview/pause';
import { debugState } from '../../webview/debug';

function point(t: number, over: Partial<Point> = {}): Point {
  return { t, p50: 10, p95: 50, p99: 90, mean: 20, rps: 100, err: 0.01, status: { '2xx': 90, '3xx': 5, '4xx': 4, '5xx': 1 }, hit: 0.8, poolActive: 3, poolSize: 10, pool: 0.3, cpu: 12, memMb: 400, memPct: 5, routes: {}, heat: null, ...over };
}

function tick(points: Point[], over: Partial<TickMessage> = {}): TickMessage {
  return { type: 'tick', connection: 'c', points, state: { kind: 'live', url: 'u', lastScrape: points.at(-1)?.t ?? 0 }, tiles: null, table: [], tableTruncated: 0, notices: [], ...over };
}

test('history appends column by column and trims by time once enough points expired', () => {
  const h = new History({ retentionMs: 10_000, trimSlack: 4 });
  for (let i = 0; i <= 13; i++) h.append([point(i * 1000, { p95: i })]);
  // 14 points over 13 s with 10 s retention: 3 expired, below the slack of 4 → kept for now.
  assert.equal(h.length, 14);
  assert.equal(h.t[0], 0);
  h.append([point(14_000, { p95: 14 })]);
  // Now 4 points are older than 14 s - 10 s: dropped in one go, every column alike.
  assert.equal(h.t[0], 4000);
  assert.equal(h.length, 11);
  assert.deepEqual(h.series.p95, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(h.series.rps.length, h.length);
  assert.equal(h.stacked[3].length, h.length);
  assert.equal(h.heat.length, h.length);
  assert.equal(h.trim(true), 0, 'nothing older than the retention is left');
});

test('history keeps x strictly increasing: old, duplicate and timeless points are skipped', () => {
  const h = new History({ retentionMs: 60_000 });
  assert.equal(h.append([point(2000), point(1000), point(2000), point(Number.NaN), point(3000)]), 2);
  assert.deepEqual(h.t, [2000, 3000]);
  assert.equal(h.append([point(2500)]), 0);
});

test('NaN, Infinity and missing values become null gaps, never numbers', () => {
  const h = new History({ retentionMs: 60_000 });
  h.append([point(1000, { p95: Number.NaN, cpu: Infinity, memMb: -Infinity, hit: null, rps: undefined as unknown as number, routes: { '/a': [Number.NaN, 5, Infinity] }, heat: [1, Number.NaN, 3] })]);
  assert.equal(h.series.p95[0], null);
  assert.equal(h.series.cpu[0], null);
  assert.equal(h.series.memMb[0], null);
  assert.equal(h.series.hit[0], null);
  assert.equal(h.series.rps[0], null);
  assert.deepEqual([h.routes.get('/a')!.p50[0], h.routes.get('/a')!.p95[0], h.routes.get('/a')!.p99[0]], [null, 5, null]);
  assert.deepEqual(h.heat[0], [1, 0, 3]);
  assert.equal(h.hasData('p95'), false);
  assert.equal(h.hasData('p50'), true);
});

test('status classes are stacked bottom-up, and a point without them stacks nothing', () => {
  const h = new History({ retentionMs: 60_000 });
  h.append([point(1000, { status: { '2xx': 10, '3xx': 2, '4xx': 3, '5xx': 1 } }), point(2000, { status: null })]);
  assert.deepEqual(h.stacked.map((s) => s[0]), [10, 12, 15, 16]);
  assert.deepEqual(h.stacked.map((s) => s[1]), [null, null, null, null]);
  assert.equal(h.status['3xx'][0], 2, 'the legend reads the class itself, not the sum');
});

test('routes appearing late are back-filled with nulls; routes gone from the retained range are dropped', () => {
  const h = new History({ retentionMs: 5000, trimSlack: 1 });
  h.append([point(1000), point(2000, { routes: { '/late': [1, 2, 3] } }), point(3000)]);
  const r = h.routes.get('/late')!;
  assert.deepEqual(r.p95, [null, 2, null]);
  assert.equal(r.p95.length, h.length);
  assert.ok(h.hasData('route:/late'));
  for (let t = 4000; t <= 9000; t += 1000) h.append([point(t)]);
  assert.equal(h.routes.has('/late'), false, 'its last value (2 s) is older than the first point held');
});

test('at most MAX_ROUTES_HELD routes are held; the quietest one makes room', () => {
  const h = new History({ retentionMs: 1e9 });
  const routes: Point['routes'] = {};
  for (let i = 0; i < MAX_ROUTES_HELD; i++) routes[`/r${i}`] = [1, 1, 1];
  h.append([point(1000, { routes })]);
  h.append([point(2000, { routes: { '/r1': [1, 1, 1] } })]);
  h.append([point(3000, { routes: { '/new': [2, 2, 2] } })]);
  assert.equal(h.routes.size, MAX_ROUTES_HELD);
  assert.ok(h.routes.has('/new'));
  assert.ok(h.routes.has('/r1'), 'recently seen routes stay');
  assert.equal([...h.routes.keys()].filter((k) => !h.routes.has(k)).length, 0);
});

test('lowerBound finds the first index at or after a time', () => {
  const a = [10, 20, 20, 30];
  assert.equal(lowerBound(a, 5), 0);
  assert.equal(lowerBound(a, 20), 1);
  assert.equal(lowerBound(a, 25), 3);
  assert.equal(lowerBound(a, 31), 4);
});

test('paused: ticks merge (points accumulate, the rest is the newest), capped at maxPoints', () => {
  const b = new TickBuffer(3);
  assert.equal(b.take(), null);
  b.add(tick([point(1000)], { heatBounds: [1, 2, null], tableTruncated: 5 }));
  b.add(tick([point(2000), point(3000)], { tableTruncated: 7 }));
  assert.equal(b.ticks, 2);
  assert.equal(b.size, 3);
  b.add(tick([point(4000)]));
  const m = b.take()!;
  assert.deepEqual(m.points.map((p) => p.t), [2000, 3000, 4000], 'oldest dropped past the cap');
  assert.equal(m.tableTruncated, 0, 'newest tick wins for everything but points');
  assert.deepEqual(m.heatBounds, [1, 2, null], 'bounds changed by an earlier buffered tick are kept');
  assert.equal(b.take(), null, 'take empties the buffer');
  assert.equal(b.ticks, 0);
});

test('paused: a tick of another connection restarts the buffer', () => {
  const b = new TickBuffer(100);
  b.add(tick([point(1000)]));
  b.add(tick([point(5000)], { connection: 'other' }));
  const m = b.take()!;
  assert.equal(m.connection, 'other');
  assert.deepEqual(m.points.map((p) => p.t), [5000]);
});

test('the buffer does not alias the messages it was given', () => {
  const b = new TickBuffer(100);
  const first = tick([point(1000)]);
  b.add(first);
  b.add(tick([point(2000)]));
  assert.equal(first.points.length, 1);
});

test('debugState reports held series by Point names, route series, table order, tiles and view', () => {
  const h = new History({ retentionMs: 60_000 });
  h.append([point(1000, { routes: { 'GET /a': [1, 2, 3] } }), point(2000, { p95: null, routes: {} })]);
  const m = debugState({ requestId: 9, history: h, tableKeys: ['GET /a', 'GET /b'], tiles: { p95: '50 ms' }, paused: true, viewSeconds: 300 });
  assert.equal(m.type, 'debugState');
  assert.equal(m.requestId, 9);
  for (const n of ['p50', 'p95', 'p99', 'rps', 'err', 'hit', 'pool', 'poolActive', 'poolSize', 'cpu', 'memMb']) assert.ok(m.series[n], n);
  assert.deepEqual(m.series.p95, { t: [1000, 2000], v: [50, null] });
  assert.deepEqual(m.series['route:GET /a:p95']!.v, [2, null]);
  assert.deepEqual(m.series['status:5xx']!.v, [1, 1]);
  assert.deepEqual(m.tableKeys, ['GET /a', 'GET /b']);
  assert.deepEqual(m.tiles, { p95: '50 ms' });
  assert.equal(m.paused, true);
  assert.equal(m.windowSeconds, 300);
  // A copy: later appends do not change an answer already sent.
  h.append([point(3000)]);
  assert.equal(m.series.p95!.t.length, 2);
});
