// Load profiles as piecewise-linear plans: what the target (connections in the closed model,
// req/s in the open model) is at any moment of a run, and how many arrivals a rate plan
// expects between two moments. Pure maths, no timers.
//
// Named profiles, for a base target B over a run of D ms:
//   steady  B for the whole run.
//   ramp    0 → B linearly over the whole run (where does latency start to bend?).
//   spike   B/5 for 40 % of the run, a jump to B held for 20 %, then back to B/5.
//   soak    0 → B over min(10 % of D, 60 s), then B for the rest (long runs: leaks, pool creep).
//   stages  config.stages, starting from 0; a stage with durationMs 0 jumps straight to its
//           target. After the last stage the last target holds until the run ends.

import type { LoadConfig, ProfileKind, Stage } from './types';

export interface Plan {
  /** Target at t = 0. */
  start: number;
  stages: readonly Stage[];
}

export const PROFILES: readonly ProfileKind[] = ['steady', 'ramp', 'spike', 'soak', 'stages'];

/** Fraction of the base a spike starts from and falls back to. */
export const SPIKE_BASELINE = 0.2;
/** Longest ramp-up of a soak. */
export const SOAK_RAMP_MAX_MS = 60_000;

export function planFor(config: Pick<LoadConfig, 'profile' | 'stages' | 'durationMs'>, base: number): Plan {
  const d = config.durationMs;
  switch (config.profile) {
    case 'steady':
      return { start: base, stages: [{ durationMs: d, target: base }] };
    case 'ramp':
      return { start: 0, stages: [{ durationMs: d, target: base }] };
    case 'spike': {
      const low = base * SPIKE_BASELINE;
      return {
        start: low,
        stages: [
          { durationMs: d * 0.4, target: low },
          { durationMs: 0, target: base },
          { durationMs: d * 0.2, target: base },
          { durationMs: 0, target: low },
          { durationMs: d * 0.4, target: low },
        ],
      };
    }
    case 'soak': {
      const up = Math.min(d * 0.1, SOAK_RAMP_MAX_MS);
      return { start: 0, stages: [{ durationMs: up, target: base }, { durationMs: d - up, target: base }] };
    }
    case 'stages': {
      if (!config.stages?.length) throw new Error('profile "stages" needs at least one stage');
      return { start: 0, stages: config.stages };
    }
    default:
      throw new Error(`unknown profile "${String(config.profile)}" (expected ${PROFILES.join(', ')})`);
  }
}

/** Checks a plan's numbers; returns a message or undefined. */
export function planProblem(plan: Plan): string | undefined {
  if (!(Number.isFinite(plan.start) && plan.start >= 0)) return `start target must be a finite number ≥ 0 (got ${plan.start})`;
  for (const [i, s] of plan.stages.entries()) {
    if (!(Number.isFinite(s.durationMs) && s.durationMs >= 0)) return `stage ${i + 1}: durationMs must be a finite number ≥ 0 (got ${s.durationMs})`;
    if (!(Number.isFinite(s.target) && s.target >= 0)) return `stage ${i + 1}: target must be a finite number ≥ 0 (got ${s.target})`;
  }
  return undefined;
}

export function planDurationMs(plan: Plan): number {
  let d = 0;
  for (const s of plan.stages) d += s.durationMs;
  return d;
}

/** The target at `tMs` after the start (the last target holds after the last stage). */
export function targetAt(plan: Plan, tMs: number): number {
  let prev = plan.start;
  let at = 0;
  if (tMs < 0) tMs = 0;
  for (const s of plan.stages) {
    if (tMs < at + s.durationMs) return prev + ((s.target - prev) * (tMs - at)) / s.durationMs;
    at += s.durationMs;
    prev = s.target;
  }
  return prev;
}

/** The largest target the plan reaches. */
export function peakTarget(plan: Plan): number {
  let m = plan.start;
  for (const s of plan.stages) m = Math.max(m, s.target);
  return m;
}

/**
 * For a rate plan (req/s): arrivals expected from the start to `tMs`, i.e. the integral of the
 * rate. Each stage contributes a trapezoid; within a stage it is a quadratic in t.
 */
export function arrivalsBy(plan: Plan, tMs: number): number {
  let prev = plan.start;
  let at = 0;
  let n = 0;
  if (tMs <= 0) return 0;
  for (const s of plan.stages) {
    if (tMs < at + s.durationMs) {
      const tau = tMs - at;
      const rate = prev + ((s.target - prev) * tau) / s.durationMs;
      return n + ((prev + rate) / 2) * (tau / 1000);
    }
    n += ((prev + s.target) / 2) * (s.durationMs / 1000);
    at += s.durationMs;
    prev = s.target;
  }
  return n + prev * ((tMs - at) / 1000);
}
