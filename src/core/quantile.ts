// histogram_quantile with Prometheus' own interpolation rules
// (promql/quantile.go: bucketQuantile), so Pulse and a Prometheus server agree.

export interface Bucket {
  upperBound: number;
  count: number;
}

/**
 * `buckets` are cumulative counts (as `le` buckets are), in any order.
 * Returns NaN when there is nothing to say (no +Inf bucket, no observations), like Prometheus.
 */
export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = [...input].sort((a, b) => a.upperBound - b.upperBound);
  const n = buckets.length;
  if (n < 2) return NaN;
  const last = buckets[n - 1]!;
  if (last.upperBound !== Infinity) return NaN;
  coalesce(buckets);
  ensureMonotonic(buckets);
  const merged = buckets;
  const m = merged.length;
  if (m < 2) return NaN;
  const observations = merged[m - 1]!.count;
  if (!(observations > 0)) return NaN;
  let rank = q * observations;
  let b = merged.findIndex((x) => x.count >= rank);
  if (b < 0) b = m - 1;
  if (b === m - 1) return merged[m - 2]!.upperBound;
  if (b === 0 && merged[0]!.upperBound <= 0) return merged[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = merged[b]!.upperBound;
  let count = merged[b]!.count;
  if (b > 0) {
    bucketStart = merged[b - 1]!.upperBound;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Buckets with the same bound (possible after label-dropping sums) are added together. */
function coalesce(buckets: Bucket[]): void {
  let w = 0;
  for (let r = 0; r < buckets.length; r++) {
    const cur = buckets[r]!;
    const prev = w > 0 ? buckets[w - 1]! : undefined;
    if (prev && prev.upperBound === cur.upperBound) prev.count += cur.count;
    else buckets[w++] = { upperBound: cur.upperBound, count: cur.count };
  }
  buckets.length = w;
}

/** Rates of separate bucket series can be slightly non-monotonic; Prometheus flattens them. */
function ensureMonotonic(buckets: Bucket[]): void {
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}
