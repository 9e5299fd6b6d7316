// Applies regression rules to a comparison: for each rule, how much worse the metric got, whether
// that is significant (latency: the bootstrap / Mann-Whitney verdict of compareLatency; error
// rate: a two-proportion z-test on the request counts; throughput: Mann-Whitney U on the
// per-second completions), and whether the rule fired. Then the overall verdict. No vscode import.

import type { RunRecord } from '../runs/record';
import type { LatencyComparison, Verdict } from './compare';
import type { RegressionRule, RuleMetric } from './rules';
import { mannWhitneyU, normalSf } from './stats';
import type { TargetRow } from './targets';

export interface RuleResult {
  rule: RegressionRule;
  baseline: number | null;
  current: number | null;
  /** How much worse the metric got, in % of the baseline (negative: better); null if unknown or infinite (from zero errors). */
  worsePct: number | null;
  /** 'untested' when the data allow no test (no distribution, no counts). */
  significance: 'significant' | 'not-significant' | 'untested';
  p: number | null;
  fired: boolean;
  /** One line saying what happened, e.g. "p95 +23.1 % (allowed +5 %), significant (p = 0.0005)". */
  message: string;
}

interface Change {
  baseline: number | null;
  current: number | null;
  worsePct: number | null;
  p: number | null;
  /** null = untested. */
  significant: boolean | null;
}

function latencyChange(metric: RuleMetric, latency: LatencyComparison | null, rows: readonly TargetRow[]): Change {
  const m = latency?.metrics.find((x) => x.metric === metric);
  if (m) return { baseline: m.baseline, current: m.current, worsePct: m.changePct, p: m.p, significant: m.verdict !== '~' };
  const row = rows.find((r) => r.metric === metric);
  return { baseline: row?.baseline ?? null, current: row?.current ?? null, worsePct: row?.changePct ?? null, p: null, significant: null };
}

function errorChange(a: RunRecord, b: RunRecord, rows: readonly TargetRow[], alpha: number): Change {
  const row = rows.find((r) => r.metric === 'errorRate');
  const base = { baseline: row?.baseline ?? null, current: row?.current ?? null, worsePct: row?.changePct ?? null };
  const counts = (r: RunRecord) => (r.result && r.result.requests > 0 ? { n: r.result.requests, x: Object.values(r.result.errors).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0) } : null);
  const ca = counts(a);
  const cb = counts(b);
  if (!ca || !cb || base.baseline === null || base.current === null) return { ...base, p: null, significant: null };
  // From no errors at all, any error is "infinitely" worse: report it as +∞ rather than unknown.
  const worsePct = base.baseline === 0 ? (base.current > 0 ? Infinity : 0) : base.worsePct;
  const pooled = (ca.x + cb.x) / (ca.n + cb.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / ca.n + 1 / cb.n));
  const p = se > 0 ? Math.min(1, 2 * normalSf(Math.abs(cb.x / cb.n - ca.x / ca.n) / se)) : 1;
  return { ...base, worsePct, p, significant: p < alpha };
}

function throughputChange(a: RunRecord, b: RunRecord, rows: readonly TargetRow[], alpha: number): Change {
  const row = rows.find((r) => r.metric === 'throughput');
  const worsePct = row?.changePct === null || row?.changePct === undefined ? null : -row.changePct;
  const base = { baseline: row?.baseline ?? null, current: row?.current ?? null, worsePct };
  const perSecond = (r: RunRecord) => (r.result?.timeline ?? []).map((s) => s.completed);
  const sa = perSecond(a);
  const sb = perSecond(b);
  if (sa.length < 3 || sb.length < 3) return { ...base, p: null, significant: null };
  const p = mannWhitneyU(sa, sb).p;
  return { ...base, p, significant: p < alpha };
}

const fmtPct = (v: number) => (v === Infinity ? '+∞ %' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} %`);

/** alpha: the significance level of every test (the latency tests' own when there are some). */
export function evaluateRules(rules: readonly RegressionRule[], a: RunRecord, b: RunRecord, latency: LatencyComparison | null, rows: readonly TargetRow[], alpha = latency?.alpha ?? 0.05): RuleResult[] {
  return rules.map((rule) => {
    const c = rule.metric === 'errorRate' ? errorChange(a, b, rows, alpha) : rule.metric === 'throughput' ? throughputChange(a, b, rows, alpha) : latencyChange(rule.metric, latency, rows);
    const needSig = rule.requireSignificance !== false;
    const worse = c.worsePct !== null && c.worsePct > rule.maxWorsePct;
    const fired = worse && (!needSig || c.significant !== false);
    const significance = c.significant === null ? 'untested' : c.significant ? 'significant' : 'not-significant';
    const what = rule.metric === 'throughput' ? 'throughput drop' : rule.metric;
    let message: string;
    if (c.worsePct === null) message = `${what}: no value to compare`;
    else {
      const sig = significance === 'untested' ? 'no significance test (no distribution)' : `${significance.replace('-', ' ')} (p = ${c.p!.toPrecision(2)})`;
      message = `${what} ${fmtPct(c.worsePct)} (allowed ${fmtPct(rule.maxWorsePct)}), ${sig}${fired ? ': rule fired' : ''}`;
    }
    // JSON has no ∞ (errors from none at all): null, the message says +∞.
    return { rule, baseline: c.baseline, current: c.current, worsePct: c.worsePct !== null && Number.isFinite(c.worsePct) ? c.worsePct : null, significance, p: c.p, fired, message };
  });
}

/**
 * Regressed when a rule fired; improved when none did and some latency metric (or a rule's
 * metric) got significantly better while none got significantly worse; else "~".
 */
export function overallVerdict(results: readonly RuleResult[], latency: LatencyComparison | null): Verdict {
  if (results.some((r) => r.fired)) return 'regressed';
  const worse = results.some((r) => r.significance === 'significant' && r.worsePct !== null && r.worsePct > 0);
  const better = results.some((r) => r.significance === 'significant' && r.worsePct !== null && r.worsePct < 0);
  if (worse || latency?.metrics.some((m) => m.verdict === 'regressed')) return '~';
  return better || latency?.verdict === 'improved' ? 'improved' : '~';
}
