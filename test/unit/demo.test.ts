// Tests of the bundled demo service (src/demo). Most start the service
// in-process on port 0 with a high --speed and a fixed seed, and talk to it over
// loopback with undici; two spawn the built dist/demo.js like the extension does.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { parseArgs, UsageError, DEFAULT_OPTIONS } from '../../src/demo/args';
import { SimCache } from '../../src/demo/cache';
import { FaultInjector, parseFaultRequest } from '../../src/demo/faults';
import { createRng } from '../../src/demo/latency';
import { ConnectionPool, PoolTimeoutError } from '../../src/demo/pool';
import { startDemoService, DemoListenError, type DemoServiceHandle, type StartOptions } from '../../src/demo/service';

const dispatcher = new Agent({ connections: 128 });
after(() => dispatcher.close());

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-demo-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// dist/test/unit/demo.test.js -> dist/demo.js
const DEMO_JS = path.resolve(__dirname, '..', '..', 'demo.js');

interface Reply {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

async function http(
  base: string,
  p: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; json?: unknown } = {},
): Promise<Reply> {
  const t0 = performance.now();
  const res = await request(base + p, {
    dispatcher,
    method: init.method ?? 'GET',
    headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
  const text = await res.body.text();
  const ct = res.headers['content-type'];
  return { status: res.statusCode, contentType: Array.isArray(ct) ? ct.join(',') : (ct ?? ''), text, ms: performance.now() - t0 };
}

const getJson = async (base: string, p: string): Promise<unknown> => JSON.parse((await http(base, p)).text) as unknown;

async function start(o: StartOptions = {}): Promise<DemoServiceHandle> {
  return startDemoService({ port: 0, traffic: 0, speed: 100, seed: 42, logFile: null, cacheWarmupSeconds: 0, ...o });
}

// ---- tiny Prometheus text parser (samples only) ----------------------------------

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    assert.ok(m, `unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ''] = l[2] ?? '';
    out.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return out;
}

function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

async function scrape(base: string): Promise<Sample[]> {
  return parseSamples((await http(base, '/metrics')).text);
}

// ---- unit-level pieces --------------------------------------------------------------

test('args: defaults, flags, thresholds and errors', () => {
  assert.deepEqual(parseArgs([]), { ...DEFAULT_OPTIONS, slowThresholdsMs: { ...DEFAULT_OPTIONS.slowThresholdsMs } });
  const o = parseArgs([
    '--port', '0', '--host=::1', '--traffic', '0', '--log-file', 'x.log', '--pool-size', '5',
    '--cache-warmup-seconds', '2.5', '--inject-latency-ms', '250', '--inject-error-rate', '0.05',
    '--speed', '10', '--seed', '7', '--slow-threshold-ms', '500', '--slow-threshold-ms', '/api/v1/chat=4000',
  ]);
  assert.ok(o !== 'help');
  assert.equal(o.port, 0);
  assert.equal(o.host, '::1');
  assert.equal(o.poolSize, 5);
  assert.equal(o.cacheWarmupSeconds, 2.5);
  assert.equal(o.injectErrorRate, 0.05);
  assert.equal(o.speed, 10);
  assert.equal(o.seed, 7);
  assert.deepEqual(o.slowThresholdsMs, { '*': 500, '/api/v1/chat': 4000 });
  assert.equal((parseArgs(['--no-log-file']) as { logFile: unknown }).logFile, null);
  assert.equal(parseArgs(['-h']), 'help');
  assert.throws(() => parseArgs(['--port', '70000']), UsageError);
  assert.throws(() => parseArgs(['--inject-error-rate', '2']), UsageError);
  assert.throws(() => parseArgs(['--speed', '0']), UsageError);
  assert.throws(() => parseArgs(['--bogus']), /unknown option/);
  assert.throws(() => parseArgs(['--port']), /needs a value/);
});

test('cache: hit probability warms from ~15% to ~75% over the warm-up', () => {
  let now = 0;
  const cache = new SimCache({ warmupSeconds: 45, rng: createRng(1), now: () => now });
  assert.ok(Math.abs(cache.hitProbability() - 0.15) < 1e-9);
  let prev = cache.hitProbability();
  for (now = 5000; now <= 45_000; now += 5000) {
    const p = cache.hitProbability();
    assert.ok(p > prev, 'rises monotonically');
    prev = p;
  }
  assert.ok(Math.abs(cache.hitProbability() - 0.75) < 1e-9);
  now = 120_000;
  assert.ok(Math.abs(cache.hitProbability() - 0.75) < 1e-9, 'steady after warm-up');
  assert.equal(cache.lookup(true), false, 'forced miss');
  assert.equal(cache.stats().misses, 1);
});

test('pool: never exceeds its size, serves waiters FIFO, times out', async () => {
  const pool = new ConnectionPool(2);
  const r1 = await pool.acquire(1000);
  const r2 = await pool.acquire(1000);
  const order: number[] = [];
  const w3 = pool.acquire(1000).then((r) => (order.push(3), r));
  const w4 = pool.acquire(1000).then((r) => (order.push(4), r));
  assert.equal(pool.active, 2);
  assert.equal(pool.waiting, 2);
  r1();
  r1(); // double release is ignored
  const r3 = await w3;
  assert.equal(pool.active, 2);
  r2();
  const r4 = await w4;
  assert.deepEqual(order, [3, 4]);
  await assert.rejects(pool.acquire(10), PoolTimeoutError);
  r3();
  r4();
  assert.equal(pool.active, 0);
  assert.equal(pool.idle, 2);
  assert.equal(pool.maxActive, 2);
});

test('faults: updates merge per scope, 0 clears, global and route faults combine', () => {
  const f = new FaultInjector();
  f.update(null, parseFaultRequest({ latencyMs: 100 }));
  f.update(null, parseFaultRequest({ errorRate: 0.1 }));
  f.update('/api/v1/chat', parseFaultRequest({ errorRate: 0.5, endpoint: '/api/v1/chat' }));
  assert.deepEqual(f.state(), { global: { latencyMs: 100, errorRate: 0.1 }, endpoints: { '/api/v1/chat': { latencyMs: 0, errorRate: 0.5 } } });
  const chat = f.forEndpoint('/api/v1/chat');
  assert.equal(chat.latencyMs, 100);
  assert.ok(Math.abs(chat.errorRate - 0.55) < 1e-12); // 1 - 0.9 * 0.5
  f.update('/api/v1/chat', { errorRate: 0 });
  assert.deepEqual(f.state().endpoints, {});
  assert.throws(() => parseFaultRequest({ latencyMs: -1 }), /latencyMs/);
  assert.throws(() => parseFaultRequest({ latency: 5 }), /unknown field/);
  f.reset();
  assert.deepEqual(f.state(), { global: null, endpoints: {} });
});

// ---- the running service ---------------------------------------------------------------

test('/metrics exposes the named metrics with counts matching the requests sent', async () => {
  const svc = await start();
  try {
    const base = svc.url;
    type Sent = [method: 'GET' | 'POST', path: string, endpoint: string, json?: unknown];
    const sent: Sent[] = [
      ...Array.from({ length: 5 }, (): Sent => ['GET', '/api/v1/forecast?city=oslo&days=2', '/api/v1/forecast']),
      ...Array.from({ length: 3 }, (): Sent => ['GET', '/api/v1/users/7', '/api/v1/users/{id}']),
      ['GET', '/api/v1/users/999999', '/api/v1/users/{id}'],
      ['GET', '/api/v1/users/123456', '/api/v1/users/{id}'],
      ['GET', '/api/v1/search?q=rain', '/api/v1/search'],
      ['GET', '/api/v1/search?q=refund&limit=5', '/api/v1/search'],
      ['POST', '/api/v1/orders', '/api/v1/orders', { user_id: 3, items: [{ sku: 'SKU-1001', qty: 2 }] }],
      ['POST', '/api/v1/chat', '/api/v1/chat', { message: 'Will it rain?' }],
      ['GET', '/does/not/exist', 'unmatched'],
    ];
    const statuses: number[] = [];
    for (const [method, p, , json] of sent) statuses.push((await http(base, p, { method, json })).status);
    const want = [200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 200, 200, 201, 200, 404];
    statuses.forEach((got, i) => {
      const w = want[i] ?? 0;
      // A success may be turned into a 500 by the 0.2 % base error rate.
      assert.ok(got === w || (got === 500 && w < 400), `request ${i}: ${got} (wanted ${w})`);
    });

    const samples = await scrape(base);
    for (const name of [
      'http_request_duration_seconds_bucket', 'http_request_duration_seconds_sum', 'http_request_duration_seconds_count',
      'http_requests_total', 'request_latency_seconds', 'cache_hits_total', 'cache_misses_total',
      'db_connection_pool_size', 'db_connection_pool_active', 'db_connection_pool_idle', 'http_requests_in_progress',
      'process_cpu_seconds_total', 'process_resident_memory_bytes',
    ]) {
      assert.ok(samples.some((s) => s.name === name), `missing metric ${name}`);
    }
    const expected = new Map<string, number>();
    for (const [method, , endpoint] of sent) expected.set(`${method} ${endpoint}`, (expected.get(`${method} ${endpoint}`) ?? 0) + 1);
    for (const [key, n] of expected) {
      const [method = '', endpoint = ''] = key.split(' ');
      assert.equal(total(samples, 'http_requests_total', { method, endpoint }), n, `http_requests_total ${key}`);
      assert.equal(total(samples, 'http_request_duration_seconds_count', { method, endpoint }), n, `histogram count ${key}`);
      assert.equal(total(samples, 'http_request_duration_seconds_bucket', { method, endpoint, le: '+Inf' }), n);
    }
    assert.equal(total(samples, 'http_requests_total'), sent.length, 'operational endpoints are not counted');
    assert.equal(total(samples, 'http_requests_total', { endpoint: '/api/v1/users/{id}', status: '404' }), 2);
    assert.equal(total(samples, 'http_requests_total', { endpoint: 'unmatched', status: '404' }), 1);
    const les = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.endpoint === '/api/v1/chat').map((s) => s.labels.le);
    assert.deepEqual(les, ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf']);
    // forecast does one cache lookup per request, users/{id} one per request.
    assert.equal(total(samples, 'cache_hits_total') + total(samples, 'cache_misses_total'), 5 + 5);
    assert.equal(total(samples, 'db_connection_pool_size'), 13);
    assert.equal(total(samples, 'db_connection_pool_idle') + total(samples, 'db_connection_pool_active'), 13);
    assert.equal(total(samples, 'http_requests_in_progress'), 0);

    const alias = parseSamples((await http(base, '/prometheus')).text);
    assert.equal(total(alias, 'http_requests_total'), sent.length, '/prometheus is an alias of /metrics');
  } finally {
    await svc.close();
  }
});

test('OpenMetrics is negotiated via Accept and Prometheus output stays intact', async () => {
  const svc = await start();
  try {
    await http(svc.url, '/api/v1/forecast');
    const om = await http(svc.url, '/metrics', {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
    });
    assert.equal(om.status, 200);
    assert.match(om.contentType, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(om.text.endsWith('# EOF\n'), 'OpenMetrics ends with # EOF');
    assert.match(om.text, /^# TYPE http_requests counter$/m);
    assert.match(om.text, /^http_requests_total\{method="GET",endpoint="\/api\/v1\/forecast",status="200"\} 1$/m);
    assert.match(om.text, /^# TYPE http_request_duration_seconds histogram$/m);

    // After an OpenMetrics scrape the Prometheus format must still name counters *_total.
    const prom = await http(svc.url, '/metrics');
    assert.match(prom.contentType, /^text\/plain; version=0\.0\.4/);
    assert.ok(!prom.text.includes('# EOF'));
    assert.match(prom.text, /^# TYPE http_requests_total counter$/m);
    assert.match(prom.text, /^# TYPE cache_hits_total counter$/m);
    assert.match(prom.text, /^process_cpu_seconds_total /m);

    const refused = await http(svc.url, '/metrics', { headers: { accept: 'application/openmetrics-text; q=0, text/plain' } });
    assert.match(refused.contentType, /^text\/plain/);
  } finally {
    await svc.close();
  }
});

test('/api/v1/metrics JSON has the exact shape with values in range; /health is healthy', async () => {
  const svc = await start();
  try {
    for (let i = 0; i < 4; i++) await http(svc.url, '/api/v1/forecast');
    const before = Date.now();
    const j = (await getJson(svc.url, '/api/v1/metrics')) as Record<string, Record<string, unknown>> & { timestamp: string };
    assert.deepEqual(Object.keys(j), ['timestamp', 'system', 'database', 'cache']);
    assert.deepEqual(Object.keys(j.system ?? {}), ['cpu_percent', 'memory_mb', 'memory_percent', 'memory_available_mb']);
    assert.deepEqual(Object.keys(j.database ?? {}), ['pool_size', 'pool_available', 'pool_active', 'pool_utilization_percent']);
    assert.deepEqual(Object.keys(j.cache ?? {}), ['enabled', 'hits', 'misses', 'hit_rate_percent']);
    assert.match(j.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(j.timestamp) - before) < 5000);
    const { system: s, database: d, cache: c } = j as unknown as {
      system: Record<string, number>;
      database: Record<string, number>;
      cache: { enabled: boolean; hits: number; misses: number; hit_rate_percent: number };
    };
    for (const v of [...Object.values(s), ...Object.values(d)]) assert.equal(typeof v, 'number');
    assert.ok(s.cpu_percent !== undefined && s.cpu_percent >= 0 && s.cpu_percent < 100 * os.cpus().length + 1);
    assert.ok(s.memory_mb !== undefined && s.memory_mb > 5 && s.memory_mb < os.totalmem() / 2 ** 20);
    assert.ok(s.memory_percent !== undefined && s.memory_percent > 0 && s.memory_percent <= 100);
    assert.ok(s.memory_available_mb !== undefined && s.memory_available_mb > 0);
    assert.deepEqual(d, { pool_size: 13, pool_available: 13, pool_active: 0, pool_utilization_percent: 0 });
    assert.equal(c.enabled, true);
    assert.equal(c.hits + c.misses, 4);
    assert.ok(Number.isInteger(c.hits) && Number.isInteger(c.misses));
    assert.equal(c.hit_rate_percent, Math.round((c.hits / 4) * 10000) / 100);

    const h = await http(svc.url, '/health');
    assert.equal(h.status, 200);
    assert.equal((JSON.parse(h.text) as { status: string }).status, 'healthy');
  } finally {
    await svc.close();
  }
});

test('DB pool utilization rises under concurrent load and never exceeds 13', async () => {
  const svc = await start({ speed: 2 }); // orders hold a connection ~90 ms simulated -> ~45 ms real
  try {
    const idle = (await getJson(svc.url, '/api/v1/metrics')) as { database: { pool_active: number } };
    assert.equal(idle.database.pool_active, 0);
    const order = { user_id: 1, items: [{ sku: 'SKU-2040', qty: 1 }] };
    let loadDone = false;
    const load = Promise.all(Array.from({ length: 60 }, () => http(svc.url, '/api/v1/orders', { method: 'POST', json: order }))).finally(() => {
      loadDone = true;
    });
    const seen: number[] = [];
    let gaugeMax = 0;
    while (!loadDone) {
      const j = (await getJson(svc.url, '/api/v1/metrics')) as { database: { pool_active: number; pool_available: number; pool_utilization_percent: number } };
      assert.equal(j.database.pool_active + j.database.pool_available, 13);
      seen.push(j.database.pool_active);
      gaugeMax = Math.max(gaugeMax, total(await scrape(svc.url), 'db_connection_pool_active'));
    }
    const replies = await load;
    assert.ok(replies.every((r) => r.status === 201 || r.status === 500));
    assert.ok(Math.max(...seen) <= 13 && gaugeMax <= 13, 'pool_active never exceeds the pool size');
    assert.ok(Math.max(...seen, gaugeMax) > 0, 'utilization visible while under load');
    assert.equal(svc.stats().poolMaxActive, 13, '60 concurrent orders saturate the 13 connections');
    const after = (await getJson(svc.url, '/api/v1/metrics')) as { database: { pool_active: number } };
    assert.equal(after.database.pool_active, 0, 'connections are returned');
  } finally {
    await svc.close();
  }
});

test('cache hit-rate rises from cold to warm', async () => {
  const svc = await start({ cacheWarmupSeconds: 1.5 });
  try {
    type CacheJson = { cache: { hits: number; misses: number; hit_rate_percent: number } };
    const cacheNow = async (): Promise<CacheJson['cache']> => ((await getJson(svc.url, '/api/v1/metrics')) as CacheJson).cache;
    const N = 40;
    const burst = (): Promise<unknown> => Promise.all(Array.from({ length: N }, () => http(svc.url, '/api/v1/forecast?city=rome')));
    await burst(); // right after start: cold
    const c0 = await cacheNow();
    assert.equal(c0.hits + c0.misses, N);
    const cold = c0.hits / N;
    await new Promise((r) => setTimeout(r, Math.max(0, svc.startedAt + 1550 - Date.now())));
    await burst(); // after the warm-up: steady
    const c1 = await cacheNow();
    const warm = (c1.hits - c0.hits) / N;
    assert.ok(cold < 0.45, `cold hit rate ${cold}`);
    assert.ok(warm > 0.55, `warm hit rate ${warm}`);
    assert.ok(c1.hit_rate_percent > c0.hit_rate_percent, 'cumulative hit_rate_percent rises');
    // The Prometheus counters agree with the JSON.
    const samples = await scrape(svc.url);
    assert.equal(total(samples, 'cache_hits_total'), c1.hits);
    assert.equal(total(samples, 'cache_misses_total'), c1.misses);
  } finally {
    await svc.close();
  }
});

test('slow requests are logged in the exact format (append mode)', async () => {
  const logFile = path.join(tmp, 'slow', 'demo-service.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, 'previous line\n');
  const svc = await start({ logFile, slowThresholdsMs: { '*': 1000, '/api/v1/users/{id}': 40 } });
  try {
    svc.inject({ latencyMs: 6000, endpoint: '/api/v1/users/{id}' }); // 6 s simulated = 60 ms at speed 100
    const t0 = Date.now();
    assert.equal((await http(svc.url, '/api/v1/users/42')).status, 200);
    await http(svc.url, '/api/v1/forecast'); // fast: must not be logged
    const lines = fs.readFileSync(logFile, 'utf8').split('\n');
    assert.equal(lines[0], 'previous line');
    assert.match(lines[1] ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - INFO - Pulse demo service .* listening on http:\/\/127\.0\.0\.1:\d+/);
    const slow = lines.filter((l) => l.includes('SLOW REQUEST'));
    assert.equal(slow.length, 1, slow.join('\n'));
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) - WARNING - SLOW REQUEST: GET \/api\/v1\/users\/42 took (\d+)ms \(threshold: 40ms\)$/.exec(slow[0] ?? '');
    assert.ok(m, `bad slow line: ${slow[0]}`);
    assert.ok(Number(m[7]) >= 40);
    const [, y, mo, d, hh, mi, ss] = m.map(Number);
    const logged = new Date(y ?? 0, (mo ?? 1) - 1, d, hh, mi, ss).getTime(); // local time
    assert.ok(Math.abs(logged - t0) < 5000, 'timestamp is local time of the request');
  } finally {
    await svc.close();
  }
  assert.match(fs.readFileSync(logFile, 'utf8'), / - INFO - Pulse demo service stopped\n$/);
});

test('fault injection via the admin API changes latency and errors; reset clears it', async () => {
  const svc = await start();
  try {
    const round = async (p: string): Promise<{ errors: number; minMs: number }> => {
      const rs = await Promise.all(Array.from({ length: 40 }, () => http(svc.url, p)));
      return { errors: rs.filter((r) => r.status === 500).length, minMs: Math.min(...rs.map((r) => r.ms)) };
    };
    const forecast = { endpoint: '/api/v1/forecast' };
    /** Forecast requests observed under 25 ms (histogram bucket le=0.025). */
    const fastCount = (samples: Sample[]): number => total(samples, 'http_request_duration_seconds_bucket', { ...forecast, le: '0.025' });
    const baseline = await round('/api/v1/forecast');
    assert.ok(baseline.errors <= 1);

    const bad = await http(svc.url, '/admin/inject', { method: 'POST', json: { errorRate: 3 } });
    assert.equal(bad.status, 400);
    const unknown = await http(svc.url, '/admin/inject', { method: 'POST', json: { latencyMs: 5, endpoint: '/api/v2/nope' } });
    assert.equal(unknown.status, 400);

    // Two calls, each adding one field (the extension's "add latency" / "add errors").
    for (const json of [{ latencyMs: 3000, endpoint: '/api/v1/forecast' }, { errorRate: 0.5, endpoint: '/api/v1/forecast' }]) {
      assert.equal((await http(svc.url, '/admin/inject', { method: 'POST', json })).status, 200);
    }
    const state = (await getJson(svc.url, '/admin/state')) as { faults: { global: unknown; endpoints: Record<string, unknown> } };
    assert.deepEqual(state.faults, { global: null, endpoints: { '/api/v1/forecast': { latencyMs: 3000, errorRate: 0.5 } } });

    const before = await scrape(svc.url);
    const injected = await round('/api/v1/forecast');
    const other = await round('/api/v1/users/5');
    const afterInject = await scrape(svc.url);
    assert.ok(injected.minMs >= 29, `+3000 ms simulated at speed 100 adds >= 30 ms (fastest ${injected.minMs})`);
    assert.equal(fastCount(afterInject) - fastCount(before), 0, 'no injected request is under 25 ms');
    assert.ok(injected.errors >= 8 && injected.errors <= 32, `about half fail (${injected.errors}/40)`);
    assert.ok(other.errors <= 1, 'other endpoints unaffected');
    const q = { endpoint: '/api/v1/forecast', status: '500' };
    assert.equal(total(afterInject, 'http_requests_total', q) - total(before, 'http_requests_total', q), injected.errors);
    const sumDelta = total(afterInject, 'http_request_duration_seconds_sum', forecast) - total(before, 'http_request_duration_seconds_sum', forecast);
    assert.ok(sumDelta / 40 >= 0.029, 'the histogram sees the added latency');

    const reset = await http(svc.url, '/admin/reset', { method: 'POST', json: {} });
    assert.equal(reset.status, 200);
    assert.deepEqual((JSON.parse(reset.text) as { faults: unknown }).faults, { global: null, endpoints: {} });
    // Sequential, so queueing on a busy machine cannot hide the recovery.
    let healedErrors = 0;
    for (let i = 0; i < 10; i++) if ((await http(svc.url, '/api/v1/forecast')).status === 500) healedErrors++;
    const afterReset = await scrape(svc.url);
    assert.ok(healedErrors <= 1);
    assert.ok(fastCount(afterReset) - fastCount(afterInject) > 0, 'fast requests again after reset');
  } finally {
    await svc.close();
  }
});

test('/health turns degraded (503) when errors are injected heavily', async () => {
  const svc = await start({ injectErrorRate: 1 });
  try {
    for (let i = 0; i < 12; i++) assert.equal((await http(svc.url, '/api/v1/forecast')).status, 500);
    const h = await http(svc.url, '/health');
    assert.equal(h.status, 503);
    assert.equal((JSON.parse(h.text) as { status: string }).status, 'degraded');
    assert.deepEqual(svc.reset(), { global: null, endpoints: {} });
  } finally {
    await svc.close();
  }
});

test('built-in traffic moves the metrics and stops cleanly', async () => {
  const svc = await start({ traffic: 300, seed: 9 });
  let closed = false;
  try {
    await new Promise((r) => setTimeout(r, 400));
    const samples = await scrape(svc.url);
    const endpoints = new Set(samples.filter((s) => s.name === 'http_requests_total').map((s) => s.labels.endpoint));
    assert.ok(total(samples, 'http_requests_total') >= 40, `traffic reached the service (${total(samples, 'http_requests_total')})`);
    assert.ok(endpoints.size >= 3, `a mix of endpoints: ${[...endpoints].join(', ')}`);
    const t0 = performance.now();
    await svc.close();
    closed = true;
    assert.ok(performance.now() - t0 < 1000, 'close() is prompt');
    const st = svc.stats().traffic;
    assert.ok(st && st.sent > 0);
  } finally {
    if (!closed) await svc.close();
  }
});

test('port already in use gives a clear EADDRINUSE error', async () => {
  const svc = await start();
  try {
    await assert.rejects(start({ port: svc.port }), (err: unknown) => {
      assert.ok(err instanceof DemoListenError);
      assert.equal(err.code, 'EADDRINUSE');
      assert.ok(err.message.includes(`Port ${svc.port}`) && err.message.includes('EADDRINUSE'), err.message);
      return true;
    });
    // The CLI reports it on stderr and exits 1.
    assert.ok(fs.existsSync(DEMO_JS), `${DEMO_JS} missing: run node scripts/build.mjs`);
    const child = spawn(process.execPath, [DEMO_JS, '--port', String(svc.port), '--traffic', '0', '--no-log-file'], { cwd: tmp });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`Port ${svc.port} .*EADDRINUSE`));
  } finally {
    await svc.close();
  }
});

test('node dist/demo.js prints PULSE_DEMO_LISTENING and exits within 1 s on SIGTERM', async () => {
  assert.ok(fs.existsSync(DEMO_JS), `${DEMO_JS} missing: run node scripts/build.mjs`);
  const child = spawn(process.execPath, [DEMO_JS, '--port', '0', '--traffic', '0'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`no listening line; got: ${buf}`)), 5000);
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(buf.slice(0, nl));
        }
      });
      child.on('exit', () => reject(new Error(`exited early; stdout: ${buf}`)));
    });
    const m = /^PULSE_DEMO_LISTENING (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
    assert.ok(m, `first line: ${firstLine}`);
    const h = await http(m[1] ?? '', '/health');
    assert.equal(h.status, 200);
    const t0 = performance.now();
    child.kill('SIGTERM');
    const { code } = await exited;
    assert.ok(performance.now() - t0 < 1000, 'exits within 1 s');
    assert.equal(code, 0);
    assert.ok(fs.existsSync(path.join(tmp, 'demo-service.log')), 'default log file in the working directory');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
