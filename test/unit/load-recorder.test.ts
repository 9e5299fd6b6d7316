// HDR latency recording: µs values, 3 significant digits, and the encoded form round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistogram, encodeHistogram, newHistogram, percentileMs, recordMs, summarize } from '../../src/core/load/recorder';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

/** Deterministic long-tailed latencies in ms: mostly ~1 ms, some 10–100 ms, a few seconds. */
function latencies(n: number): number[] {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    out.push(r < 0.9 ? 0.2 + rnd() * 2 : r < 0.999 ? 10 + rnd() * 90 : 1000 + rnd() * 4000);
  }
  return out;
}

test('percentiles survive the encode/decode round trip exactly', () => {
  const h = newHistogram();
  for (const ms of latencies(200_000)) recordMs(h, ms);
  const encoded = encodeHistogram(h);
  assert.match(encoded, /^[A-Za-z0-9+/]+=*$/);
  assert.ok(encoded.length < 20_000, `encoded ${encoded.length} chars`);
  const back = decodeHistogram(encoded);
  assert.equal(back.totalCount, 200_000);
  for (const p of PERCENTILES) assert.equal(back.getValueAtPercentile(p), h.getValueAtPercentile(p), `p${p}`);
  const a = summarize(h);
  const b = summarize(back);
  for (const k of ['p50', 'p90', 'p95', 'p99', 'p999', 'mean'] as const) {
    assert.ok(Math.abs(a[k] - b[k]) <= a[k] * 0.001 + 0.001, `${k}: ${a[k]} vs ${b[k]}`);
  }
  // Decoded histograms keep accepting values (merging runs, adding seconds).
  recordMs(back, 60_000);
  assert.equal(back.totalCount, 200_001);
});

test('values are whole microseconds with 3 significant digits', () => {
  const h = newHistogram();
  recordMs(h, 0.0514); // 51 µs
  recordMs(h, 1.2345); // 1235 µs → within 0.1 %
  recordMs(h, 2500.0004); // 2.5 s
  assert.equal(percentileMs(h, 0), 0.051);
  const p50 = percentileMs(h, 50)!;
  assert.ok(Math.abs(p50 - 1.235) <= 0.0013, String(p50));
  const s = summarize(h);
  assert.equal(s.min, 0.051);
  assert.ok(Math.abs(s.max - 2500) <= 2.5, String(s.max));
  assert.ok(s.p999 <= s.max);
  // Empty: null percentiles, zero summary.
  const e = newHistogram();
  assert.equal(percentileMs(e, 99), null);
  assert.deepEqual(summarize(e), { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 });
  assert.equal(decodeHistogram(encodeHistogram(e)).totalCount, 0);
});

test('a histogram that grew to hours keeps µs resolution at the bottom', () => {
  const h = newHistogram();
  recordMs(h, 0.1);
  recordMs(h, 3_600_000);
  const back = decodeHistogram(encodeHistogram(h));
  assert.equal(percentileMs(back, 1), 0.1);
  assert.ok(Math.abs(percentileMs(back, 100)! - 3_600_000) / 3_600_000 < 0.001);
});
