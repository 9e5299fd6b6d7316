// Latency comparison of issue 5 (src/core/compare/compare.ts): verdicts on real HDR histograms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHistogram, newHistogram, recordMs } from '../../src/core/load/recorder';
import { comparableWarnings, compareLatency, type RecordMeta } from '../../src/core/compare/compare';
import { mulberry32, randomNormal } from '../../src/core/compare/stats';

/** An encoded HDR histogram (as LoadResult.histogram) of n log-normal latencies: median `medianMs` × scale. */
function run(seed: number, n: number, scale = 1, medianMs = 20, sigma = 0.5): string {
  const rng = mulberry32(seed);
  const h = newHistogram();
  for (let i = 0; i < n; i++) recordMs(h, medianMs * scale * Math.exp(sigma * randomNormal(rng)));
  return encodeHistogram(h);
}

test('a real 10 % slowdown over thousands of samples is "regressed" with change ≈ +10 %', () => {
  const r = compareLatency(run(1, 5000), run(2, 5000, 1.1), { seed: 7, bootstrap: 1000 });
  assert.equal(r.verdict, 'regressed');
  for (const m of ['p50', 'p95', 'mean'] as const) {
    const row = r.metrics.find((x) => x.metric === m)!;
    assert.equal(row.verdict, 'regressed', `${m}: ${JSON.stringify(row)}`);
    assert.ok(row.changeCI[0] <= 10 && 10 <= row.changeCI[1], `${m} CI ${row.changeCI} contains 10 %`);
    assert.ok(Math.abs(row.changePct - 10) < 4, `${m} change ${row.changePct}`);
    assert.ok(row.p < 0.05);
    assert.ok(!row.tooFewSamples);
  }
  const p50 = r.metrics.find((x) => x.metric === 'p50')!;
  assert.equal(p50.test, 'mann-whitney');
  assert.equal(p50.p, r.mannWhitney.p);
  assert.ok(r.mannWhitney.z > 0, 'current tends higher');
  assert.deepEqual(p50.samples, { baseline: 5000, current: 5000, drawn: [5000, 5000] });
  assert.ok(p50.baseline > 18 && p50.baseline < 22, `baseline median ${p50.baseline}`);
  // And the other way round it is an improvement of ≈ −9 %.
  const back = compareLatency(run(2, 5000, 1.1), run(1, 5000), { seed: 7, bootstrap: 1000 });
  assert.equal(back.verdict, 'improved');
  const b50 = back.metrics.find((x) => x.metric === 'p50')!;
  assert.equal(b50.verdict, 'improved');
  assert.ok(b50.changeCI[0] <= -100 / 11 && -100 / 11 <= b50.changeCI[1], `CI ${b50.changeCI}`);
});

test('identical distributions give "~" (false positives at most at the expected rate over 40 seeds)', () => {
  let flagged = 0;
  let flaggedMetrics = 0;
  const seeds = 40;
  for (let s = 0; s < seeds; s++) {
    const r = compareLatency(run(100 + 2 * s, 2000), run(101 + 2 * s, 2000), { seed: s, bootstrap: 300, metrics: ['p50', 'p95'] });
    if (r.verdict !== '~') flagged++;
    for (const m of r.metrics) if (m.verdict !== '~') flaggedMetrics++;
  }
  // Two metrics at alpha 0.05: at most ~10 % of runs flag anything, each metric ~5 %.
  assert.ok(flagged <= 5, `${flagged} of ${seeds} runs flagged`);
  assert.ok(flaggedMetrics <= 6, `${flaggedMetrics} of ${2 * seeds} metric verdicts flagged`);
});

test('the same run compared with itself is "~" with p = 1 and a zero change', () => {
  const h = run(5, 3000);
  const r = compareLatency(h, h, { seed: 1, bootstrap: 200 });
  assert.equal(r.verdict, '~');
  assert.equal(r.mannWhitney.p, 1);
  for (const m of r.metrics) {
    assert.equal(m.changePct, 0);
    assert.equal(m.verdict, '~');
  }
});

test('noise is not called a regression by the threshold rule; a real regression over the threshold is', () => {
  const threshold = { metric: 'p95' as const, maxWorsePct: 5 };
  for (let s = 0; s < 10; s++) {
    const r = compareLatency(run(300 + 2 * s, 3000), run(301 + 2 * s, 3000), { seed: s, bootstrap: 300, threshold });
    assert.equal(r.threshold!.violated, false, `seed ${s}: ${r.threshold!.changePct}`);
    assert.notEqual(r.verdict, 'regressed', `seed ${s}`);
  }
  const bad = compareLatency(run(1, 5000), run(2, 5000, 1.2), { seed: 3, bootstrap: 500, threshold, metrics: ['p50'] });
  assert.ok(bad.metrics.some((m) => m.metric === 'p95'), 'the threshold metric is always computed');
  assert.equal(bad.threshold!.violated, true);
  assert.equal(bad.verdict, 'regressed');
  // A significant regression smaller than the allowed worsening does not violate the rule.
  const small = compareLatency(run(1, 5000), run(2, 5000, 1.1), { seed: 3, bootstrap: 500, threshold: { metric: 'p50', maxWorsePct: 20 } });
  assert.equal(small.metrics.find((m) => m.metric === 'p50')!.verdict, 'regressed');
  assert.equal(small.threshold!.violated, false);
  assert.notEqual(small.verdict, 'regressed');
});

