// compareRuns (src/core/compare/report.ts): targets, change, endpoints, rules, fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBaseline } from '../../src/core/compare/baseline';
import { compareRuns, NO_DISTRIBUTION_NOTE } from '../../src/core/compare/report';
import { renderJson } from '../../src/core/compare/render';
import { fakeRun, point } from './runFixtures';
import { meets, parseTargets } from '../../src/core/compare/targets';
import { fmtTarget } from '../../src/core/compare/render/format';

const T0 = Date.parse('2026-01-23T14:30:00Z');
const OPTS = { seed: 3, bootstrap: 400 };

test('targets: direction matters, change is relative to the baseline, service values are timeline means', () => {
  const a = fakeRun({ points: [point(T0, { hit: 0.9, pool: 0.5, cpu: 30 }), point(T0 + 2000, { hit: 0.7, pool: 0.6, cpu: 50 })] });
  const b = fakeRun({ seed: 2, scale: 1.5, points: [point(T0, { hit: 0.5, pool: 0.9, cpu: 60 }), point(T0 + 2000, { hit: 0.6, pool: 0.95, cpu: 60 })] });
  const r = compareRuns(a, b, OPTS);
  const row = (m: string) => r.targets.find((t) => t.metric === m)!;

  const hit = row('cacheHitRate');
  assert.ok(Math.abs(hit.baseline! - 0.8) < 1e-12 && Math.abs(hit.current! - 0.55) < 1e-12);
  assert.deepEqual(hit.target, { op: '>', value: 0.7 });
  assert.equal(hit.baselineMeets, true);
  assert.equal(hit.currentMeets, false);
  assert.equal(hit.direction, 'worse');
  assert.ok(Math.abs(hit.changePct! - (0.55 / 0.8 - 1) * 100) < 1e-9);
  assert.deepEqual(hit.sources, { baseline: 'service', current: 'service' });

  const pool = row('poolUtilization');
  assert.equal(pool.baselineMeets, true);
  assert.equal(pool.currentMeets, false, 'pool < 80 %: 92.5 % fails');
  assert.equal(pool.direction, 'worse');
  assert.equal(row('cpu').direction, 'worse');
  assert.equal(row('cpu').target, null);

  const p95 = row('p95');
  assert.equal(p95.sources.baseline, 'load');
  assert.ok(p95.current! > p95.baseline!, 'slower');
  assert.equal(p95.direction, 'worse');
  assert.ok(Math.abs(p95.changePct! - (p95.current! / p95.baseline! - 1) * 100) < 1e-9);
  assert.ok(p95.changePct! > 30 && p95.changePct! < 70, String(p95.changePct));
  assert.equal(p95.baselineMeets, p95.baseline! < 200);

  // Throughput: higher is better.
  const fewer = compareRuns(fakeRun({ n: 4000 }), fakeRun({ n: 3000 }), OPTS).targets.find((t) => t.metric === 'throughput')!;
  assert.equal(fewer.direction, 'worse');
  assert.ok(Math.abs(fewer.changePct! - -25) < 1e-9);
  // Error rate: from the load result, against < 0.1 %.
  const err = compareRuns(fakeRun(), fakeRun({ errors: 40 }), OPTS).targets.find((t) => t.metric === 'errorRate')!;
  assert.equal(err.baseline, 0);
  assert.equal(err.current, 40 / 4000);
  assert.deepEqual([err.baselineMeets, err.currentMeets], [true, false]);
  // Targets can be changed or removed.
  const custom = compareRuns(a, b, { ...OPTS, targets: { p95: { op: '<', value: 1 }, cacheHitRate: null } });
  assert.equal(custom.targets.find((t) => t.metric === 'p95')!.currentMeets, false);
  assert.equal(custom.targets.find((t) => t.metric === 'cacheHitRate')!.target, null);
});

test('targets at the boundary: strict (the seed\'s "< 200 ms") and inclusive (pulse.thresholds, "at or below")', () => {
  assert.equal(meets(200, { op: '<', value: 200 }), false);
  assert.equal(meets(200, { op: '<=', value: 200 }), true);
  assert.equal(meets(0.7, { op: '>', value: 0.7 }), false);
  assert.equal(meets(0.7, { op: '>=', value: 0.7 }), true);
  assert.equal(meets(null, { op: '<=', value: 1 }), null);
  assert.equal(fmtTarget({ unit: 'ms' }, { op: '<=', value: 200 }), '≤ 200 ms');
  assert.equal(fmtTarget({ unit: 'ratio' }, { op: '>=', value: 0.7 }), '≥ 70.0 %');
  assert.equal(fmtTarget({ unit: 'ms' }, { op: '<', value: 200 }), '< 200 ms');
});

