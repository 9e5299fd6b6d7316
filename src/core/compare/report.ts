// compareRuns (issue 5): a run against a baseline, as one plain JSON-serializable report that
// every view renders (text, Markdown, HTML, the VS Code comparison view): comparability
// warnings, the latency verdicts with samples, the targets table, per-endpoint rows, chart data
// (CDF of both latency distributions, per-second p95 and throughput timelines) and the regression
// rules with the overall verdict. No vscode import.

import type { RunRecord, RunSource } from '../runs/record';
import { BASELINE_KIND, baselineTags, type Baseline } from './baseline';
import { comparableWarnings, compareLatency, type Difference, type LatencyComparison, type LatencyMetric, type Verdict } from './compare';
import { cdfPoints, latencyAt, runLatency, type CdfPoint, type RunLatency } from './distribution';
import { compareEndpoints, type EndpointComparison } from './endpoints';
import { DEFAULT_RULES, type RegressionRule } from './rules';
import { relChangePct, targetRows, type TargetRow, type Targets } from './targets';
import { evaluateRules, overallVerdict, type RuleResult } from './verdict';

export const COMPARISON_SCHEMA_VERSION = 1;
export const COMPARISON_KIND = 'pulse-comparison';

export interface CompareRunsOptions {
  /** Seed of every random draw (default 1): the same runs always give the same report. */
  seed?: number;
  /** Targets per metric (defaults: p95 < 200 ms, error rate < 0.1 %, hit-rate > 70 %, pool < 80 %). */
  targets?: Targets;
  /** Rules used when the baseline has none of its own (default DEFAULT_RULES: p95 ≤ +5 % with significance). */
  rules?: RegressionRule[];
  /** Bootstrap resamples (default 2000). */
  bootstrap?: number;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Default: now. */
  createdAt?: Date;
}

export type LatencyBasis = 'histogram' | 'heat' | 'percentiles' | 'none';

/** What the report says about each of the two runs. */
export interface RunSide {
  /** The baseline's name (or the run's, for a plain run record). */
  name: string;
  runName: string;
  runId: string;
  isBaseline: boolean;
  createdAt: string;
  source: RunSource;
  git: { commit: string; branch: string | null; dirty: boolean | null } | null;
  machine: string;
  /** Where the latency distribution comes from: the load generator's HDR histogram, the service's histogram buckets, or only percentiles. */
  latencyBasis: LatencyBasis;
  /** Latency observations behind the distribution; null when unknown. */
  samples: number | null;
}

export type LatencySection =
  | { kind: 'distribution'; comparison: LatencyComparison; notes: string[] }
  | { kind: 'percentiles'; rows: { metric: LatencyMetric; baseline: number | null; current: number | null; changePct: number | null }[]; notes: string[] }
  | { kind: 'none'; notes: string[] };

export interface ReportWarning {
  kind: 'comparability' | 'samples' | 'data';
  message: string;
}

export interface TimelinePoint {
  /** Seconds since the run started. */
  t: number;
  p95: number | null;
  rps: number | null;
}

export interface ComparisonReport {
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  kind: typeof COMPARISON_KIND;
  createdAt: string;
  baseline: RunSide;
  current: RunSide;
  verdict: Verdict;
  /** One line: the verdict and why (the rule that fired, or the largest latency change). */
  summary: string;
  rules: { from: 'baseline' | 'options' | 'default'; results: RuleResult[] };
  /** Everything the reader should know before trusting the numbers, comparability first. */
  warnings: ReportWarning[];
  differences: Difference[];
  latency: LatencySection;
  targets: TargetRow[];
  endpoints: EndpointComparison;
  charts: {
    /** Empirical CDFs (plot on a log-scale x axis). */
    cdf: { baseline: CdfPoint[]; current: CdfPoint[] };
    /** Per second: from the load result's timeline, else the service timeline (per scrape). */
    timeline: { source: { baseline: 'load' | 'service'; current: 'load' | 'service' }; baseline: TimelinePoint[]; current: TimelinePoint[] };
  };
}

const LATENCY_METRICS: LatencyMetric[] = ['p50', 'p95', 'p99', 'mean'];
export const NO_DISTRIBUTION_NOTE = 'no distribution: no significance test';

function asBaseline(x: Baseline | RunRecord): Baseline {
  if (x.kind === BASELINE_KIND) return x;
  return { schemaVersion: 1, kind: BASELINE_KIND, name: x.name, createdAt: x.createdAt, tags: baselineTags(x), run: x, fromRunRecord: true };
}

function side(b: Baseline, l: RunLatency): RunSide {
  return {
    name: b.name,
    runName: b.run.name,
    runId: b.run.id,
    isBaseline: !b.fromRunRecord,
    createdAt: b.run.createdAt,
    source: b.run.source,
    git: b.tags.git,
    machine: b.tags.machine,
    latencyBasis: l.kind,
    samples: l.kind === 'none' ? null : l.samples,
  };
}

