// Simulated response cache. Its hit probability warms up from cold (~15 %) to
// steady (~75 %) over the warm-up period, so a freshly started service shows the
// cache-warming curve users see after a deploy.

import type { Rng } from './latency';

export interface CacheOptions {
  warmupSeconds: number;
  rng: Rng;
  /** ms clock; injectable for tests. */
  now?: () => number;
  coldHitRate?: number;
  steadyHitRate?: number;
  onLookup?: (hit: boolean) => void;
}

export interface CacheStats {
  enabled: boolean;
  hits: number;
  misses: number;
  hitRatePercent: number;
}

export class SimCache {
  private hitCount = 0;
  private missCount = 0;
  private readonly startedAt: number;
  private readonly now: () => number;

  constructor(private readonly o: CacheOptions) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Current hit probability: ease-out from cold to steady across the warm-up. */
  hitProbability(): number {
    const cold = this.o.coldHitRate ?? 0.15;
    const steady = this.o.steadyHitRate ?? 0.75;
    const warmupMs = this.o.warmupSeconds * 1000;
    const x = warmupMs > 0 ? Math.min(1, (this.now() - this.startedAt) / warmupMs) : 1;
    return cold + (steady - cold) * (1 - (1 - x) * (1 - x));
  }

  /** One lookup; forceMiss for keys that cannot be cached (e.g. unknown ids). */
  lookup(forceMiss = false): boolean {
    const hit = !forceMiss && this.o.rng.next() < this.hitProbability();
    if (hit) this.hitCount++;
    else this.missCount++;
    this.o.onLookup?.(hit);
    return hit;
  }

  stats(): CacheStats {
    const total = this.hitCount + this.missCount;
    return {
      enabled: true,
      hits: this.hitCount,
      misses: this.missCount,
      hitRatePercent: total > 0 ? round((this.hitCount / total) * 100, 2) : 0,
    };
  }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
