// Dashboard webview, load-test side: the run's seconds (reset vs append, bounds), the summary
// texts, status codes summed over the run, the span shaded on the service charts, the visible
// window with a load test, and the series debugState reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadRunView, LoadSecondView } from '../../src/dashboard/protocol';
import { History } from '../../webview/history';
import { debugState } from '../../webview/debug';
import { bandRange, dataEnd, fmtCodeShare, fmtCount, fmtDuration, LoadModel, progress, statusClass, summarizeStatus, totalsText, viewRange } from '../../webview/loadtest-model';

const T0 = 1_700_000_000_000;

function run(over: Partial<LoadRunView> = {}): LoadRunView {
  return { id: 'r1', name: 'checkout', startedAt: T0, durationS: 60, model: 'open', state: 'running', requests: 0, rps: 0, p95: null, errors: 0, ...over };
}

function sec(i: number, over: Partial<LoadSecondView> = {}): LoadSecondView {
  return { t: T0 + (i + 1) * 1000, sent: 100, completed: 100, errors: 0, target: 100, achieved: 100 - i, p50: 5, p95: 20 + i, p99: 40, status: { '200': 100 }, ...over };
}

test('a reset replaces what is held; deltas append', () => {
  const m = new LoadModel();
  let r = m.apply({ run: run(), seconds: [], reset: true });
  assert.deepEqual(r, { replaced: true, newRun: true, added: 0, stateChanged: true });
  assert.equal(m.length, 0);
  assert.ok(m.visible);

  r = m.apply({ run: run(), seconds: [sec(0)], reset: false });
  assert.deepEqual(r, { replaced: false, newRun: false, added: 1, stateChanged: false });
  m.apply({ run: run(), seconds: [sec(1)], reset: false });
  assert.deepEqual(m.t, [T0 + 1000, T0 + 2000]);
  assert.deepEqual(m.achieved, [100, 99]);
  assert.deepEqual(m.p95, [20, 21]);
  assert.deepEqual(m.target, [100, 100]);

  // Re-init: the host sends every second of the run again, with reset.
  r = m.apply({ run: run(), seconds: [sec(0), sec(1), sec(2)], reset: true });
  assert.deepEqual(r, { replaced: true, newRun: false, added: 3, stateChanged: false });
  assert.deepEqual(m.t, [T0 + 1000, T0 + 2000, T0 + 3000]);
  assert.equal(m.status.get('200'), 300, 'status totals are rebuilt, not added twice');
});

test('old, duplicate and timeless seconds are skipped; bad numbers become gaps', () => {
  const m = new LoadModel();
  m.apply({ run: run(), seconds: [sec(1)], reset: true });
  const added = m.apply({ run: run(), seconds: [sec(0), sec(1), sec(2, { t: Number.NaN }), sec(3, { p95: Number.NaN as unknown as null, achieved: Infinity })], reset: false }).added;
  assert.equal(added, 1);
  assert.deepEqual(m.t, [T0 + 2000, T0 + 4000]);
  assert.deepEqual(m.p95, [21, null]);
  assert.deepEqual(m.achieved, [99, null]);
});

test('a delta for another run replaces the one held, and shows a dismissed section again', () => {
  const m = new LoadModel();
  m.apply({ run: run(), seconds: [sec(0), sec(1)], reset: true });
  m.dismiss();
  assert.equal(m.visible, false);
  assert.equal(m.band(T0 + 5000), null, 'no band while dismissed');
  // The same run again (a re-init) stays dismissed.
  m.apply({ run: run(), seconds: [sec(0), sec(1)], reset: true });
  assert.equal(m.visible, false);
  const r = m.apply({ run: run({ id: 'r2', startedAt: T0 + 60_000 }), seconds: [sec(60)], reset: false });
  assert.deepEqual(r, { replaced: true, newRun: true, added: 1, stateChanged: true });
  assert.deepEqual(m.t, [T0 + 61_000]);
  assert.equal(m.visible, true);
});

test('the end of a run is a state change without seconds', () => {
  const m = new LoadModel();
  m.apply({ run: run(), seconds: [sec(0)], reset: true });
  const r = m.apply({ run: run({ state: 'done', requests: 100 }), seconds: [], reset: false });
  assert.deepEqual(r, { replaced: false, newRun: false, added: 0, stateChanged: true });
  assert.equal(m.run?.state, 'done');
  assert.equal(m.run?.requests, 100);
  assert.equal(m.length, 1);
});

