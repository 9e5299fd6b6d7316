// Comparing a run's latency with a baseline's (issue 5), benchstat-style: per metric the change
// with a bootstrap confidence interval and a significance test, "~" when the difference is not
// significant, and a warning when a tail percentile rests on too few samples. Plus the list of
// what makes two runs not comparable (machine, load model, rate, connections, scenario).
//
// Inputs are the HDR histograms run records keep (LoadResult.histogram, encoded), decoded
// histograms, or weighted distributions (stats.ts). No vscode import.

import type { Histogram } from '../load/recorder';
import { loadConfigOf, type RunRecord } from '../runs/record';
import {
  bootstrapWeightedMany,
  mannWhitneyWeighted,
  minSamplesFor,
  mulberry32,
  statisticQuantile,
  subsample,
  weightedFromEncoded,
  weightedFromHistogram,
  type BootstrapResult,
  type MannWhitneyResult,
  type Statistic,
  type Weighted,
} from './stats';

export type LatencyMetric = Statistic;
export type Verdict = 'improved' | '~' | 'regressed';

export interface RegressionThreshold {
  metric: LatencyMetric;
  /** The metric may not worsen by more than this many percent with significance. */
  maxWorsePct: number;
}

export interface CompareOptions {
  /** Seed of every random draw (default 1): the same inputs always give the same verdict. */
  seed?: number;
  /** Default ['p50', 'p95', 'p99', 'mean']. */
  metrics?: LatencyMetric[];
  /** Level of the confidence intervals (default 0.95). */
  confidence?: number;
  /** Significance level of the tests (default 0.05). */
  alpha?: number;
  /** Bootstrap resamples (default 2000). */
  bootstrap?: number;
  threshold?: RegressionThreshold;
  /**
   * At most this many observations per side go into Mann-Whitney U (default 10 000); a run with
   * more is subsampled (seeded, in proportion to the histogram's counts). The test on all the
   * counts would be cheap (it works on buckets), but requests in a load test are not independent:
   * a GC pause, a slow second or a cold cache touches thousands of neighbours, so the effective
   * sample size is far below the request count. With millions of requests counted as independent
   * the test calls a 0.2 % shift "significant"; 10 000 per side still detects a 3 % shift of a
   * typical latency distribution reliably. The bootstrap is capped the same way (maxResample).
   */
  maxSamples?: number;
}

/**
 * The statistic in milliseconds (bucket representatives of the HDR histograms: within 0.05 %),
 * current − baseline and (current / baseline − 1) × 100 with their confidence intervals.
 */
export interface MetricComparison extends Pick<BootstrapResult, 'baseline' | 'current' | 'diff' | 'diffCI' | 'changePct' | 'changeCI'> {
  metric: LatencyMetric;
  /**
   * Two-sided p-value of the metric's test: Mann-Whitney U for p50 (as benchstat), the bootstrap
   * test of the statistic itself for the mean and tail percentiles (a tail can worsen while the
   * distributions' ranks barely move).
   */
  p: number;
  test: 'mann-whitney' | 'bootstrap';
  /** "~" unless p < alpha and the interval excludes 0; lower latency is "improved". */
  verdict: Verdict;
  samples: {
    baseline: number;
    current: number;
    /** Observations drawn per side for the test and for each bootstrap resample. */
    drawn: [number, number];
  };
  /** The percentile needs more observations than one of the runs has (minSamplesFor). */
  tooFewSamples: boolean;
  warning?: string;
}

export interface LatencyComparison {
  metrics: MetricComparison[];
  mannWhitney: MannWhitneyResult;
  /** Regressed if the threshold is violated (or, without a threshold, any metric regressed); improved if some metric improved and none regressed. */
  verdict: Verdict;
  threshold?: RegressionThreshold & { changePct: number; violated: boolean };
  confidence: number;
  alpha: number;
  bootstrap: number;
  seed: number;
  warnings: string[];
}

export type LatencyInput = string | Histogram | Weighted;

function toWeighted(x: LatencyInput, side: string): Weighted {
  let w: Weighted;
  if (typeof x === 'string') {
    if (!x.trim()) throw new RangeError(`the ${side} run has no latency histogram (an imported result?): its distribution cannot be compared`);
    try {
      w = weightedFromEncoded(x);
    } catch (e) {
      throw new RangeError(`the ${side} run's latency histogram cannot be decoded: ${(e as Error).message}`);
    }
  } else if ('values' in x && 'counts' in x) w = x;
  else w = weightedFromHistogram(x as Histogram);
  if (!(w.total > 0)) throw new RangeError(`the ${side} run recorded no latencies`);
  return w;
}

const DEFAULT_METRICS: LatencyMetric[] = ['p50', 'p95', 'p99', 'mean'];

