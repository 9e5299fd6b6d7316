// Regression rules (issue 5): "p95 may not worsen by more than 5 % with significance", and the
// same for error rate and throughput. A rule fires only on a significant change in the bad
// direction larger than its allowance; the overall verdict of a comparison follows from them.
// No vscode import.

export type RuleMetric = 'p50' | 'p95' | 'p99' | 'mean' | 'errorRate' | 'throughput';
export const RULE_METRICS: readonly RuleMetric[] = ['p50', 'p95', 'p99', 'mean', 'errorRate', 'throughput'];

export interface RegressionRule {
  metric: RuleMetric;
  /** The metric may not worsen by more than this many percent (relative to the baseline). */
  maxWorsePct: number;
  /**
   * Fire only when the change is statistically significant (default true). Without a
   * distribution (imported percentiles) significance cannot be tested: the rule then fires on
   * the change alone, and says so.
   */
  requireSignificance?: boolean;
}

/** When neither the baseline nor the caller gives rules. */
export const DEFAULT_RULES: readonly RegressionRule[] = [{ metric: 'p95', maxWorsePct: 5 }];

/** Checks hand-written rules; returns the problem (naming the field) or null. */
export function ruleProblem(v: unknown, where: string): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${where} must be an object like {"metric": "p95", "maxWorsePct": 5}`;
  const r = v as Record<string, unknown>;
  if (!RULE_METRICS.includes(r.metric as RuleMetric)) return `${where}.metric must be one of ${RULE_METRICS.join(', ')}`;
  if (typeof r.maxWorsePct !== 'number' || !Number.isFinite(r.maxWorsePct) || r.maxWorsePct < 0) return `${where}.maxWorsePct must be a number ≥ 0`;
  if (r.requireSignificance !== undefined && typeof r.requireSignificance !== 'boolean') return `${where}.requireSignificance must be true or false`;
  return null;
}
