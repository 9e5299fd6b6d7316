// Random numbers and latency distributions. Real services have log-normal
// bodies with a separate long tail (GC pauses, cold paths, slow upstreams), so a
// profile is a log-normal mixed with an optional, rarer, slower log-normal.

import { mulberry32 } from '../core/random';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** Reproducible with --seed: the same mulberry32 generator the comparison statistics use. */
export function createRng(seed: number | null): Rng {
  return { next: mulberry32(seed ?? Math.floor(Math.random() * 2 ** 32)) };
}

/** Standard normal via Box–Muller (1 - u keeps log() away from 0). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal parameterised by its median (more intuitive than mu) and sigma. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

export interface LatencyProfile {
  medianMs: number;
  sigma: number;
  tail?: { probability: number; medianMs: number; sigma: number };
  /** Hard cap so a freak draw cannot stall a request for minutes. */
  maxMs?: number;
}

export function drawLatency(rng: Rng, p: LatencyProfile): number {
  const useTail = p.tail !== undefined && rng.next() < p.tail.probability;
  const ms = useTail && p.tail ? logNormal(rng, p.tail.medianMs, p.tail.sigma) : logNormal(rng, p.medianMs, p.sigma);
  return Math.min(ms, p.maxMs ?? 30_000);
}

/** Integer uniform in [lo, hi]. */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new Error('pick from empty list');
  return item;
}

/** Poisson count (arrivals per tick): Knuth for small means, normal approximation above. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
