// Quantiles of one endpoint's durations in bounded memory: exact while few (nearest rank on the
// sorted values), then log-spaced buckets 1 % wide (the quantile is within 1 % of the true one).

const EXACT_LIMIT = 1024;
const GROWTH = Math.log1p(0.02); // bucket i covers [e^(i·g), e^((i+1)·g)): ±1 % around its middle
/** Durations below this (1 µs) share bucket "zero". */
const FLOOR_MS = 1e-3;
const NONE = new Float64Array(0);

/** A sketch as plain data (for a worker thread's result). */
export interface SketchState {
  count: number;
  max: number;
  min: number;
  sum: number;
  exact: number[] | null;
  buckets: [number, number][] | null;
  zeros: number;
}

export class DurationSketch {
  count = 0;
  max = -Infinity;
  min = Infinity;
  sum = 0;
  // Fields keep one type for the sketch's life (no null, no switch of array kind): a field whose
  // type changes mid-scan throws away the optimised code of every reader that inlined add().
  /** The values while exact: exact[0, held). */
  private exact = new Float64Array(16);
  private held = 0;
  /** counts[i]: values in bucket base + i (an array, not a Map: one add per request line); NONE while exact. */
  private counts = NONE;
  private base = 0;
  private zeros = 0;

  add(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
    if (this.bucketed) this.bucket(ms);
    else this.hold(ms);
  }

  private get bucketed(): boolean {
    return this.counts !== NONE;
  }

  /** Nearest-rank quantile (the smallest value with at least q of them at or below it); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (!this.bucketed) return this.exact.subarray(0, this.held).sort()[rank - 1]!;
    let seen = this.zeros;
    if (seen >= rank) return this.min;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      // The bucket's geometric middle, kept within what was observed.
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, Math.exp((this.base + i + 0.5) * GROWTH)));
    }
    return this.max;
  }

  state(): SketchState {
    const { count, max, min, sum, zeros } = this;
    let buckets: [number, number][] | null = null;
    if (this.bucketed) {
      buckets = [];
      this.counts.forEach((n, i) => n > 0 && buckets!.push([this.base + i, n]));
    }
    return { count, max, min, sum, zeros, exact: this.bucketed ? null : Array.from(this.exact.subarray(0, this.held)), buckets };
  }

  /** Adds another sketch's values (its state()): the same state as adding them one by one (exact while ≤ 1024 in all). */
  merge(o: SketchState): void {
    this.count += o.count;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
    if (o.min < this.min) this.min = o.min;
    if (!this.bucketed && o.exact && this.held + o.exact.length <= EXACT_LIMIT) {
      for (const v of o.exact) this.hold(v);
      return;
    }
    if (!this.bucketed) this.toBuckets();
    this.zeros += o.zeros;
    if (o.exact) for (const v of o.exact) this.bucket(v);
    else for (const [k, n] of o.buckets ?? []) this.bump(k, n);
  }

  private hold(ms: number): void {
    if (this.held === this.exact.length) {
      if (this.held === EXACT_LIMIT) return this.toBuckets(ms);
      const more = new Float64Array(Math.min(EXACT_LIMIT, 2 * this.held));
      more.set(this.exact);
      this.exact = more;
    }
    this.exact[this.held++] = ms;
  }

  /** From exact values to buckets (then ms, when given). */
  private toBuckets(ms?: number): void {
    const values = this.exact.subarray(0, this.held);
    this.exact = NONE;
    this.held = 0;
    this.counts = new Float64Array(256);
    // Centred on a value seen (empty when merging into a new sketch); it widens as needed.
    this.base = values.length > 0 ? bucketOf(Math.max(FLOOR_MS, values[values.length >> 1]!)) - 128 : 0;
    for (const v of values) this.bucket(v);
    if (ms !== undefined) this.bucket(ms);
  }

  private bucket(ms: number): void {
    if (ms < FLOOR_MS) {
      this.zeros++;
      return;
    }
    this.bump(bucketOf(ms), 1);
  }

  private bump(k: number, n: number): void {
    let i = k - this.base;
    if (i < 0 || i >= this.counts.length) i = this.grow(k);
    const c = this.counts;
    c[i] = c[i]! + n;
  }

  /** Widens counts (at least doubling) to hold bucket k; returns k's index. */
  private grow(k: number): number {
    const old = this.counts;
    const lo = Math.min(this.base, k);
    const hi = Math.max(this.base + old.length, k + 1);
    const size = Math.max(2 * old.length, hi - lo);
    const base = k < this.base ? hi - size : lo;
    const counts = new Float64Array(size);
    counts.set(old, this.base - base);
    this.counts = counts;
    this.base = base;
    return k - base;
  }
}

/** Bucket of whole-ms durations, computed once each (the same expression, so the same bucket). */
const SMALL = new Int32Array(1 << 16).fill(-1 >>> 1);

function bucketOf(ms: number): number {
  if (ms < SMALL.length && Number.isInteger(ms)) {
    let k = SMALL[ms]!;
    if (k === -1 >>> 1) k = SMALL[ms] = Math.floor(Math.log(ms) / GROWTH);
    return k;
  }
  return Math.floor(Math.log(ms) / GROWTH);
}
