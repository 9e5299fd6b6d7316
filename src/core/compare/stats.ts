// Statistics for comparing two latency distributions (issue 5): a seeded PRNG so every verdict
// is reproducible, the Mann-Whitney U test, percentile-bootstrap confidence intervals, and the
// same operations on HDR histograms, which is what run records keep (never raw samples).
//
// A distribution is held as `Weighted`: distinct values ascending with their counts. Raw samples
// become weights of 1; a decoded HDR histogram becomes one pair per non-empty bucket, valued at
// the bucket's median-equivalent value (within 0.05 % of every value recorded in it at 3
// significant digits). Every computation below works on that one form, so raw samples and
// histograms are treated alike and nothing ever expands a histogram into its millions of values.
//
// No vscode import.

import type { Histogram } from '../load/recorder';
import { decodeHistogram } from '../load/recorder';
import { mulberry32, type Rng } from '../random';

// Re-exported: the statistics' callers seed through this module.
export { mulberry32, type Rng };

// --- random numbers ------------------------------------------------------------------------

/** A standard normal deviate (Box-Muller). */
export function randomNormal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

// --- the normal distribution ---------------------------------------------------------------

/** Complementary error function. */
function erfc(x: number): number {
  // Numerical Recipes 3rd ed. §6.2.2 (Chebyshev coefficients), accurate to ~1.2e-16.
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  const cof = [-1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17];
  let d = 0;
  let dd = 0;
  for (let j = cof.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + cof[j]!;
    dd = tmp;
  }
  const r = t * Math.exp(-z * z + 0.5 * (cof[0]! + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** P(Z > z), accurate in the far tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// --- weighted distributions ----------------------------------------------------------------

/** Distinct values ascending with their counts (counts > 0). */
export interface Weighted {
  values: Float64Array;
  counts: Float64Array;
  /** Sum of counts. */
  total: number;
}

/** Raw samples → weighted form (sorted, equal values merged). Non-finite samples are dropped. */
export function weightedFromSamples(samples: readonly number[]): Weighted {
  const s = samples.filter(Number.isFinite).sort((a, b) => a - b);
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of s) {
    if (values.length && values[values.length - 1] === v) counts[counts.length - 1]!++;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), total: s.length };
}

/**
 * A decoded HDR histogram (values in µs, as recorder.ts records them) → (value, count) pairs,
 * one per non-empty bucket, values in milliseconds at the bucket's median-equivalent value.
 */
export function weightedFromHistogram(h: Histogram): Weighted {
  const values: number[] = [];
  const counts: number[] = [];
  let total = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) {
      values.push(h.medianEquivalentValue(h.valueFromIndex(i)) / 1000);
      counts.push(c);
      total += c;
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), total };
}

/** An encoded histogram (LoadResult.histogram) → weighted form in ms. */
export function weightedFromEncoded(encoded: string): Weighted {
  return weightedFromHistogram(decodeHistogram(encoded));
}

/**
 * Quantile q (0–1) of a weighted distribution: the smallest value whose cumulative count reaches
 * ceil(q·total) (at least 1) — HdrHistogram's definition, so it agrees with the histogram's own
 * percentiles up to the bucket representative. NaN when empty.
 */
export function weightedQuantile(w: Weighted, q: number): number {
  return quantileOfCounts(w.values, w.counts, w.total, q);
}

export function weightedMean(w: Weighted): number {
  return meanOfCounts(w.values, w.counts, w.total);
}

function quantileOfCounts(values: Float64Array, counts: Float64Array, total: number, q: number): number {
  if (!(total > 0)) return NaN;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * total - 1e-9));
  let cum = 0;
  for (let i = 0; i < values.length; i++) {
    cum += counts[i]!;
    if (cum >= rank) return values[i]!;
  }
  return values[values.length - 1]!;
}

