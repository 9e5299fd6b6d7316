import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthEvaluator, DEFAULT_THRESHOLDS } from '../../src/core/health';
import { emptySignals } from '../../src/core/types';

function sig(p95: number | null, err: number | null = 0) {
  return { ...emptySignals(0, 60), p95Ms: p95, errorRate: err };
}

test('a breach must hold for forSeconds before firing, and clear only after as long within target', () => {
  const h = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: 30 });
  const p95 = (t: number, v: number) => h.evaluate(sig(v), t).rules.find((r) => r.signal === 'p95Ms')!;
  assert.equal(p95(0, 100).state, 'ok');
  assert.equal(p95(1000, 300).state, 'pending');
  assert.equal(h.evaluate(sig(300), 20_000).level, 'ok', 'not turned yet');
  // A brief dip resets the clock: no flapping into firing.
  assert.equal(p95(21_000, 150).state, 'ok');
  assert.equal(p95(22_000, 300).state, 'pending');
  assert.equal(p95(51_000, 300).state, 'pending');
  const firing = p95(52_000, 300);
  assert.equal(firing.state, 'firing');
  assert.equal(h.evaluate(sig(300), 53_000).level, 'warning');
  assert.equal(h.evaluate(sig(450), 54_000).level, 'error', 'twice the target is severe');
  // Back within target: resolving keeps the indicator on until held.
  assert.equal(p95(60_000, 100).state, 'resolving');
  assert.equal(h.evaluate(sig(100), 70_000).level, 'warning');
  assert.equal(p95(75_000, 300).state, 'firing', 'relapse while resolving fires again at once');
  assert.equal(p95(76_000, 100).state, 'resolving');
  assert.equal(p95(106_000, 100).state, 'ok');
  assert.equal(h.evaluate(sig(100), 107_000).level, 'ok');
});

test('zero hold time turns and clears immediately; missing signals are unknown', () => {
  const h = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: 0 });
  const e1 = h.evaluate(sig(null, 0.05), 0);
  assert.equal(e1.rules.find((r) => r.signal === 'errorRate')!.state, 'firing');
  assert.equal(e1.rules.find((r) => r.signal === 'p95Ms')!.state, 'unknown');
  assert.equal(e1.level, 'error');
  assert.equal(h.evaluate(sig(null, 0), 1000).rules.find((r) => r.signal === 'errorRate')!.state, 'ok');
});

test('cache hit-rate is a minimum: below target breaches', () => {
  const h = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: 0 });
  const r = h.evaluate({ ...emptySignals(0, 60), cacheHitRate: 0.5 }, 0).rules.find((x) => x.signal === 'cacheHitRate')!;
  assert.equal(r.state, 'firing');
  assert.equal(r.direction, 'min');
});