test('targets from settings: operator and number in the metric\'s unit, ratios in percent, null removes; bad ones named', () => {
  const ok = parseTargets({ p95: '< 200', errorRate: '<= 0.1%', cacheHitRate: '≥ 70', memory: '< 512 MB', p99: null }, 'pulse.compare.targets');
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.targets, { p95: { op: '<', value: 200 }, errorRate: { op: '<=', value: 0.001 }, cacheHitRate: { op: '>=', value: 0.7 }, memory: { op: '<', value: 512 }, p99: null });
  const bad = parseTargets({ p42: '< 1', p95: '200', throughput: '> 5 ms' }, 'pulse.compare.targets');
  assert.deepEqual(bad.targets, {});
  assert.equal(bad.problems.length, 3);
  assert.match(bad.problems[0]!, /pulse\.compare\.targets\.p42: not a metric/);
  assert.match(bad.problems[1]!, /pulse\.compare\.targets\.p95: expected an operator and a number in ms, e\.g\. "< 200" \(got "200"\)/);
  assert.match(bad.problems[2]!, /throughput: expected an operator and a number in req\/s, e\.g\. "> 500"/);
  assert.deepEqual(parseTargets([], 'x').problems, ['x must be an object like {"p95": "< 200", "errorRate": "< 0.1"}']);
  assert.deepEqual(parseTargets(undefined, 'x'), { targets: {}, problems: [] });
});

test('a 30 % slowdown is regressed by the default p95 rule; a rerun of the same service is "~"', () => {
  const base = fakeRun({ seed: 1 });
  const slow = compareRuns(base, fakeRun({ seed: 2, scale: 1.3 }), OPTS);
  assert.equal(slow.verdict, 'regressed');
  assert.equal(slow.rules.from, 'default');
  const fired = slow.rules.results.find((x) => x.fired)!;
  assert.equal(fired.rule.metric, 'p95');
  assert.equal(fired.significance, 'significant');
  assert.ok(fired.worsePct! > 15 && fired.worsePct! < 45, String(fired.worsePct));
  assert.match(slow.summary, /^regressed: p95 \+\d+\.\d %/);
  assert.equal(slow.latency.kind, 'distribution');

  const same = compareRuns(base, fakeRun({ seed: 3 }), OPTS);
  assert.equal(same.verdict, '~');
  assert.ok(same.rules.results.every((x) => !x.fired));
  assert.match(same.summary, /^~ no significant regression/);

  const faster = compareRuns(base, fakeRun({ seed: 4, scale: 0.7 }), OPTS);
  assert.equal(faster.verdict, 'improved');
});

test('rules: the baseline’s own rules win over the options; error-rate and throughput rules', () => {
  const base = fakeRun({ seed: 1 });
  const cur = fakeRun({ seed: 2, scale: 1.3 });
  // A generous rule on the baseline: +30 % may pass.
  const lenient = makeBaseline(base, { name: 'b', rules: [{ metric: 'p95', maxWorsePct: 80 }] });
  const r = compareRuns(lenient, cur, { ...OPTS, rules: [{ metric: 'p95', maxWorsePct: 1 }] });
  assert.equal(r.rules.from, 'baseline');
  assert.equal(r.verdict, '~');
  assert.equal(compareRuns(base, cur, { ...OPTS, rules: [{ metric: 'p95', maxWorsePct: 80 }] }).rules.from, 'options');

  const errRule = [{ metric: 'errorRate' as const, maxWorsePct: 10 }];
  const errs = compareRuns(fakeRun({ errors: 20 }), fakeRun({ seed: 2, errors: 80 }), { ...OPTS, rules: errRule });
  assert.equal(errs.verdict, 'regressed');
  assert.equal(errs.rules.results[0]!.significance, 'significant');
  assert.ok(Math.abs(errs.rules.results[0]!.worsePct! - 300) < 1e-9);
  // 20 vs 22 errors in 4000: worse, but not significantly.
  const noise = compareRuns(fakeRun({ errors: 20 }), fakeRun({ seed: 2, errors: 22 }), { ...OPTS, rules: errRule });
  assert.equal(noise.rules.results[0]!.significance, 'not-significant');
  assert.equal(noise.verdict, '~');
  // 20 vs 40 (p ≈ 0.01): significant at the default 0.05, not at a stricter alpha the latency tests use too.
  const mid = (alpha?: number) => compareRuns(fakeRun({ errors: 20 }), fakeRun({ seed: 2, errors: 40 }), { ...OPTS, rules: errRule, ...(alpha ? { alpha } : {}) }).rules.results[0]!;
  assert.equal(mid().significance, 'significant');
  assert.ok(mid().p! > 0.001 && mid().p! < 0.05, String(mid().p));
  assert.equal(mid(0.001).significance, 'not-significant');
  assert.equal(mid(0.001).fired, false);

  const tp = compareRuns(fakeRun({ n: 4000 }), fakeRun({ n: 2000 }), { ...OPTS, rules: [{ metric: 'throughput', maxWorsePct: 10 }] });
  assert.equal(tp.rules.results[0]!.fired, true);
  assert.ok(Math.abs(tp.rules.results[0]!.worsePct! - 50) < 1e-9);
});