test('seconds are bounded: the oldest go, in batches', () => {
  const m = new LoadModel({ maxSeconds: 10, trimSlack: 3 });
  m.apply({ run: run(), seconds: [], reset: true });
  for (let i = 0; i < 12; i++) m.apply({ run: run(), seconds: [sec(i)], reset: false });
  assert.equal(m.length, 12, 'two over the bound: below the slack, kept for now');
  m.apply({ run: run(), seconds: [sec(12)], reset: false });
  assert.equal(m.length, 10);
  assert.equal(m.first, T0 + 4000);
  for (const col of [m.achieved, m.target, m.errors, m.p50, m.p95, m.p99]) assert.equal(col.length, 10);
  assert.equal(m.status.get('200'), 1300, 'status totals count the whole run');
  // A reset larger than the bound keeps the newest.
  m.apply({ run: run(), seconds: Array.from({ length: 25 }, (_, i) => sec(i)), reset: true });
  assert.equal(m.length, 10);
  assert.equal(m.last, T0 + 25_000);
});

test('totals texts', () => {
  assert.deepEqual(totalsText(run({ requests: 12_345, rps: 98.46, p95: 45.2, errors: 3 })), { requests: '12,345', rps: '98.5/s', p95: '45 ms', errors: '3 (<0.1%)', hasErrors: true });
  assert.deepEqual(totalsText(run({ requests: 200, rps: 150, p95: 1234, errors: 50 })), { requests: '200', rps: '150/s', p95: '1234 ms', errors: '50 (25%)', hasErrors: true });
  assert.deepEqual(totalsText(run()), { requests: '0', rps: '0.0/s', p95: '—', errors: '0', hasErrors: false });
  assert.equal(fmtCount(1_234_567.4), '1,234,567');
  assert.equal(fmtDuration(23), '0:23');
  assert.equal(fmtDuration(60), '1:00');
  assert.equal(fmtDuration(3723), '1:02:03');
});

test('progress: the seconds recorded against the planned duration', () => {
  assert.deepEqual(progress(run(), 23, T0 + 23_000), { fraction: 23 / 60, text: '0:23 / 1:00' });
  // Seconds stamped at their start, or trimmed past the bound: the larger reading wins.
  assert.deepEqual(progress(run(), 10, T0 + 9000), { fraction: 10 / 60, text: '0:10 / 1:00' });
  assert.deepEqual(progress(run(), 5, T0 + 30_000), { fraction: 0.5, text: '0:30 / 1:00' });
  assert.deepEqual(progress(run(), 0, undefined), { fraction: 0, text: '0:00 / 1:00' });
  assert.deepEqual(progress(run(), 70, T0 + 70_000), { fraction: 1, text: '1:00 / 1:00' });
  assert.deepEqual(progress(run({ state: 'cancelled' }), 30, T0 + 30_000), { fraction: 0.5, text: '0:30 / 1:00' });
  assert.deepEqual(progress(run({ state: 'done' }), 59, T0 + 59_000), { fraction: 1, text: '0:59 / 1:00' });
  assert.deepEqual(progress(run({ durationS: 0 }), 5, T0 + 5000), { fraction: null, text: '0:05' });
});

test('status codes: summed over the run, by class for the bar, busiest codes listed in code order', () => {
  const m = new LoadModel();
  m.apply({ run: run(), seconds: [sec(0, { status: { '200': 90, '503': 8, other: 2 } }), sec(1, { status: { '200': 95, '404': 5 } })], reset: true });
  assert.deepEqual(Object.fromEntries(m.status), { '200': 185, '503': 8, other: 2, '404': 5 });
  const s = summarizeStatus(m.status);
  assert.equal(s.total, 200);
  assert.deepEqual(
    s.classes.map((c) => [c.cls, c.count]),
    [
      ['2xx', 185],
      ['4xx', 5],
      ['5xx', 8],
      ['other', 2],
    ],
  );
  assert.deepEqual(
    s.codes.map((c) => [c.label, c.count, c.bad]),
    [
      ['200', 185, false],
      ['404', 5, false],
      ['503', 8, true],
      ['no response', 2, true],
    ],
  );
  assert.equal(s.more, 0);
  assert.ok(Math.abs(s.codes[0]!.share - 0.925) < 1e-12);

  const many = summarizeStatus({ '200': 1000, '201': 1, '301': 2, '404': 3, '500': 4, '502': 0, bogus: 1 }, 3);
  assert.deepEqual(
    many.codes.map((c) => c.code),
    ['200', '404', '500'],
  );
  assert.equal(many.more, 3, '201, 301 and bogus left out (502 had none)');
  assert.equal(summarizeStatus(new Map()).total, 0);
  assert.equal(statusClass('204'), '2xx');
  assert.equal(statusClass('other'), 'other');
  assert.equal(statusClass('5000'), 'other');
  assert.equal(fmtCodeShare(0.004), '<1%');
  assert.equal(fmtCodeShare(0.996), '>99%');
  assert.equal(fmtCodeShare(1), '100%');
});

