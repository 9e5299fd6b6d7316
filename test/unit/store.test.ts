import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesStore } from '../../src/core/store';
import { batchOf } from './helpers';

test('increase handles counter resets the way Prometheus does', () => {
  const s = new SeriesStore({ capacity: 10 });
  const values = [10, 15, 3, 8];
  values.forEach((v, i) => s.commit(1000 * (i + 1), batchOf([['c_total', '', v]])));
  const series = s.seriesNamed('c_total')[0]!;
  const inc = s.increase(series, s.windowSlots(60_000))!;
  // 10→15 (+5), reset to 3 (+3), 3→8 (+5)
  assert.equal(inc.delta, 13);
  assert.equal(inc.spanMs, 3000);
});

test('ring keeps only capacity scrapes and windows select by time', () => {
  const s = new SeriesStore({ capacity: 5 });
  for (let i = 1; i <= 12; i++) s.commit(i * 1000, batchOf([['g', 'a="1"', i]]));
  assert.equal(s.windowSlots(1e9).length, 5);
  const slots = s.windowSlots(2000);
  assert.deepEqual(slots.map((x) => s.timeAt(x)), [10_000, 11_000, 12_000]);
  assert.equal(s.latest(s.seriesNamed('g')[0]!, slots), 12);
});

test('series absent from a scrape read as missing, and stale series are evicted', () => {
  const s = new SeriesStore({ capacity: 4 });
  s.commit(1000, batchOf([['a', '', 1], ['b', '', 1]]));
  s.commit(2000, batchOf([['a', '', 2]]));
  const b = s.seriesNamed('b')[0]!;
  assert.ok(Number.isNaN(s.latest(b, s.windowSlots(500))));
  for (let i = 3; i <= 70; i++) s.commit(i * 1000, batchOf([['a', '', i]]));
  assert.equal(s.hasMetric('b'), false);
  assert.equal(s.hasMetric('a'), true);
});

test('time never goes backwards: a clock jump keeps slots ordered', () => {
  const s = new SeriesStore({ capacity: 10 });
  s.commit(5000, batchOf([['c', '', 1]]));
  s.commit(4000, batchOf([['c', '', 2]]));
  assert.ok(s.latestTime! > 5000);
  assert.ok(s.increase(s.seriesNamed('c')[0]!, s.windowSlots(60_000))!.spanMs > 0);
});

test('series cap drops and counts new series beyond the limit', () => {
  const s = new SeriesStore({ capacity: 3, maxSeries: 2 });
  s.commit(1000, batchOf([['a', '', 1], ['b', '', 1], ['c', '', 1]]));
  assert.equal(s.series.size, 2);
  assert.equal(s.droppedSeries, 1);
});

test('labels are decoded lazily with escapes', () => {
  const s = new SeriesStore({ capacity: 3 });
  s.commit(1000, batchOf([['m', 'path="/a\\"b",method="GET"', 1]]));
  assert.deepEqual(s.seriesNamed('m')[0]!.labels, { path: '/a"b', method: 'GET' });
});