test('per-endpoint rows for routes both runs have; the others listed by name', () => {
  const routesA = { 'GET /a': [10, 20, 30], 'GET /b': [5, 8, 9], 'GET /gone': [1, 2, 3] } as Record<string, [number, number, number]>;
  const routesB = { 'GET /a': [10, 30, 40], 'GET /b': [5, 8, 9], 'POST /new': [1, 2, 3] } as Record<string, [number, number, number]>;
  const a = fakeRun({ points: [point(T0, { routes: routesA }), point(T0 + 2000, { routes: { ...routesA, 'GET /a': [10, 40, 50] } })] });
  const b = fakeRun({ points: [point(T0, { routes: routesB })] });
  const e = compareRuns(a, b, OPTS).endpoints;
  assert.deepEqual(e.rows.map((r) => r.key), ['GET /a', 'GET /b']);
  const ra = e.rows[0]!;
  assert.equal(ra.source, 'service');
  assert.equal(ra.baseline.p95, 30, 'mean over the baseline timeline');
  assert.equal(ra.current.p95, 30);
  assert.equal(ra.changePct.p95, 0);
  assert.ok(Math.abs(ra.changePct.p99! - (40 / 40 - 1) * 100) < 1e-9);
  assert.deepEqual(e.onlyBaseline, ['GET /gone']);
  assert.deepEqual(e.onlyCurrent, ['POST /new']);
});

test('an imported run without a histogram falls back to percentiles, clearly labelled, untested', () => {
  const base = fakeRun({ seed: 1 });
  const imported = fakeRun({ seed: 2, scale: 1.5 });
  imported.result!.histogram = '';
  const r = compareRuns(base, imported, OPTS);
  assert.equal(r.current.latencyBasis, 'percentiles');
  assert.equal(r.latency.kind, 'percentiles');
  if (r.latency.kind !== 'percentiles') return;
  const p95 = r.latency.rows.find((x) => x.metric === 'p95')!;
  assert.equal(p95.current, imported.result!.latencyMs.p95);
  assert.ok(r.latency.notes.some((n) => n.includes(NO_DISTRIBUTION_NOTE)));
  assert.ok(r.warnings.some((w) => w.message.includes(NO_DISTRIBUTION_NOTE)));
  const rule = r.rules.results[0]!;
  assert.equal(rule.significance, 'untested');
  assert.equal(rule.fired, true, 'a 50 % worse p95 fires even untested');
  assert.match(rule.message, /no significance test/);
  assert.equal(r.charts.cdf.current.length > 0, true);
});

test('the report is plain JSON: it survives a round trip, with schema and kind', () => {
  const r = compareRuns(fakeRun(), fakeRun({ seed: 2, scale: 1.2, config: { target: 'http://127.0.0.1:8000', requests: [{ method: 'GET', path: '/' }], model: { kind: 'closed', connections: 4 }, profile: 'steady', durationMs: 5000 } }), OPTS);
  const back = JSON.parse(renderJson(r));
  assert.deepEqual(back, JSON.parse(JSON.stringify(r)));
  assert.equal(back.schemaVersion, 1);
  assert.equal(back.kind, 'pulse-comparison');
  assert.ok(r.warnings.some((w) => w.kind === 'comparability' && /Load model differs: baseline open, current closed/.test(w.message)));
  assert.ok(r.charts.cdf.baseline.length > 10 && r.charts.cdf.baseline.length <= 220);
  assert.ok(r.charts.cdf.baseline.every((p, i, all) => i === 0 || (p.ms >= all[i - 1]!.ms && p.q >= all[i - 1]!.q)), 'CDF is monotone');
  assert.equal(r.charts.timeline.baseline.length, 10);
});
