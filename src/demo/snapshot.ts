// The /api/v1/metrics JSON, in exactly the shape our users' FastAPI services
// return (key order included), filled with real process / OS numbers.

import * as os from 'node:os';
import { round, type CacheStats } from './cache';

export interface MetricsSnapshot {
  timestamp: string;
  system: { cpu_percent: number; memory_mb: number; memory_percent: number; memory_available_mb: number };
  database: { pool_size: number; pool_available: number; pool_active: number; pool_utilization_percent: number };
  cache: { enabled: boolean; hits: number; misses: number; hit_rate_percent: number };
}

const MB = 1024 * 1024;
/** Shorter windows than this would make cpu_percent jumpy when several clients poll. */
const MIN_CPU_WINDOW_MS = 500;

/**
 * Process CPU % (100 = one core busy, like psutil's Process.cpu_percent) from
 * process.cpuUsage() deltas over the window since the previous sample.
 */
export class CpuSampler {
  private lastAt: number;
  private lastUsage: NodeJS.CpuUsage;
  private lastPercent = 0;
  private sampled = false;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastAt = this.now();
    this.lastUsage = process.cpuUsage();
  }

  percent(): number {
    const at = this.now();
    const elapsedMs = at - this.lastAt;
    if ((this.sampled && elapsedMs < MIN_CPU_WINDOW_MS) || elapsedMs <= 0) return this.lastPercent;
    const usage = process.cpuUsage();
    const cpuMs = (usage.user - this.lastUsage.user + usage.system - this.lastUsage.system) / 1000;
    this.lastAt = at;
    this.lastUsage = usage;
    this.sampled = true;
    this.lastPercent = round(Math.max(0, (cpuMs / elapsedMs) * 100), 1);
    return this.lastPercent;
  }
}

/** Total memory the process may use: the cgroup limit when there is one, else physical RAM. */
function totalMemoryBytes(): number {
  const total = os.totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}

export function buildSnapshot(
  cpu: CpuSampler,
  pool: { size: number; active: number; idle: number },
  cache: CacheStats,
  at: Date = new Date(),
): MetricsSnapshot {
  const rss = process.memoryUsage.rss();
  return {
    timestamp: at.toISOString(),
    system: {
      cpu_percent: cpu.percent(),
      memory_mb: round(rss / MB, 1),
      memory_percent: round((rss / totalMemoryBytes()) * 100, 1),
      memory_available_mb: round(os.freemem() / MB, 1),
    },
    database: {
      pool_size: pool.size,
      pool_available: pool.idle,
      pool_active: pool.active,
      pool_utilization_percent: round((pool.active / pool.size) * 100, 2),
    },
    cache: {
      enabled: cache.enabled,
      hits: cache.hits,
      misses: cache.misses,
      hit_rate_percent: cache.hitRatePercent,
    },
  };
}
