// Run records for comparison tests: real encoded HDR histograms of seeded log-normal latencies.
import type { Point } from '../../src/dashboard/protocol';
import { encodeHistogram, newHistogram, recordMs } from '../../src/core/load/recorder';
import type { LoadConfig, LoadResult } from '../../src/core/load/types';
import { buildRunRecord, type RunEnvironment, type RunRecord } from '../../src/core/runs/record';
import { mulberry32, randomNormal } from '../../src/core/compare/stats';

export const ENV: RunEnvironment = {
  machine: { hostname: 'dev-box', platform: 'linux', release: '6.1.0', arch: 'x64', cpus: { model: 'Example CPU', count: 8 }, memoryMb: 16000 },
  node: 'v20.20.2',
  pulseVersion: '0.1.0',
  git: { commit: 'b'.repeat(40), branch: 'main', dirty: false },
};

export const CONFIG: LoadConfig = { target: 'http://127.0.0.1:8000', requests: [{ method: 'GET', path: '/api/v1/forecast' }], model: { kind: 'open', rate: 100 }, profile: 'steady', durationMs: 10_000 };

export function point(t: number, over: Partial<Point> = {}): Point {
  return { t, p50: 20, p95: 80, p99: 150, mean: 30, rps: 100, err: 0, status: null, hit: 0.8, poolActive: 5, poolSize: 10, pool: 0.5, cpu: 40, memMb: 500, memPct: 30, routes: {}, heat: null, ...over };
}

export interface FakeRun {
  name?: string;
  seed?: number;
  n?: number;
  /** Multiplies every latency. */
  scale?: number;
  errors?: number;
  points?: Point[];
  config?: LoadConfig;
  environment?: RunEnvironment;
}

/** A Pulse run: n log-normal latencies (median 20 ms × scale) over 10 s, plus a service timeline. */
export function fakeRun(o: FakeRun = {}): RunRecord {
  const n = o.n ?? 4000;
  const rng = mulberry32(o.seed ?? 1);
  const h = newHistogram();
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = 20 * (o.scale ?? 1) * Math.exp(0.5 * randomNormal(rng));
    recordMs(h, v);
    lat.push(v);
  }
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(n - 1, Math.ceil(p * n) - 1)]!;
  const result: LoadResult = {
    requests: n,
    durationS: 10,
    rps: n / 10,
    latencyMs: { p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), p999: q(0.999), max: lat[n - 1]!, mean: lat.reduce((a, b) => a + b, 0) / n, min: lat[0]! },
    errors: { connect: 0, timeout: 0, reset: 0, http: o.errors ?? 0, other: 0 },
    statusCodes: { '200': n - (o.errors ?? 0), '500': o.errors ?? 0 },
    timeline: Array.from({ length: 10 }, (_, t) => ({ t, sent: n / 10, completed: n / 10, errors: 0, targetRate: 100, p50: q(0.5), p95: q(0.95), p99: q(0.99), status: {} })),
    histogram: encodeHistogram(h),
    stoppedBy: 'duration',
  };
  const t0 = Date.parse('2026-01-23T14:30:00Z');
  return buildRunRecord({
    name: o.name ?? 'forecast steady',
    source: 'pulse',
    config: o.config ?? CONFIG,
    result,
    environment: o.environment ?? ENV,
    serviceTimeline: o.points ?? [point(t0), point(t0 + 2000), point(t0 + 4000)],
    startedAt: t0,
    createdAt: new Date(t0 + 11_000),
  });
}
