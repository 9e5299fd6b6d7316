import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramQuantile } from '../../src/core/quantile';

const b = (pairs: [number, number][]) => pairs.map(([upperBound, count]) => ({ upperBound, count }));

test('interpolates linearly inside the bucket holding the rank (Prometheus rules)', () => {
  // 100 observations: 50 ≤ 0.1, 90 ≤ 0.5, 100 ≤ 1.
  const buckets = b([[0.1, 50], [0.5, 90], [1, 100], [Infinity, 100]]);
  assert.equal(histogramQuantile(0.5, buckets), 0.1);
  // rank 95 lies in (0.5, 1]: 0.5 + 0.5 * (95-90)/10
  assert.ok(Math.abs(histogramQuantile(0.95, buckets) - 0.75) < 1e-12);
  // rank 25 in the first bucket: lower bound 0
  assert.ok(Math.abs(histogramQuantile(0.25, buckets) - 0.05) < 1e-12);
});

test('rank in +Inf bucket returns the highest finite bound', () => {
  assert.equal(histogramQuantile(0.99, b([[0.1, 10], [0.2, 20], [Infinity, 100]])), 0.2);
});

test('NaN without +Inf bucket or without observations; ±Inf outside [0,1]', () => {
  assert.ok(Number.isNaN(histogramQuantile(0.5, b([[0.1, 1], [0.2, 2]]))));
  assert.ok(Number.isNaN(histogramQuantile(0.5, b([[0.1, 0], [Infinity, 0]]))));
  assert.equal(histogramQuantile(-1, b([[0.1, 1], [Infinity, 1]])), -Infinity);
  assert.equal(histogramQuantile(2, b([[0.1, 1], [Infinity, 1]])), Infinity);
});

test('unsorted input, duplicate bounds are summed, non-monotonic counts are flattened', () => {
  const q = histogramQuantile(0.5, b([[Infinity, 10], [0.2, 4], [0.1, 3], [0.2, 4], [0.4, 7]]));
  // after coalescing: 0.1:3, 0.2:8, 0.4:7→8 (monotonic), Inf:10 → rank 5 in (0.1,0.2]
  assert.ok(Math.abs(q - (0.1 + 0.1 * (2 / 5))) < 1e-12);
});
