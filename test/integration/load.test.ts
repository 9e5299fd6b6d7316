// Real load runs on loopback: the demo service in both models, coordinated omission against a
// server that stalls, cancellation, and the `pulse load` CLI. Bounded: a few seconds per run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoService, type DemoServiceHandle } from '../../src/demo/service';
import { runLoad } from '../../src/core/load/engine';
import { decodeHistogram } from '../../src/core/load/recorder';
import type { LatencySummaryMs, LoadConfig, LoadResult } from '../../src/core/load/types';

const CLI = join(__dirname, '..', '..', 'cli.js');
let demo: DemoServiceHandle;

before(async () => {
  demo = await startDemoService({ port: 0, traffic: 0, speed: 50, seed: 11, logFile: null });
});
after(() => demo.close());

const MIX: LoadConfig['requests'] = [
  { name: 'forecast', method: 'GET', path: '/api/v1/forecast?city={{city}}', weight: 3 },
  { name: 'user', method: 'GET', path: '/api/v1/users/{{$randomInt 1 6000}}', weight: 2 },
  { name: 'chat', method: 'POST', path: '/api/v1/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"hello {{$uuid}}"}', weight: 1 },
];

function assertSane(l: LatencySummaryMs): void {
  assert.ok(l.min > 0 && l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, JSON.stringify(l));
  assert.ok(l.mean >= l.min && l.mean <= l.max);
}

function assertConsistent(r: LoadResult, seconds: number): void {
  const responses = Object.values(r.statusCodes).reduce((a, b) => a + b, 0);
  const failed = r.errors.connect + r.errors.timeout + r.errors.reset + r.errors.other;
  assert.equal(responses + failed, r.requests, 'every request is a response or an error');
  assert.equal(r.timeline.length, seconds, 'one entry per second');
  assert.deepEqual(r.timeline.map((s) => s.t), [...Array(seconds).keys()]);
  assert.equal(r.timeline.reduce((a, s) => a + s.completed, 0), r.requests);
  assert.ok(Math.abs(r.rps - r.requests / r.durationS) < 0.01);
  assert.equal(decodeHistogram(r.histogram).totalCount, responses + r.errors.timeout);
}

test('closed model against the demo service: a weighted, templated mix', async () => {
  const r = await runLoad({ target: demo.url, requests: MIX, variables: { city: 'Berlin' }, model: { kind: 'closed', connections: 8 }, profile: 'steady', durationMs: 2000 });
  assert.equal(r.stoppedBy, 'duration');
  assert.ok(r.durationS >= 2 && r.durationS < 2.5, String(r.durationS));
  assert.ok(r.requests > 200, `requests ${r.requests}`);
  assertConsistent(r, 2);
  assertSane(r.latencyMs);
  assert.equal(r.latencyMsUncorrected, undefined, 'closed model: one latency');
  // Users above 5000 do not exist: 404s, counted but not errors. Base error rate is 0.2 %.
  assert.ok(r.statusCodes['200']! > r.requests * 0.6, JSON.stringify(r.statusCodes));
  assert.ok(r.statusCodes['404']! > 0, JSON.stringify(r.statusCodes));
  assert.equal(r.errors.http, r.statusCodes['500'] ?? 0);
  assert.ok(r.errors.http < r.requests * 0.05);
  assert.equal(r.errors.connect + r.errors.reset + r.errors.timeout + r.errors.other, 0, JSON.stringify(r.errors));
  for (const s of r.timeline) {
    assert.equal(s.targetRate, null);
    assert.ok(s.completed > 0 && s.p50! <= s.p95! && s.p95! <= s.p99!, JSON.stringify(s));
  }
});

test('open model against the demo service: the rate follows the clock', async () => {
  const seconds: number[] = [];
  const r = await runLoad(
    { target: demo.url, requests: MIX, variables: { city: 'Paris' }, model: { kind: 'open', rate: 150 }, profile: 'steady', durationMs: 2000 },
    { onSecond: (s, p) => seconds.push(s.t, p.requests) },
  );
  assert.ok(Math.abs(r.requests - 300) <= 6, `requests ${r.requests}`);
  assertConsistent(r, 2);
  assertSane(r.latencyMs);
  assertSane(r.latencyMsUncorrected!);
  assert.ok(r.latencyMs.p50 >= r.latencyMsUncorrected!.p50);
  assert.equal(r.unsent, 0);
  assert.deepEqual(r.timeline.map((s) => s.targetRate), [150, 150]);
  assert.equal(seconds[0], 0);
  assert.equal(seconds[2], 1);
  assert.equal(seconds[3], r.requests, 'the last callback carries the totals');
});