test('band: from the start to now while running, to the last second once over', () => {
  assert.deepEqual(bandRange(run(), T0 + 9000, T0 + 9500), { from: T0, to: T0 + 9500 });
  assert.deepEqual(bandRange(run(), undefined, T0 + 300), { from: T0, to: T0 + 300 });
  assert.deepEqual(bandRange(run({ state: 'done' }), T0 + 60_000, T0 + 90_000), { from: T0, to: T0 + 60_000 });
  assert.deepEqual(bandRange(run({ state: 'failed' }), undefined, T0 + 90_000), { from: T0, to: T0 });
  // A clock a little behind the last second never ends the band before it.
  assert.deepEqual(bandRange(run(), T0 + 9000, T0 + 8000), { from: T0, to: T0 + 9000 });
  const m = new LoadModel();
  assert.equal(m.band(T0), null, 'no run, no band');
  m.apply({ run: run({ state: 'cancelled' }), seconds: [sec(0), sec(1)], reset: true });
  assert.deepEqual(m.band(T0 + 99_000), { from: T0, to: T0 + 2000 });
});

test('visible window: the service leads; the load only when the service fell behind', () => {
  const base = { spanMs: 60_000, intervalMs: 2000, pausedAt: null, now: T0 + 1e6 };
  // Service live, load a second ahead: the window ends at the service's newest point.
  assert.equal(dataEnd({ ...base, historyFirst: T0 - 600_000, historyLast: T0 + 30_000, loadFirst: T0 + 1000, loadLast: T0 + 31_000 }), T0 + 30_000);
  // Service down since the run began: the load leads.
  assert.equal(dataEnd({ ...base, historyFirst: T0 - 600_000, historyLast: T0 + 2000, loadFirst: T0 + 1000, loadLast: T0 + 31_000 }), T0 + 31_000);
  // Nothing from the service: the load; nothing at all: now.
  assert.equal(dataEnd({ ...base, historyFirst: undefined, historyLast: undefined, loadFirst: T0 + 1000, loadLast: T0 + 5000 }), T0 + 5000);
  assert.equal(dataEnd({ ...base, historyFirst: undefined, historyLast: undefined, loadFirst: undefined, loadLast: undefined }), base.now);

  // Short data grow from the left, the load counting as data.
  assert.deepEqual(viewRange({ ...base, historyFirst: undefined, historyLast: undefined, loadFirst: T0, loadLast: T0 + 5000 }), { from: T0, to: T0 + 60_000 });
  assert.deepEqual(viewRange({ ...base, historyFirst: T0 + 10_000, historyLast: T0 + 20_000, loadFirst: T0, loadLast: T0 + 21_000 }), { from: T0, to: T0 + 60_000 });
  // A long history: the window ends at its newest point.
  assert.deepEqual(viewRange({ ...base, historyFirst: T0 - 600_000, historyLast: T0 + 30_000, loadFirst: T0, loadLast: T0 + 31_000 }), { from: T0 - 30_000, to: T0 + 30_000 });
  // An old run does not hold the window's start back.
  assert.deepEqual(viewRange({ ...base, historyFirst: T0 + 600_000, historyLast: T0 + 630_000, loadFirst: T0, loadLast: T0 + 60_000 }), { from: T0 + 600_000, to: T0 + 660_000 });
  // Paused: where the user paused.
  assert.deepEqual(viewRange({ ...base, pausedAt: T0 + 100_000, historyFirst: T0 - 600_000, historyLast: T0 + 200_000, loadFirst: T0, loadLast: T0 + 200_000 }), { from: T0 + 40_000, to: T0 + 100_000 });
});

test('debugState reports the load series next to the service series', () => {
  const m = new LoadModel();
  const history = new History({ retentionMs: 60_000 });
  const empty = debugState({ requestId: 1, history, load: m, tableKeys: [], tiles: {}, paused: false, viewSeconds: 300 });
  assert.equal(empty.series['load:achieved'], undefined, 'no run, no load series');
  m.apply({ run: run({ model: 'closed' }), seconds: [sec(0, { target: 8 }), sec(1, { target: 10, p95: null })], reset: true });
  const s = debugState({ requestId: 2, history, load: m, tableKeys: [], tiles: {}, paused: false, viewSeconds: 300 }).series;
  assert.deepEqual(s['load:achieved'], { t: [T0 + 1000, T0 + 2000], v: [100, 99] });
  assert.deepEqual(s['load:target'], { t: [T0 + 1000, T0 + 2000], v: [8, 10] });
  assert.deepEqual(s['load:p95'], { t: [T0 + 1000, T0 + 2000], v: [20, null] });
  assert.ok('p95' in s, 'the service series are still there');
  // A copy: later seconds do not change what was reported.
  m.apply({ run: run({ model: 'closed' }), seconds: [sec(2)], reset: false });
  assert.equal(s['load:p95']!.v.length, 2);
});