test('a tail-only regression shows in p99 while the median is "~"', () => {
  // Same body; the current run has 3 % of requests 10× slower (a slow dependency on some requests).
  const mk = (seed: number, slowShare: number) => {
    const rng = mulberry32(seed);
    const h = newHistogram();
    for (let i = 0; i < 20_000; i++) recordMs(h, 20 * Math.exp(0.3 * randomNormal(rng)) * (rng() < slowShare ? 10 : 1));
    return encodeHistogram(h);
  };
  const r = compareLatency(mk(1, 0), mk(2, 0.03), { seed: 1, bootstrap: 500 });
  const p99 = r.metrics.find((m) => m.metric === 'p99')!;
  assert.equal(p99.verdict, 'regressed');
  assert.equal(p99.test, 'bootstrap');
  assert.ok(p99.changePct > 100, `p99 change ${p99.changePct}`);
  assert.equal(r.verdict, 'regressed');
});

test('too few samples for a tail percentile: warning, and the count is reported', () => {
  const r = compareLatency(run(1, 400), run(2, 400), { seed: 1, bootstrap: 200 });
  const p99 = r.metrics.find((m) => m.metric === 'p99')!;
  assert.equal(p99.tooFewSamples, true);
  assert.match(p99.warning!, /p99 rests on 400 baseline and 400 current samples; it needs at least 1000/);
  const p95 = r.metrics.find((m) => m.metric === 'p95')!;
  assert.equal(p95.tooFewSamples, false, 'p95 needs 200');
  assert.equal(r.metrics.find((m) => m.metric === 'mean')!.tooFewSamples, false);
  assert.deepEqual(r.warnings, [p99.warning]);
});

test('huge runs are subsampled for the test and the bootstrap, reproducibly', () => {
  const a = run(1, 50_000);
  const b = run(2, 50_000, 1.01);
  const r1 = compareLatency(a, b, { seed: 9, bootstrap: 200, metrics: ['p50'], maxSamples: 5000 });
  const r2 = compareLatency(a, b, { seed: 9, bootstrap: 200, metrics: ['p50'], maxSamples: 5000 });
  assert.deepEqual(r1, r2);
  assert.equal(r1.mannWhitney.n1, 5000);
  assert.deepEqual(r1.metrics[0]!.samples, { baseline: 50_000, current: 50_000, drawn: [5000, 5000] });
});

test('missing or empty histograms give clear errors', () => {
  assert.throws(() => compareLatency('', run(1, 10)), /baseline run has no latency histogram/);
  assert.throws(() => compareLatency(run(1, 10), encodeHistogram(newHistogram())), /current run recorded no latencies/);
  assert.throws(() => compareLatency(run(1, 10), 'not base64 !!'), /current run's latency histogram cannot be decoded/);
});

test('comparableWarnings lists what differs and nothing else', () => {
  const machine = (hostname: string, count: number) => ({ hostname, platform: 'linux', release: '6', arch: 'x64', cpus: { model: 'Xeon', count }, memoryMb: 16000 });
  const env = (hostname: string, count: number) => ({ machine: machine(hostname, count), node: 'v22', pulseVersion: '0.1.0', git: null });
  const base: RecordMeta = {
    source: 'pulse',
    scenarioFile: 'load/forecast.loadtest.json',
    environment: env('dev1', 8),
    config: { target: 'http://127.0.0.1:8000', requests: [{ method: 'GET', path: '/api' }], model: { kind: 'open', rate: 200 }, profile: 'steady', durationMs: 30_000 },
  };
  assert.deepEqual(comparableWarnings(base, base), []);
  const cur: RecordMeta = {
    ...base,
    scenarioFile: 'load/other.loadtest.json',
    environment: env('ci-runner', 4),
    config: { ...(base.config as object), model: { kind: 'open', rate: 400 } } as RecordMeta['config'],
  };
  const d = comparableWarnings(base, cur);
  assert.deepEqual(d.map((x) => x.field).sort(), ['cpus', 'machine', 'rate', 'scenario']);
  assert.match(d.find((x) => x.field === 'rate')!.message, /Rate \(req\/s\) differs: baseline 200, current 400/);
  const closed: RecordMeta = { ...base, config: { ...(base.config as object), model: { kind: 'closed', connections: 10 } } as RecordMeta['config'] };
  assert.deepEqual(comparableWarnings(base, closed).map((x) => x.field), ['model']);
  const closed20: RecordMeta = { ...base, config: { ...(base.config as object), model: { kind: 'closed', connections: 20 } } as RecordMeta['config'] };
  assert.deepEqual(comparableWarnings(closed, closed20).map((x) => x.field), ['connections']);
  // Unknown on one side (an imported k6 run has no Pulse config): only the runner is reported.
  const k6: RecordMeta = { source: 'k6', scenarioFile: base.scenarioFile, environment: base.environment, config: { kind: 'external', runner: 'k6', command: 'k6 run x.js' } };
  assert.deepEqual(comparableWarnings(base, k6).map((x) => x.field), ['source']);
});
