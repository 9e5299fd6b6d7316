// Statistics of issue 5 (src/core/compare/stats.ts) against published results and by simulation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHistogram, newHistogram, recordMs } from '../../src/core/load/recorder';
import {
  bootstrapDiff,
  drawSamples,
  mannWhitneyU,
  mannWhitneyWeighted,
  minSamplesFor,
  mulberry32,
  normalSf,
  randomNormal,
  subsample,
  weightedFromEncoded,
  weightedFromSamples,
  weightedMean,
  weightedQuantile,
} from '../../src/core/compare/stats';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);

test('mulberry32 is reproducible and uniform enough', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 10_000 }, () => a());
  for (const x of xs.slice(0, 100)) assert.equal(x, b());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  close(xs.reduce((s, x) => s + x, 0) / xs.length, 0.5, 0.01, 'mean');
  assert.notEqual(mulberry32(43)(), mulberry32(42)());
});

test('normal tail matches reference values', () => {
  // scipy.stats.norm.sf
  close(normalSf(1.96), 0.024997895148220435, 1e-15, 'sf(1.96)');
  close(normalSf(5), 2.866515718791933e-7, 1e-20, 'sf(5)');
  close(normalSf(-2), 0.9772498680518208, 1e-14, 'sf(-2)');
});

test('Mann-Whitney U: the scipy.stats.mannwhitneyu documentation example (males vs females ages)', () => {
  // scipy docs, mannwhitneyu "Examples" (from Conover's textbook example as used there):
  // U1 = 17, exact p = 0.1111111111111111, asymptotic (continuity-corrected) p = 0.11134688653314041.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];
  const exact = mannWhitneyU(males, females, { method: 'exact' });
  assert.equal(exact.u1, 17);
  assert.equal(exact.u2, 3);
  assert.equal(exact.method, 'exact');
  close(exact.p, 0.1111111111111111, 1e-12, 'exact p');
  assert.equal(mannWhitneyU(males, females).method, 'exact', 'auto picks exact for small samples without ties');
  const normal = mannWhitneyU(males, females, { method: 'normal' });
  close(normal.p, 0.11134688653314041, 1e-12, 'asymptotic p');
  assert.ok(normal.z < 0, 'the second sample (females) tends lower');
  close(normal.z, -(17 - 10 - 0.5) / Math.sqrt((5 * 4 * 10) / 12), 1e-12, 'z by hand');
});

test("Mann-Whitney U: R's wilcox.test example (Hollander & Wolfe 1973, p. 69), W = 35, p = 0.2544", () => {
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  const r = mannWhitneyU(x, y);
  assert.equal(r.u1, 35);
  close(r.p, 0.2544122544122544, 1e-12, 'exact p'); // R: p-value = 0.2544; scipy exact 0.2544122544122544
  close(mannWhitneyU(x, y, { method: 'normal' }).p, 0.24462360512698333, 1e-12, 'asymptotic p (scipy)');
});

test('Mann-Whitney U exact distribution at n1 = n2 = 20 and 25 matches scipy (method="exact")', () => {
  const x = Array.from({ length: 25 }, (_, k) => (((k + 1) * 37) % 101) + 0.5);
  const y = Array.from({ length: 25 }, (_, k) => (((k + 1) * 53) % 97) + 3.25);
  const r = mannWhitneyU(x, y);
  assert.equal(r.method, 'exact');
  assert.equal(r.u1, 324);
  close(r.p, 0.8324807897724014, 1e-12, 'p (25 vs 25)');
  const x2 = [1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 10.1, 11.1, 12.2, 13.3, 14.4, 15.5, 16.6, 17.7, 18.8, 19.9, 20.1];
  const y2 = x2.map((v) => v + 7.05);
  const r2 = mannWhitneyU(x2, y2);
  assert.equal(r2.u1, 83);
  close(r2.p, 0.0011600732885251911, 1e-14, 'p (20 vs 20)');
});

test('Mann-Whitney U with ties: tie correction and continuity match scipy', () => {
  // Hand-made, checked with scipy 1.17: mannwhitneyu(x, y, method='asymptotic'[, use_continuity=False])
  const x = [1, 2, 2, 3, 3, 3, 4, 5];
  const y = [3, 4, 4, 5, 5, 6, 7, 7, 8];
  const r = mannWhitneyU(x, y);
  assert.equal(r.method, 'normal', 'ties force the normal approximation');
  assert.equal(r.u1, 7.5);
  close(r.p, 0.006373133838085873, 1e-12, 'p with continuity');
  close(mannWhitneyU(x, y, { continuity: false }).p, 0.0054921866892152955, 1e-12, 'p without continuity');
  assert.throws(() => mannWhitneyU(x, y, { method: 'exact' }), /ties/);
  // The weighted form gives the same answer as the raw samples.
  const w = mannWhitneyWeighted(weightedFromSamples(x), weightedFromSamples(y));
  assert.equal(w.u1, r.u1);
  assert.equal(w.p, r.p);
});

test('Mann-Whitney U: symmetric, and p = 1 for identical samples', () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6];
  const same = mannWhitneyU(x, x);
  assert.equal(same.p, 1);
  assert.equal(same.effect, 0.5);
  const a = mannWhitneyU([1, 2, 3, 10, 11], [4, 5, 6, 7, 8, 9]);
  const b = mannWhitneyU([4, 5, 6, 7, 8, 9], [1, 2, 3, 10, 11]);
  assert.equal(a.p, b.p);
  assert.equal(a.u1, b.u2);
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
});