function meanOfCounts(values: Float64Array, counts: Float64Array, total: number): number {
  if (!(total > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * counts[i]!;
  return s / total;
}

/**
 * Draws values in proportion to their counts (with replacement) in O(1) each: Vose's alias method,
 * built once per distribution in O(distinct values).
 */
export class WeightedSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  constructor(readonly dist: Weighted) {
    const n = dist.values.length;
    if (!n || !(dist.total > 0)) throw new RangeError('cannot sample from an empty distribution');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (dist.counts[i]! * n) / dist.total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1; // rounding leftovers
  }
  /** Index of one drawn value in dist.values. */
  drawIndex(rng: Rng): number {
    const n = this.prob.length;
    const x = rng() * n;
    const i = Math.min(n - 1, Math.floor(x));
    return x - i < this.prob[i]! ? i : this.alias[i]!;
  }
  draw(rng: Rng): number {
    return this.dist.values[this.drawIndex(rng)]!;
  }
  /** m draws, as counts per distinct value (a resample in weighted form, sharing `values`). */
  resample(m: number, rng: Rng, out = new Float64Array(this.prob.length)): Weighted {
    out.fill(0);
    for (let k = 0; k < m; k++) out[this.drawIndex(rng)]!++;
    return { values: this.dist.values, counts: out, total: m };
  }
}

/** m values drawn with replacement in proportion to their counts. */
export function drawSamples(w: Weighted, m: number, rng: Rng): number[] {
  const s = new WeightedSampler(w);
  const out: number[] = new Array(m);
  for (let k = 0; k < m; k++) out[k] = s.draw(rng);
  return out;
}

/**
 * A subsample of m observations as a weighted distribution: the whole distribution when it has no
 * more than m, else m draws with replacement in proportion to the counts (when total ≫ m, as
 * whenever this matters, with and without replacement are the same for practical purposes).
 */
export function subsample(w: Weighted, m: number, rng: Rng): Weighted {
  if (m >= w.total) return w;
  const r = new WeightedSampler(w).resample(m, rng);
  const values: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < r.counts.length; i++) {
    if (r.counts[i]! > 0) {
      values.push(w.values[i]!);
      kept.push(r.counts[i]!);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(kept), total: m };
}

// --- Mann-Whitney U ------------------------------------------------------------------------

export interface MannWhitneyResult {
  /** U of the first sample (x): the number of pairs (x_i, y_j) with x_i > y_j, ties counting ½ (scipy's `statistic`). */
  u1: number;
  /** U of the second sample: n1·n2 − u1. */
  u2: number;
  /** Signed standard score of the normal approximation (computed for both methods): > 0 when the second sample (y) tends to be larger. */
  z: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
  n1: number;
  n2: number;
  /** Probability of superiority P(Y > X) + ½P(Y = X) = u2 / (n1·n2): 0.5 when neither tends higher. */
  effect: number;
}

export interface MannWhitneyOptions {
  /** 'auto' (default): exact when there are no ties and n1 + n2 ≤ 50, else the normal approximation. */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction of the normal approximation (default true, as scipy and R). */
  continuity?: boolean;
}

/** Mann-Whitney U on raw samples. Two-sided; matches scipy.stats.mannwhitneyu and R's wilcox.test. */
export function mannWhitneyU(x: readonly number[], y: readonly number[], opts: MannWhitneyOptions = {}): MannWhitneyResult {
  return mannWhitneyWeighted(weightedFromSamples(x), weightedFromSamples(y), opts);
}

/**
 * Mann-Whitney U on weighted distributions (histograms): midranks over the merged distinct values,
 * so it costs O(distinct values) whatever the counts, with the tie correction for every shared
 * value (a histogram bucket is a tie group).
 */
export function mannWhitneyWeighted(x: Weighted, y: Weighted, opts: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.total;
  const n2 = y.total;
  if (!(n1 > 0) || !(n2 > 0)) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  const n = n1 + n2;
  let i = 0;
  let j = 0;
  let below = 0; // observations ranked before the current group
  let r1 = 0; // rank sum of x
  let tieTerm = 0; // Σ (t³ − t)
  let ties = false;
  while (i < x.values.length || j < y.values.length) {
    const vx = i < x.values.length ? x.values[i]! : Infinity;
    const vy = j < y.values.length ? y.values[j]! : Infinity;
    const v = Math.min(vx, vy);
    const cx = vx === v ? x.counts[i++]! : 0;
    const cy = vy === v ? y.counts[j++]! : 0;
    const t = cx + cy;
    const midrank = below + (t + 1) / 2;
    r1 += cx * midrank;
    if (t > 1) {
      tieTerm += t * t * t - t;
      ties = true;
    }
    below += t;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const sd = Math.sqrt(Math.max(0, variance));
  const cc = opts.continuity === false ? 0 : 0.5;
  const dev = u2 - mu;
  const z = sd > 0 ? (Math.sign(dev) * Math.max(0, Math.abs(dev) - cc)) / sd : 0;
  const method = opts.method ?? 'auto';
  const exact = method === 'exact' || (method === 'auto' && !ties && n <= 50);
  let p: number;
  if (exact) {
    if (ties) throw new RangeError('the exact Mann-Whitney distribution assumes no ties');
    p = Math.min(1, 2 * exactUpperTail(n1, n2, Math.max(u1, u2)));
  } else {
    p = sd > 0 && z !== 0 ? Math.min(1, 2 * normalSf(Math.abs(z))) : 1;
  }
  return { u1, u2, z, p, method: exact ? 'exact' : 'normal', n1, n2, effect: u2 / (n1 * n2) };
}

/**
 * P(U ≥ u) under the null with no ties: U's frequencies are the coefficients of the Gaussian
 * binomial [n1+n2 choose n1]_q, built factor by factor; exact in doubles while C(n1+n2, n1) < 2^53.
 */
function exactUpperTail(n1: number, n2: number, u: number): number {
  const a = Math.min(n1, n2);
  const b = Math.max(n1, n2);
  const deg = a * b;
  let c = new Float64Array(deg + 1);
  c[0] = 1;
  // After step k the polynomial is [b+k choose k]_q.
  for (let k = 1; k <= a; k++) {
    const next = new Float64Array(deg + 1);
    // multiply by (1 − q^(b+k))
    for (let e = 0; e <= deg; e++) next[e] = c[e]! - (e >= b + k ? c[e - b - k]! : 0);
    // divide by (1 − q^k)
    for (let e = k; e <= deg; e++) next[e] = next[e]! + next[e - k]!;
    c = next;
  }
  let total = 0;
  let tail = 0;
  for (let e = 0; e <= deg; e++) {
    total += c[e]!;
    if (e >= u - 1e-9) tail += c[e]!;
  }
  return tail / total;
}

// --- bootstrap -----------------------------------------------------------------------------

export type Statistic = 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'mean';

/** The quantile a percentile statistic names (0–1); null for the mean. */
export function statisticQuantile(s: Statistic): number | null {
  switch (s) {
    case 'p50':
      return 0.5;
    case 'p90':
      return 0.9;
    case 'p95':
      return 0.95;
    case 'p99':
      return 0.99;
    case 'p999':
      return 0.999;
    case 'mean':
      return null;
  }
}

export function statisticOf(w: Weighted, s: Statistic): number {
  const q = statisticQuantile(s);
  return q === null ? weightedMean(w) : weightedQuantile(w, q);
}

/**
 * Observations a tail quantile q needs before it means anything: 10 / (1 − q), so that at least
 * ten observations lie beyond it (p50 → 20, p95 → 200, p99 → 1000, p99.9 → 10 000).
 */
export function minSamplesFor(q: number): number {
  if (!(q >= 0 && q < 1)) throw new RangeError(`quantile must be in [0, 1): ${q}`);
  return Math.ceil(10 / (1 - q) - 1e-9);
}

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the interval (default 0.95). */
  confidence?: number;
  seed?: number;
  /**
   * Size of each resample per side: min(total, maxResample) (default 10 000). Resampling n from n
   * is the ordinary bootstrap; when a run has more observations, each resample draws only
   * maxResample of them (an m-out-of-n bootstrap), which widens the interval by about
   * √(n/m) — deliberately: requests in a load test are autocorrelated (a GC pause or a slow second
   * hits thousands of neighbours), so their effective number is far below the request count, and
   * an interval computed as if millions were independent would be falsely narrow. It also bounds
   * the cost at resamples × 2 × maxResample O(1) draws.
   */
  maxResample?: number;
}

export interface BootstrapResult {
  statistic: Statistic;
  /** The statistic on the full samples. */
  baseline: number;
  current: number;
  /** current − baseline, and its percentile-method interval. */
  diff: number;
  diffCI: [number, number];
  /** (current / baseline − 1) × 100, and its interval. */
  changePct: number;
  changeCI: [number, number];
  /**
   * Two-sided bootstrap p-value for "no difference": 2 × the smaller share of resampled
   * differences on either side of 0 (the CI at level 1 − p just touches 0); floor 1/resamples.
   */
  p: number;
  resamples: number;
  /** Observations drawn per side in each resample. */
  drawn: [number, number];
}

/** Percentile of sorted values with linear interpolation (type 7), for bootstrap intervals. */
function sortedPercentile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile-bootstrap interval for the difference (and relative change) of one statistic between
 * a baseline and a current distribution, each resampled independently. Seeded: same inputs, same
 * interval.
 */
export function bootstrapWeighted(baseline: Weighted, current: Weighted, statistic: Statistic, opts: BootstrapOptions = {}): BootstrapResult {
  return bootstrapWeightedMany(baseline, current, [statistic], opts)[0]!;
}

/** bootstrapWeighted for several statistics computed on the same resamples (one pass of draws). */
export function bootstrapWeightedMany(baseline: Weighted, current: Weighted, statistics: readonly Statistic[], opts: BootstrapOptions = {}): BootstrapResult[] {
  const B = opts.resamples ?? 2000;
  const conf = opts.confidence ?? 0.95;
  const cap = opts.maxResample ?? 10_000;
  if (!(B >= 1)) throw new RangeError(`resamples must be at least 1: ${B}`);
  if (!(conf > 0 && conf < 1)) throw new RangeError(`confidence must be in (0, 1): ${conf}`);
  const rng = mulberry32(opts.seed ?? 1);
  const sa = new WeightedSampler(baseline);
  const sb = new WeightedSampler(current);
  const ma = Math.min(baseline.total, cap);
  const mb = Math.min(current.total, cap);
  const bufA = new Float64Array(baseline.values.length);
  const bufB = new Float64Array(current.values.length);
  const diffs = statistics.map(() => new Float64Array(B));
  const ratios = statistics.map(() => new Float64Array(B));
  for (let k = 0; k < B; k++) {
    const ra = sa.resample(ma, rng, bufA);
    const rb = sb.resample(mb, rng, bufB);
    statistics.forEach((st, s) => {
      const a = statisticOf(ra, st);
      const b = statisticOf(rb, st);
      diffs[s]![k] = b - a;
      ratios[s]![k] = relChange(a, b);
    });
  }
  const lo = (1 - conf) / 2;
  const hi = 1 - lo;
  return statistics.map((statistic, s) => {
    const d = diffs[s]!;
    const r = ratios[s]!;
    let below = 0;
    let above = 0;
    for (const x of d) {
      if (x <= 0) below++;
      if (x >= 0) above++;
    }
    d.sort();
    r.sort();
    const a0 = statisticOf(baseline, statistic);
    const b0 = statisticOf(current, statistic);
    return {
      statistic,
      baseline: a0,
      current: b0,
      diff: b0 - a0,
      diffCI: [sortedPercentile(d, lo), sortedPercentile(d, hi)] as [number, number],
      changePct: relChange(a0, b0),
      changeCI: [sortedPercentile(r, lo), sortedPercentile(r, hi)] as [number, number],
      p: Math.min(1, Math.max(1 / B, (2 * Math.min(below, above)) / B)),
      resamples: B,
      drawn: [ma, mb] as [number, number],
    };
  });
}

/** (b / a − 1) × 100; 0 when both are 0, ±Infinity from a zero baseline. */
function relChange(a: number, b: number): number {
  if (a !== 0) return (b / a - 1) * 100;
  return b === 0 ? 0 : b > 0 ? Infinity : -Infinity;
}

/** bootstrapWeighted on raw samples. */
export function bootstrapDiff(baseline: readonly number[], current: readonly number[], statistic: Statistic, opts: BootstrapOptions = {}): BootstrapResult {
  return bootstrapWeighted(weightedFromSamples(baseline), weightedFromSamples(current), statistic, opts);
}