function latencySection(a: RunLatency, b: RunLatency, metrics: LatencyMetric[], opts: CompareRunsOptions): LatencySection {
  if ((a.kind === 'histogram' || a.kind === 'heat') && (b.kind === 'histogram' || b.kind === 'heat')) {
    const notes: string[] = [];
    if (a.kind !== b.kind) notes.push('One distribution comes from the load generator, the other from the service’s histogram buckets: they measure different things.');
    if (a.kind === 'heat' || b.kind === 'heat') notes.push('Service histogram buckets are coarse: percentiles are bucket midpoints, so small changes may not show.');
    const comparison = compareLatency(a.weighted, b.weighted, { seed: opts.seed ?? 1, metrics, ...(opts.bootstrap !== undefined ? { bootstrap: opts.bootstrap } : {}), ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}) });
    return { kind: 'distribution', comparison, notes };
  }
  if (a.kind === 'none' || b.kind === 'none') return { kind: 'none', notes: [`${a.kind === 'none' ? 'The baseline' : 'The current run'} has no latency data.`] };
  const rows = metrics.map((metric) => {
    const x = latencyAt(a, metric);
    const y = latencyAt(b, metric);
    return { metric, baseline: x, current: y, changePct: relChangePct(x, y) };
  });
  const from = (l: RunLatency) => (l.kind === 'percentiles' && l.from === 'service' ? 'means of the service’s per-scrape percentiles' : 'the runner’s percentiles');
  return { kind: 'percentiles', rows, notes: [`Percentiles only (${NO_DISTRIBUTION_NOTE}): baseline from ${from(a)}, current from ${from(b)}.`] };
}

function timeline(run: RunRecord): { source: 'load' | 'service'; points: TimelinePoint[] } {
  const secs = run.result?.timeline ?? [];
  if (secs.length) return { source: 'load', points: secs.map((s) => ({ t: s.t + 1, p95: s.p95, rps: s.completed })) };
  const t0 = run.startedAt ?? run.serviceTimeline[0]?.t ?? 0;
  return { source: 'service', points: run.serviceTimeline.map((p) => ({ t: (p.t - t0) / 1000, p95: p.p95, rps: p.rps })) };
}

function summaryLine(verdict: Verdict, results: readonly RuleResult[], latency: LatencySection): string {
  const fired = results.filter((r) => r.fired);
  if (fired.length) return `regressed: ${fired.map((r) => r.message.replace(/: rule fired$/, '')).join('; ')}`;
  const rows = latency.kind === 'distribution' ? latency.comparison.metrics : [];
  const moved = rows.filter((m) => m.verdict !== '~').map((m) => `${m.metric} ${m.changePct >= 0 ? '+' : '−'}${Math.abs(m.changePct).toFixed(1)} %`);
  if (verdict === 'improved') return `improved: ${moved.join(', ') || results.filter((r) => r.significance === 'significant').map((r) => r.message).join('; ')}`;
  const note = latency.kind === 'percentiles' ? ` (${NO_DISTRIBUTION_NOTE})` : '';
  return `~ no significant regression${moved.length ? ` (within the rules: ${moved.join(', ')})` : ''}${note}`;
}

/** Compares `current` with `baseline` (baselines or plain run records). Deterministic for a given seed. */
export function compareRuns(baselineIn: Baseline | RunRecord, currentIn: Baseline | RunRecord, opts: CompareRunsOptions = {}): ComparisonReport {
  const base = asBaseline(baselineIn);
  const cur = asBaseline(currentIn);
  const a = base.run;
  const b = cur.run;
  const la = runLatency(a);
  const lb = runLatency(b);
  const rules = base.rules ?? opts.rules ?? [...DEFAULT_RULES];
  const ruleFrom = base.rules ? 'baseline' : opts.rules ? 'options' : 'default';
  // Every latency rule metric (p50, p95, p99, mean) is among these.
  const latency = latencySection(la, lb, LATENCY_METRICS, opts);
  const targets = targetRows(a, b, { baseline: la, current: lb }, opts.targets);
  const results = evaluateRules(rules, a, b, latency.kind === 'distribution' ? latency.comparison : null, targets, opts.alpha ?? 0.05);
  const verdict = overallVerdict(results, latency.kind === 'distribution' ? latency.comparison : null);

  const differences = comparableWarnings(a, b);
  const warnings: ReportWarning[] = differences.map((d) => ({ kind: 'comparability', message: `Not comparable: ${d.message}` }));
  if (latency.kind === 'distribution') for (const w of latency.comparison.warnings) warnings.push({ kind: 'samples', message: w });
  for (const n of latency.notes) warnings.push({ kind: 'data', message: n });
  if (targets.some((r) => r.sources.baseline === 'service' || r.sources.current === 'service')) {
    warnings.push({ kind: 'data', message: 'Service-side values (cache, pool, CPU, memory, and latency or throughput of runs without a load result) are means over the run’s service timeline.' });
  }
  const ta = timeline(a);
  const tb = timeline(b);
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: COMPARISON_KIND,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    baseline: side(base, la),
    current: side(cur, lb),
    verdict,
    summary: summaryLine(verdict, results, latency),
    rules: { from: ruleFrom, results },
    warnings,
    differences,
    latency,
    targets,
    endpoints: compareEndpoints(a, b),
    charts: {
      cdf: { baseline: cdfPoints(la), current: cdfPoints(lb) },
      timeline: { source: { baseline: ta.source, current: tb.source }, baseline: ta.points, current: tb.points },
    },
  };
}