test('minSamplesFor: ten observations beyond the quantile', () => {
  assert.equal(minSamplesFor(0.5), 20);
  assert.equal(minSamplesFor(0.95), 200);
  assert.equal(minSamplesFor(0.99), 1000);
  assert.equal(minSamplesFor(0.999), 10_000);
  assert.throws(() => minSamplesFor(1), RangeError);
});

test('weighted quantiles and mean follow the HDR definition', () => {
  const w = weightedFromSamples([5, 1, 3, 3, 2, NaN]);
  assert.equal(w.total, 5);
  assert.deepEqual([...w.values], [1, 2, 3, 5]);
  assert.deepEqual([...w.counts], [1, 1, 2, 1]);
  assert.equal(weightedQuantile(w, 0.5), 3); // rank ceil(2.5) = 3
  assert.equal(weightedQuantile(w, 0), 1);
  assert.equal(weightedQuantile(w, 1), 5);
  assert.equal(weightedQuantile(w, 0.2), 1);
  assert.equal(weightedMean(w), 14 / 5);
  assert.ok(Number.isNaN(weightedQuantile(weightedFromSamples([]), 0.5)));
});

function logNormal(rng: () => number, n: number, medianMs: number, sigma: number, scale = 1): number[] {
  return Array.from({ length: n }, () => medianMs * scale * Math.exp(sigma * randomNormal(rng)));
}

test('histogram round trip with the real encoder: counts, quantiles and mean survive', () => {
  const rng = mulberry32(7);
  const xs = logNormal(rng, 50_000, 20, 0.6);
  const h = newHistogram();
  for (const x of xs) recordMs(h, x);
  const w = weightedFromEncoded(encodeHistogram(h));
  assert.equal(w.total, 50_000);
  assert.ok(w.values.length < 5000, `${w.values.length} buckets`);
  for (let i = 1; i < w.values.length; i++) assert.ok(w.values[i]! > w.values[i - 1]!);
  const raw = weightedFromSamples(xs);
  for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
    const a = weightedQuantile(raw, q);
    close(weightedQuantile(w, q), a, a * 0.001 + 0.001, `q${q}`);
    // and agrees with the histogram's own percentile (its bucket's highest equivalent value)
    close(weightedQuantile(w, q), h.getValueAtPercentile(q * 100) / 1000, a * 0.001 + 0.001, `hdr q${q}`);
  }
  close(weightedMean(w), weightedMean(raw), weightedMean(raw) * 0.0005, 'mean');
  // Mann-Whitney on the histograms agrees with the raw samples (buckets act as small tie groups).
  const ys = logNormal(rng, 50_000, 20, 0.6, 1.02);
  const h2 = newHistogram();
  for (const y of ys) recordMs(h2, y);
  const onHist = mannWhitneyWeighted(w, weightedFromEncoded(encodeHistogram(h2)));
  const onRaw = mannWhitneyU(xs, ys);
  close(onHist.effect, onRaw.effect, 0.001, 'effect');
  close(onHist.z, onRaw.z, 0.05, 'z');
});

test('drawing from a histogram follows its weights; subsample keeps small ones whole', () => {
  const w = weightedFromSamples([1, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
  const rng = mulberry32(3);
  const draws = drawSamples(w, 100_000, rng);
  const share = (v: number) => draws.filter((d) => d === v).length / draws.length;
  close(share(1), 0.1, 0.005, 'share of 1');
  close(share(2), 0.3, 0.007, 'share of 2');
  close(share(3), 0.6, 0.007, 'share of 3');
  assert.equal(subsample(w, 50, rng), w);
  const s = subsample(w, 5, rng);
  assert.equal(s.total, 5);
  assert.equal([...s.counts].reduce((a, b) => a + b, 0), 5);
});

test('bootstrap is seeded: same seed, same interval; the interval brackets the estimate', () => {
  const rng = mulberry32(11);
  const a = logNormal(rng, 500, 20, 0.5);
  const b = logNormal(rng, 500, 20, 0.5, 1.1);
  const r1 = bootstrapDiff(a, b, 'p50', { seed: 5, resamples: 500 });
  const r2 = bootstrapDiff(a, b, 'p50', { seed: 5, resamples: 500 });
  assert.deepEqual(r1, r2);
  assert.ok(r1.diffCI[0] <= r1.diff && r1.diff <= r1.diffCI[1]);
  assert.ok(r1.changeCI[0] <= r1.changePct && r1.changePct <= r1.changeCI[1]);
  assert.deepEqual(r1.drawn, [500, 500]);
  const capped = bootstrapDiff(a, b, 'p50', { seed: 5, resamples: 500, maxResample: 100 });
  assert.deepEqual(capped.drawn, [100, 100]);
  assert.ok(capped.diffCI[1] - capped.diffCI[0] > r1.diffCI[1] - r1.diffCI[0], 'm-out-of-n intervals are wider');
});

test('bootstrap CI coverage by simulation: the 95 % CI of the median difference covers the truth in ~95 % of 200 experiments', () => {
  // Baseline log-normal(median 20 ms, σ 0.5), current the same × 1.1: the true median difference is 2 ms.
  const rng = mulberry32(2026);
  const experiments = 200;
  let covered = 0;
  for (let e = 0; e < experiments; e++) {
    const a = logNormal(rng, 300, 20, 0.5);
    const b = logNormal(rng, 300, 20, 0.5, 1.1);
    const r = bootstrapDiff(a, b, 'p50', { seed: e + 1, resamples: 400 });
    if (r.diffCI[0] <= 2 && 2 <= r.diffCI[1]) covered++;
  }
  const rate = covered / experiments;
  assert.ok(rate >= 0.9 && rate <= 0.99, `coverage ${rate}`);
});
