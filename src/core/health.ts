// Threshold evaluation with a hold time, like Prometheus alerting rules' `for` and
// `keep_firing_for`: a breach must last `forSeconds` before it fires, and a firing signal
// must stay within its target as long before it clears, so the indicator does not flap.

import type { Signals } from './types';

export interface Thresholds {
  /** p95 latency above this (ms) is a breach. */
  p95Ms: number;
  /** Error rate (fraction) above this is a breach. */
  errorRate: number;
  /** Cache hit-rate (fraction) below this is a breach. */
  cacheHitRate: number;
  /** Pool utilization (fraction) above this is a breach. */
  poolUtilization: number;
  forSeconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { p95Ms: 200, errorRate: 0.01, cacheHitRate: 0.7, poolUtilization: 0.8, forSeconds: 30 };

export type SignalName = 'p95Ms' | 'errorRate' | 'cacheHitRate' | 'poolUtilization';
export const SIGNAL_NAMES: readonly SignalName[] = ['p95Ms', 'errorRate', 'cacheHitRate', 'poolUtilization'];

/** ok → pending (breached, waiting) → firing → resolving (back within, waiting) → ok. */
export type RuleState = 'unknown' | 'ok' | 'pending' | 'firing' | 'resolving';

export interface RuleStatus {
  signal: SignalName;
  state: RuleState;
  value: number | null;
  target: number;
  /** 'max': value must stay at or below target; 'min': at or above. */
  direction: 'max' | 'min';
  /** When the current state began (ms). */
  since: number;
  /** True while the indicator shows this signal as unhealthy (firing or resolving). */
  active: boolean;
}

export interface Evaluation {
  at: number;
  rules: RuleStatus[];
  /** Worst active rule's severity: 'ok', 'warning' (firing), 'error' (firing at twice the target). */
  level: 'ok' | 'warning' | 'error';
}

function breached(value: number, target: number, direction: 'max' | 'min'): boolean {
  return direction === 'max' ? value > target : value < target;
}

/** Far past the target: twice the latency or error budget, or half the required hit-rate. */
function severe(value: number, target: number, direction: 'max' | 'min'): boolean {
  return direction === 'max' ? value >= 2 * target : value <= target / 2;
}

/** How one rule colours the indicator: not exposed, fine, past target (held), or far past it. */
export function ruleLevel(r: RuleStatus): 'unknown' | 'ok' | 'warning' | 'error' {
  if (r.value === null) return 'unknown';
  if (!r.active) return 'ok';
  return r.state === 'firing' && severe(r.value, r.target, r.direction) ? 'error' : 'warning';
}

export class HealthEvaluator {
  private rules = new Map<SignalName, RuleStatus>();
  constructor(private thresholds: Thresholds) {}

  setThresholds(t: Thresholds): void {
    this.thresholds = t;
  }

  reset(): void {
    this.rules.clear();
  }

  evaluate(signals: Signals, now: number): Evaluation {
    const holdMs = Math.max(0, this.thresholds.forSeconds) * 1000;
    const out: RuleStatus[] = [];
    let level: Evaluation['level'] = 'ok';
    for (const signal of SIGNAL_NAMES) {
      const target = this.thresholds[signal];
      const direction = signal === 'cacheHitRate' ? 'min' : 'max';
      const value = signals[signal];
      const prev = this.rules.get(signal);
      const r: RuleStatus = prev ? { ...prev, value, target, direction } : { signal, state: 'unknown', value, target, direction, since: now, active: false };
      const bad = value !== null && breached(value, target, direction);
      const next = step(r.state, value === null ? null : bad, now - r.since >= holdMs);
      if (next !== r.state) {
        r.state = next;
        r.since = now;
        // A zero hold time moves straight through the waiting states.
        if (holdMs === 0) r.state = next === 'pending' ? 'firing' : next === 'resolving' ? 'ok' : next;
      }
      r.active = r.state === 'firing' || r.state === 'resolving';
      this.rules.set(signal, r);
      out.push({ ...r });
      const l = ruleLevel(r);
      if (l === 'error' || (l === 'warning' && level === 'ok')) level = l;
    }
    return { at: now, rules: out, level };
  }
}

function step(state: RuleState, bad: boolean | null, held: boolean): RuleState {
  if (bad === null) return state === 'firing' || state === 'resolving' ? state : 'unknown';
  switch (state) {
    case 'unknown':
    case 'ok':
      return bad ? 'pending' : 'ok';
    case 'pending':
      if (!bad) return 'ok';
      return held ? 'firing' : 'pending';
    case 'firing':
      return bad ? 'firing' : 'resolving';
    case 'resolving':
      if (bad) return 'firing';
      return held ? 'ok' : 'resolving';
  }
}
