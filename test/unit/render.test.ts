import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatus } from '../../src/status/render';
import { renderDetails } from '../../src/health/detailsRender';
import { HealthEvaluator, DEFAULT_THRESHOLDS } from '../../src/core/health';
import { emptySignals } from '../../src/core/types';

const last = { signals: emptySignals(0, 60), at: 1_000_000, durationMs: 3, format: 'prometheus' as const, seriesCount: 182 };

function okState(p95: number, err: number, hit: number, pool: number, level?: 'warn') {
  const signals = { ...emptySignals(1_000_000, 60), p95Ms: p95, errorRate: err, cacheHitRate: hit, poolUtilization: pool, p50Ms: 40, requestRate: 12 };
  const ev = new HealthEvaluator({ ...DEFAULT_THRESHOLDS, forSeconds: level ? 0 : 30 });
  return { kind: 'ok' as const, url: 'http://127.0.0.1:8000/metrics', signals, evaluation: ev.evaluate(signals, 1_000_000), last };
}

test('ok state renders the headline in the documented form', () => {
  const v = renderStatus(okState(182, 0.021, 0.73, 0.38), 1_002_000);
  assert.equal(v.text, '$(pulse) p95 182 ms · 2.1% err · hit 73% · pool 38%');
  assert.equal(v.level, 'none', 'error rate breach not held long enough yet');
  assert.match(v.tooltip, /\| Error rate \| 2\.1% \| ≤ 1\.0% \| past target for 2 s \(waiting\) \|/);
  assert.match(v.tooltip, /Last scrape .* \(2 s ago\), 3 ms, 182 series/);
});

test('firing breaches colour the item; severe is an error', () => {
  assert.equal(renderStatus(okState(250, 0, 0.9, 0.1, 'warn'), 1_000_000).level, 'warning');
  const severe = renderStatus(okState(450, 0, 0.9, 0.1, 'warn'), 1_000_000);
  assert.equal(severe.level, 'error');
  assert.ok(severe.text.startsWith('$(error) p95 450 ms'));
});

test('connecting, no data, down and idle are distinct', () => {
  const now = 2_000_000;
  assert.match(renderStatus({ kind: 'connecting', url: 'u', since: now }, now).text, /connecting/);
  assert.match(renderStatus({ kind: 'noData', url: 'u', reason: 'no data yet: waiting', last }, now).text, /no data yet/);
  const down = renderStatus({ kind: 'down', url: 'http://127.0.0.1:9/metrics', reason: 'connection refused at 127.0.0.1:9 (is the service running?)', errorKind: 'refused', since: now - 5000, lastOk: undefined, failures: 3 }, now);
  assert.equal(down.text, '$(debug-disconnect) Pulse: down — connection refused at 127.0.0.1:9');
  assert.equal(down.level, 'error');
  assert.match(down.tooltip, /3 failed scrapes/);
  assert.equal(renderStatus({ kind: 'idle' }, now).text, '$(pulse) Pulse');
});

test('details list every signal, endpoint rows and settings problems', () => {
  const s = okState(182, 0.021, 0.73, 0.38);
  s.signals.endpoints = [{ key: 'POST /api/v1/chat', method: 'POST', route: '/api/v1/chat', requestRate: 2, errorRate: 0, p50Ms: 800, p95Ms: 2900, p99Ms: 3400, meanMs: 900 }];
  const md = renderDetails({ state: s, thresholds: DEFAULT_THRESHOLDS, problems: ['pulse.scrape.intervalSeconds must be a number'], now: 1_001_000 });
  assert.match(md, /\| p95 latency \| 182 ms \| ≤ 200 ms \|/);
  assert.match(md, /\| POST \/api\/v1\/chat \| 2\.0\/s \| 0% \| 800 ms \| 2900 ms \| 3400 ms \|/);
  assert.match(md, /Settings problems[\s\S]*intervalSeconds/);
});