test('coordinated omission: a 1 s stall shows in the corrected p99, not in the uncorrected one', async () => {
  let stalled = false;
  let held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    if (stalled) held.push(res);
    else res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const stall = setTimeout(() => (stalled = true), 1500);
    const release = setTimeout(() => {
      stalled = false;
      for (const res of held) res.end('ok');
      held = [];
    }, 2500);
    // Few connections, like wrk2 -c 4: during the stall arrivals queue for a connection.
    const r = await runLoad({ target: url, requests: [{ method: 'GET', path: '/' }], model: { kind: 'open', rate: 200, maxConnections: 4 }, profile: 'steady', durationMs: 3500 });
    clearTimeout(stall);
    clearTimeout(release);
    assert.ok(Math.abs(r.requests - 700) <= 10, `requests ${r.requests}`);
    assert.deepEqual(r.errors, { connect: 0, timeout: 0, reset: 0, http: 0, other: 0 });
    const corrected = r.latencyMs;
    const uncorrected = r.latencyMsUncorrected!;
    assert.ok(corrected.p99 >= 500, `corrected p99 ${corrected.p99} ms`);
    assert.ok(corrected.p90 >= 100, `~28 % of arrivals fell in the stall: corrected p90 ${corrected.p90} ms`);
    // Uncorrected, only the few requests caught in flight saw the stall: p99 stays far below
    // (relative, so a busy machine's slower ordinary requests do not matter).
    assert.ok(uncorrected.p99 * 4 < corrected.p99, `uncorrected p99 ${uncorrected.p99} ms vs corrected ${corrected.p99} ms`);
    assert.ok(uncorrected.p99 * 5 < corrected.p99);
    // The stall's second shows it.
    const worst = Math.max(...r.timeline.map((s) => s.p99 ?? 0));
    assert.ok(worst >= 500, `worst second p99 ${worst}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('cancel mid-run: resolves within 1 s with the partial result, in-flight requests aborted', async () => {
  // Closed model against the demo, then an open model whose requests hang forever.
  const ac = new AbortController();
  const run = runLoad({ target: demo.url, requests: MIX, variables: { city: 'Rome' }, model: { kind: 'closed', connections: 20 }, profile: 'steady', durationMs: 30_000 }, { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 1200));
  const t0 = performance.now();
  ac.abort();
  const r = await run;
  const took = performance.now() - t0;
  assert.ok(took < 1000, `stopped in ${took} ms`);
  assert.equal(r.stoppedBy, 'cancelled');
  assert.ok(r.requests > 50 && r.durationS > 1 && r.durationS < 2, `${r.requests} in ${r.durationS} s`);
  assert.equal(r.timeline.length, 2);
  assert.equal(r.errors.other + r.errors.reset, 0, `aborted requests are not errors: ${JSON.stringify(r.errors)}`);

  const hang = http.createServer(() => {
    /* never answers */
  });
  await new Promise<void>((res) => hang.listen(0, '127.0.0.1', res));
  try {
    const ac2 = new AbortController();
    const run2 = runLoad({ target: `http://127.0.0.1:${(hang.address() as AddressInfo).port}`, requests: [{ method: 'GET', path: '/' }], model: { kind: 'open', rate: 100 }, profile: 'steady', durationMs: 60_000, timeoutMs: 60_000 }, { signal: ac2.signal });
    await new Promise((res) => setTimeout(res, 500));
    const t1 = performance.now();
    ac2.abort();
    const r2 = await run2;
    assert.ok(performance.now() - t1 < 1000);
    assert.equal(r2.stoppedBy, 'cancelled');
    assert.equal(r2.requests, 0, 'nothing finished');
    assert.equal(r2.timeline.length, 1);
    assert.equal(r2.timeline[0]!.sent, 50);
  } finally {
    hang.closeAllConnections();
    await new Promise<void>((res) => hang.close(() => res()));
  }
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('pulse load --json prints one object; --out writes the run record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-load-'));
  try {
    const out = join(dir, 'runs', 'run.json');
    const r = await cli(['load', `${demo.url}/`, '--rate', '200', '--duration', '2s', '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['requests', 'duration_s', 'rps', 'latency_ms', 'latency_ms_uncorrected', 'errors', 'status_codes', 'timeline', 'histogram']) assert.ok(k in j, `missing ${k}`);
    assert.equal(j.model, 'open');
    assert.ok(Math.abs(j.requests - 400) <= 8, String(j.requests));
    // 2 s of arrivals, then the requests still in flight finish (longer on a busy machine).
    assert.ok(j.duration_s >= 2 && j.duration_s < 4, `duration_s ${j.duration_s}`);
    for (const l of [j.latency_ms, j.latency_ms_uncorrected]) for (const k of ['p50', 'p90', 'p99', 'p999', 'max']) assert.equal(typeof l[k], 'number', k);
    assert.deepEqual(Object.keys(j.errors).sort(), ['connect', 'http', 'other', 'reset', 'timeout']);
    assert.equal(j.timeline.length, 2);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(rec.kind, 'pulse-run');
    assert.equal(rec.source, 'pulse');
    assert.equal(rec.result.requests, j.requests);
    assert.equal(rec.result.histogram, j.histogram);
    assert.equal(rec.config.model.rate, 200);

    // A scenario file, with a flag overriding its duration.
    const scenario = join(dir, 'demo.loadtest.json');
    writeFileSync(scenario, JSON.stringify({ name: 'demo mix', target: demo.url, model: { kind: 'closed', connections: 3 }, duration: '30s', variables: { city: 'Lima' }, requests: MIX }));
    const sc = await cli(['load', scenario, '--duration', '1s', '--json']);
    assert.equal(sc.code, 0, sc.stderr);
    const sj = JSON.parse(sc.stdout);
    assert.equal(sj.connections, 3);
    assert.ok(sj.duration_s >= 1 && sj.duration_s < 1.5, String(sj.duration_s));
    assert.ok(sj.status_codes['200'] > 0);

    const closed = await cli(['load', `${demo.url}/api/v1/forecast?city=oslo`, '--connections', '4', '--duration', '1s', '--json']);
    assert.equal(closed.code, 0, closed.stderr);
    const c = JSON.parse(closed.stdout);
    assert.equal(c.model, 'closed');
    assert.equal(c.connections, 4);
    assert.equal('latency_ms_uncorrected' in c, false);
    assert.ok(c.status_codes['200'] > 0);

    const text = await cli(['load', `${demo.url}/api/v1/forecast`, '--connections', '2', '--max-requests', '50', '--header', 'x-test: 1']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /requests\s+50 in [\d.]+ s/);
    assert.match(text.stdout, /p50\s+p90\s+p99\s+p99\.9\s+max/);
    assert.match(text.stdout, /stopped: maxRequests/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pulse load: usage errors exit 2, a dead target exits 1, Ctrl-C prints the partial result', async () => {
  const remote = await cli(['load', 'http://example.com/', '--duration', '1s']);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /refusing to send load to http:\/\/example\.com.*--allow-remote/);
  const both = await cli(['load', `${demo.url}/`, '--rate', '10', '--connections', '2']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /not both/);
  const dur = await cli(['load', `${demo.url}/`, '--duration', 'soon']);
  assert.equal(dur.code, 2);
  const dead = await cli(['load', 'http://127.0.0.1:1/', '--duration', '300ms', '--json']);
  assert.equal(dead.code, 1);
  assert.ok(JSON.parse(dead.stdout).errors.connect > 0);

  const child = spawn(process.execPath, [CLI, 'load', `${demo.url}/api/v1/forecast`, '--connections', '4', '--duration', '60s', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = performance.now();
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(code, 130);
  const j = JSON.parse(stdout);
  assert.equal(j.stopped_by, 'cancelled');
  assert.ok(j.requests > 0);
});
