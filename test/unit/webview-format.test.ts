// Dashboard webview: number formatting, tiles, persisted state and y ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finite, fmtBound, fmtClock, fmtCompact, fmtCpu, fmtMemMb, fmtMs, fmtMsAxis, fmtPct, fmtPctAxis, fmtRange, fmtRate, fmtWindow } from '../../webview/format';
import { fmtMs as hostMs, fmtPct as hostPct, fmtRate as hostRate } from '../../src/core/format';
import { tileTexts, tileViews } from '../../webview/tiles-model';
import { DEFAULT_STATE, restoreState } from '../../webview/state';
import { ratioRange, zeroBased } from '../../webview/scales';

test('finite() turns every non-number into a gap', () => {
  assert.equal(finite(3), 3);
  assert.equal(finite(0), 0);
  for (const v of [Number.NaN, Infinity, -Infinity, null, undefined, '3', {}]) assert.equal(finite(v), null);
});

test('tile and table numbers read exactly as the host prints them (status bar, details)', () => {
  for (const v of [0, 0.04, 0.5, 4.44, 9.99, 10, 99.4, 100, 999.6, 9999, 10_000, 123_456]) assert.equal(fmtMs(v), hostMs(v), `ms ${v}`);
  for (const v of [0, 0.0004, 0.001, 0.0123, 0.05, 0.1, 0.999, 1]) assert.equal(fmtPct(v), hostPct(v), `pct ${v}`);
  for (const v of [0, 0.25, 12.34, 99.95, 100, 1234.5]) assert.equal(fmtRate(v), hostRate(v), `rate ${v}`);
});

test('missing and non-finite values print as a dash', () => {
  for (const f of [fmtMs, fmtPct, fmtRate, fmtCpu, fmtMemMb]) {
    assert.equal(f(null), '—');
    assert.equal(f(Number.NaN), '—');
    assert.equal(f(Infinity), '—');
  }
});

test('cpu, memory, axes, bounds, windows', () => {
  assert.equal(fmtCpu(12.345), '12.3%');
  assert.equal(fmtMemMb(512.4), '512 MB');
  assert.equal(fmtMemMb(20_480), '20.0 GB');
  assert.equal(fmtMsAxis(0), '0');
  assert.equal(fmtMsAxis(250), '250 ms');
  assert.equal(fmtMsAxis(2500), '2.5 s');
  assert.equal(fmtMsAxis(0.5), '0.5 ms');
  assert.equal(fmtPctAxis(0.25), '25%');
  assert.equal(fmtPctAxis(0.005), '0.5%');
  assert.equal(fmtCompact(1500), '1.5k');
  assert.equal(fmtCompact(2_000_000), '2M');
  assert.equal(fmtCompact(12.5), '12.5');
  assert.equal(fmtBound(null), '+Inf');
  assert.equal(fmtBound(Infinity), '+Inf');
  assert.equal(fmtBound(1000), '1 s');
  assert.deepEqual([60, 300, 900, 3600].map(fmtWindow), ['1m', '5m', '15m', '1h']);
});

test('clock times are 24-hour hh:mm:ss', () => {
  const t = new Date(2026, 0, 2, 7, 5, 9).getTime();
  assert.equal(fmtClock(t), '07:05:09');
  assert.equal(fmtRange(t, t + 3_723_000), '07:05:09–08:07:12');
  assert.equal(fmtClock(Number.NaN), '—');
});

test('tiles: text, severity from the host, and the target', () => {
  const views = tileViews(
    { p95: 250, rps: 12.3, err: 0.02, hit: null, pool: 0.5, cpu: 33.33, memMb: 400, levels: { p95: 'error', err: 'warning', hit: 'unknown', pool: 'pending' } },
    { p95Ms: 200, errorRate: 0.01, cacheHitRate: 0.7, poolUtilization: 0.8 },
  );
  const by = Object.fromEntries(views.map((v) => [v.id, v]));
  assert.equal(by.p95!.text, '250 ms');
  assert.equal(by.p95!.level, 'error');
  assert.equal(by.p95!.target, 'target ≤ 200 ms');
  assert.equal(by.err!.level, 'warning');
  assert.equal(by.hit!.text, '—');
  assert.equal(by.hit!.level, 'unknown');
  assert.equal(by.hit!.target, 'target ≥ 70%');
  assert.equal(by.rps!.level, 'none', 'request rate has no target');
  assert.equal(by.pool!.level, 'pending');
  assert.equal(by.pool!.status, 'past target, not yet for the hold time');
  assert.deepEqual(tileTexts(views), { p95: '250 ms', rps: '12.3/s', err: '2.0%', hit: '—', pool: '50%', cpu: '33.3%', memMb: '400 MB' });
});

test('tiles without data or thresholds', () => {
  const views = tileViews(null, null);
  assert.equal(views.length, 7);
  assert.ok(views.every((v) => v.text === '—' && v.target === ''));
  assert.equal(views.find((v) => v.id === 'p95')!.level, 'unknown');
});

test('persisted state: defaults, and a bad or old shape falls back field by field', () => {
  assert.deepEqual(restoreState(undefined), DEFAULT_STATE);
  assert.deepEqual(restoreState('x'), DEFAULT_STATE);
  const s = restoreState({ selected: 'c1', viewSeconds: 900, route: 'GET /a', paused: true, sort: { column: 'rps', descending: false } });
  assert.deepEqual(s, { selected: 'c1', viewSeconds: 900, route: 'GET /a', paused: true, sort: { column: 'rps', descending: false } });
  const bad = restoreState({ selected: 3, viewSeconds: 42, paused: 'yes', sort: { column: 'nope', descending: true } });
  assert.deepEqual(bad, DEFAULT_STATE);
  // The default is not shared (mutating a restored state cannot change the default).
  restoreState(undefined).sort.descending = false;
  assert.equal(DEFAULT_STATE.sort.descending, true);
});

test('y ranges start at zero, include a near target, never collapse', () => {
  assert.deepEqual(zeroBased(null), [0, 1]);
  assert.deepEqual(zeroBased(0), [0, 1]);
  const [, hi] = zeroBased(100);
  assert.ok(hi > 100 && hi < 120);
  assert.ok(zeroBased(100, { target: 200 })[1] > 200, 'a target within 2.5× of the data shows');
  assert.ok(zeroBased(10, { target: 200 })[1] < 200, 'a far target stays off-scale instead of squashing the data');
  assert.ok(zeroBased(null, { target: 200 })[1] > 200, 'with no data the target frames the chart');
  assert.equal(zeroBased(2, { floor: 4 })[1], 4);
  assert.deepEqual(ratioRange(0.002, 0.01), [0, 0.015]);
  assert.deepEqual(ratioRange(0.9, 0.01), [0, 1]);
  assert.deepEqual(ratioRange(null, null), [0, 0.01]);
});
