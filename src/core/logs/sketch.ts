// Quantiles of one endpoint's durations in bounded memory: exact while few (nearest rank on the
// sorted values), then log-spaced buckets 1 % wide (the quantile is within 1 % of the true one).

const EXACT_LIMIT = 1024;
const GROWTH = Math.log1p(0.02); // bucket i covers [e^(i·g), e^((i+1)·g)): ±1 % around its middle
/** Durations below this (1 µs) share bucket "zero". */
const FLOOR_MS = 1e-3;

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
  private exact: number[] | null = [];
  private buckets: Map<number, number> | null = null;
  private zeros = 0;

  add(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (ms < this.min) this.min = ms;
    if (this.exact) {
      this.exact.push(ms);
      if (this.exact.length > EXACT_LIMIT) this.toBuckets();
    } else this.bucket(ms);
  }

  /** Nearest-rank quantile (the smallest value with at least q of them at or below it); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (this.exact) {
      this.exact.sort((a, b) => a - b);
      return this.exact[rank - 1]!;
    }
    let seen = this.zeros;
    if (seen >= rank) return this.min;
    const keys = [...this.buckets!.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.buckets!.get(k)!;
      // The bucket's geometric middle, kept within what was observed.
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, Math.exp((k + 0.5) * GROWTH)));
    }
    return this.max;
  }

  state(): SketchState {
    const { count, max, min, sum, zeros } = this;
    return { count, max, min, sum, zeros, exact: this.exact ? [...this.exact] : null, buckets: this.buckets ? [...this.buckets] : null };
  }

  /** Adds another sketch's values (its state()): the same state as adding them one by one (exact while ≤ 1024 in all). */
  merge(o: SketchState): void {
    this.count += o.count;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
    if (o.min < this.min) this.min = o.min;
    if (this.exact && o.exact && this.exact.length + o.exact.length <= EXACT_LIMIT) {
      for (const v of o.exact) this.exact.push(v);
      return;
    }
    if (this.exact) this.toBuckets();
    this.zeros += o.zeros;
    if (o.exact) for (const v of o.exact) this.bucket(v);
    else for (const [k, n] of o.buckets ?? []) this.buckets!.set(k, (this.buckets!.get(k) ?? 0) + n);
  }

  private toBuckets(): void {
    const values = this.exact!;
    this.exact = null;
    this.buckets = new Map();
    for (const v of values) this.bucket(v);
  }

  private bucket(ms: number): void {
    if (ms < FLOOR_MS) {
      this.zeros++;
      return;
    }
    const k = bucketOf(ms);
    this.buckets!.set(k, (this.buckets!.get(k) ?? 0) + 1);
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