export function compareLatency(baselineHistogram: LatencyInput, currentHistogram: LatencyInput, opts: CompareOptions = {}): LatencyComparison {
  const base = toWeighted(baselineHistogram, 'baseline');
  const cur = toWeighted(currentHistogram, 'current');
  const seed = opts.seed ?? 1;
  const confidence = opts.confidence ?? 0.95;
  const alpha = opts.alpha ?? 0.05;
  const B = opts.bootstrap ?? 2000;
  const cap = opts.maxSamples ?? 10_000;
  const metrics = [...new Set([...(opts.metrics ?? DEFAULT_METRICS), ...(opts.threshold ? [opts.threshold.metric] : [])])];

  const rng = mulberry32(seed);
  const mw = mannWhitneyWeighted(subsample(base, cap, rng), subsample(cur, cap, rng));
  const boots = bootstrapWeightedMany(base, cur, metrics, { resamples: B, confidence, seed: (seed ^ 0x9e3779b9) >>> 0, maxResample: cap });

  const warnings: string[] = [];
  const rows = metrics.map((metric, i): MetricComparison => {
    const b = boots[i]!;
    const test = metric === 'p50' ? 'mann-whitney' : 'bootstrap';
    const p = test === 'mann-whitney' ? mw.p : b.p;
    const excludesZero = b.changeCI[0] > 0 || b.changeCI[1] < 0;
    const significant = p < alpha && excludesZero;
    const verdict: Verdict = !significant ? '~' : b.changePct > 0 ? 'regressed' : b.changePct < 0 ? 'improved' : '~';
    const q = statisticQuantile(metric);
    const need = q === null ? 0 : minSamplesFor(q);
    const tooFew = q !== null && Math.min(base.total, cur.total) < need;
    const row: MetricComparison = {
      metric,
      baseline: b.baseline,
      current: b.current,
      diff: b.diff,
      diffCI: b.diffCI,
      changePct: b.changePct,
      changeCI: b.changeCI,
      p,
      test,
      verdict,
      samples: { baseline: base.total, current: cur.total, drawn: test === 'mann-whitney' ? [mw.n1, mw.n2] : b.drawn },
      tooFewSamples: tooFew,
    };
    if (tooFew) {
      row.warning = `${metric} rests on ${base.total} baseline and ${cur.total} current samples; it needs at least ${need} (ten beyond the percentile) to mean anything`;
      warnings.push(row.warning);
    }
    return row;
  });

  let threshold: LatencyComparison['threshold'];
  let verdict: Verdict;
  const anyImproved = rows.some((r) => r.verdict === 'improved');
  const anyRegressed = rows.some((r) => r.verdict === 'regressed');
  if (opts.threshold) {
    const row = rows.find((r) => r.metric === opts.threshold!.metric)!;
    const violated = row.verdict === 'regressed' && row.changePct > opts.threshold.maxWorsePct;
    threshold = { ...opts.threshold, changePct: row.changePct, violated };
    verdict = violated ? 'regressed' : anyImproved && !anyRegressed ? 'improved' : '~';
  } else {
    verdict = anyRegressed ? 'regressed' : anyImproved ? 'improved' : '~';
  }
  const out: LatencyComparison = { metrics: rows, mannWhitney: mw, verdict, confidence, alpha, bootstrap: B, seed, warnings };
  if (threshold) out.threshold = threshold;
  return out;
}

// --- comparability -------------------------------------------------------------------------

/** What compareLatency's caller knows about each run: a run record, or the parts of one a baseline keeps. */
export type RecordMeta = Partial<Pick<RunRecord, 'name' | 'source' | 'scenarioFile' | 'config' | 'environment'>>;

export interface Difference {
  field: 'machine' | 'cpus' | 'source' | 'model' | 'rate' | 'connections' | 'profile' | 'scenario' | 'requests';
  baseline: string;
  current: string;
  message: string;
}

function modelOf(m: RecordMeta): { kind: string; rate?: number; connections?: number } | null {
  const model = loadConfigOf(m.config)?.model;
  if (!model) return null;
  return model.kind === 'open' ? { kind: 'open', rate: model.rate, ...(model.maxConnections !== undefined ? { connections: model.maxConnections } : {}) } : { kind: 'closed', connections: model.connections };
}

function requestMix(m: RecordMeta): string | null {
  const reqs = loadConfigOf(m.config)?.requests;
  if (!Array.isArray(reqs)) return null;
  return reqs.map((r) => `${r.method.toUpperCase()} ${r.path}${r.weight !== undefined && r.weight !== 1 ? ` ×${r.weight}` : ''}`).join(', ');
}

/**
 * Everything that makes two runs not comparable: a different machine (hostname, CPU model or
 * count), runner, load model (open / closed), rate, connections, profile, scenario file or
 * request mix. Empty when nothing known differs; a field unknown on either side is not reported.
 */
export function comparableWarnings(baseline: RecordMeta, current: RecordMeta): Difference[] {
  const out: Difference[] = [];
  const add = (field: Difference['field'], what: string, a: unknown, b: unknown) => {
    if (a === undefined || a === null || b === undefined || b === null) return;
    const sa = String(a);
    const sb = String(b);
    if (sa !== sb) out.push({ field, baseline: sa, current: sb, message: `${what} differs: baseline ${sa}, current ${sb}` });
  };
  const ma = baseline.environment?.machine;
  const mb = current.environment?.machine;
  add('machine', 'Machine', ma?.hostname, mb?.hostname);
  if (ma?.cpus && mb?.cpus) add('cpus', 'CPU', `${ma.cpus.count} × ${ma.cpus.model}`, `${mb.cpus.count} × ${mb.cpus.model}`);
  add('source', 'Runner', baseline.source, current.source);
  const la = modelOf(baseline);
  const lb = modelOf(current);
  if (la && lb) {
    add('model', 'Load model', la.kind, lb.kind);
    if (la.kind === lb.kind) {
      if (la.kind === 'open') add('rate', 'Rate (req/s)', la.rate, lb.rate);
      add('connections', la.kind === 'open' ? 'Max connections' : 'Connections', la.connections, lb.connections);
    }
  }
  add('profile', 'Load profile', loadConfigOf(baseline.config)?.profile, loadConfigOf(current.config)?.profile);
  if (baseline.scenarioFile !== undefined || current.scenarioFile !== undefined) add('scenario', 'Scenario', baseline.scenarioFile ?? '(none)', current.scenarioFile ?? '(none)');
  add('requests', 'Request mix', requestMix(baseline), requestMix(current));
  return out;
}
