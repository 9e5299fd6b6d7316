// The `pulse` CLI as a user runs it: the built bin against the demo service on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startDemoService, type DemoServiceHandle } from '../../src/demo/service';

const CLI = join(__dirname, '..', '..', 'cli.js');
let demo: DemoServiceHandle;

before(async () => {
  demo = await startDemoService({ port: 0, traffic: 60, speed: 20, seed: 7, logFile: null });
});
after(() => demo.close());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('pulse health --json prints the signals as fractions and per-second rates', async () => {
  const r = await cli(['health', `${demo.url}/metrics`, '--json', '--duration', '3s', '--interval', '500ms', '--window', '10s']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ['p50_ms', 'p95_ms', 'p99_ms', 'request_rate', 'error_rate', 'cache_hit_rate', 'pool_utilization', 'endpoints']) assert.ok(k in j, `missing ${k}`);
  assert.ok(j.p50_ms > 0 && j.p50_ms <= j.p95_ms && j.p95_ms <= j.p99_ms, `${j.p50_ms} ${j.p95_ms} ${j.p99_ms}`);
  // 60 req/s of synthetic traffic, measured over a few seconds.
  assert.ok(j.request_rate > 30 && j.request_rate < 90, `request_rate ${j.request_rate}`);
  assert.ok(j.error_rate >= 0 && j.error_rate < 0.2);
  assert.ok(j.cache_hit_rate >= 0 && j.cache_hit_rate <= 1);
  assert.ok(j.pool_utilization >= 0 && j.pool_utilization <= 1);
  const fc = j.endpoints['GET /api/v1/forecast'];
  assert.ok(fc, Object.keys(j.endpoints).join(', '));
  assert.equal(fc.method, 'GET');
  assert.ok(fc.request_rate > 0);
  assert.ok(j.endpoints['POST /api/v1/chat'].p95_ms > fc.p95_ms, 'chat is slower than forecast');
});

test('pulse health on the JSON endpoint gives null latency, real pool and cache', async () => {
  const r = await cli(['health', `${demo.url}/api/v1/metrics`, '--json', '--duration', '1s', '--interval', '500ms']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.p95_ms, null);
  assert.equal(j.request_rate, null);
  assert.equal(j.pool_size, 13);
  assert.ok(j.cache_hit_rate !== null);
});

test('text output names each endpoint; errors and usage are clear', async () => {
  const r = await cli(['health', `${demo.url}/metrics`, '--duration', '1s', '--interval', '500ms']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /latency\s+p50 [\d.]+ m?s\s+p95/);
  assert.match(r.stdout, /POST \/api\/v1\/chat/);
  const down = await cli(['health', 'http://127.0.0.1:1/metrics', '--duration', '200ms', '--interval', '100ms']);
  assert.equal(down.code, 1);
  assert.match(down.stdout, /connection refused at 127\.0\.0\.1:1/);
  const usage = await cli(['health', `${demo.url}/metrics`, '--window', 'soon']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--window expects a duration like 500ms, 10s or 2m \(got "soon"\)/);
  const unknown = await cli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});
