// Prometheus-server source: selector parsing (and injection rejection), PromQL building,
// API answer parsing and error mapping, against a small real HTTP server on loopback that
// answers like Prometheus (no mocks of undici).
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSelector, quote, SelectorError } from '../../src/core/promserver/selector';
import { PromClient, PromApiError, normalizeBaseUrl, parseSampleValue, MAX_RANGE_POINTS } from '../../src/core/promserver/client';
import { QueryBuilder, windowString, validateMapping, type Detection } from '../../src/core/promserver/queries';
import { PrometheusServerSource } from '../../src/core/promserver/source';
import { ScrapeError } from '../../src/core/scrape';

// ---------------------------------------------------------------------------------------------
// A loopback server that speaks the Prometheus HTTP API as the tests script it.

interface Call {
  method: string;
  path: string;
  params: URLSearchParams;
  contentType: string;
}
interface Reply {
  status?: number;
  body: unknown;
  contentType?: string;
  delayMs?: number;
}
let calls: Call[] = [];
let respond: (c: Call) => Reply = () => ({ status: 404, body: '404 page not found\n', contentType: 'text/plain' });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const u = new URL(req.url ?? '/', 'http://x');
    const params = new URLSearchParams(u.search);
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString())) params.append(k, v);
    }
    const call = { method: req.method ?? '', path: u.pathname, params, contentType };
    calls.push(call);
    const r = respond(call);
    const send = (): void => {
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status ?? 200, { 'content-type': r.contentType ?? 'application/json' });
      res.end(text);
    };
    if (r.delayMs) setTimeout(send, r.delayMs);
    else send();
  });
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  calls = [];
});

const T = 1_700_000_000;
const ok = (data: unknown, warnings?: string[]): Reply => ({ body: { status: 'success', data, ...(warnings ? { warnings } : {}) } });
const vec = (...samples: Array<[Record<string, string>, string]>): unknown => ({ resultType: 'vector', result: samples.map(([metric, v]) => ({ metric, value: [T, v] })) });
const BUILDINFO = { version: '2.42.0', revision: 'abc', branch: 'HEAD', buildUser: 'u', buildDate: '20230131', goVersion: 'go1.19.5' };

async function rejectsWith(p: Promise<unknown>, kind: string, pattern: RegExp): Promise<ScrapeError> {
  let caught: ScrapeError | undefined;
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ScrapeError, `not a ScrapeError: ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, pattern);
    caught = e;
    return true;
  });
  return caught!;
}

// ---------------------------------------------------------------------------------------------

describe('selector', () => {
  test('normalizes matcher lists with or without braces, any quoting, spaces and a trailing comma', () => {
    assert.equal(parseSelector('job="api"').text, '{job="api"}');
    assert.equal(parseSelector('  {job="api"}  ').text, '{job="api"}');
    assert.equal(parseSelector(`{ job = 'api' , instance =~ "127\\\\.0\\\\.0\\\\.1:.*", }`).text, '{job="api",instance=~"127\\\\.0\\\\.0\\\\.1:.*"}');
    assert.equal(parseSelector('job="api",instance="127.0.0.1:8000"').inner, 'job="api",instance="127.0.0.1:8000"');
    assert.equal(parseSelector('job=~`a\\.b|c`').text, '{job=~"a\\\\.b|c"}');
    assert.equal(parseSelector('env!="",job!~"x"').text, '{env!="",job!~"x"}');
    assert.deepEqual(parseSelector('{a="1", b!="2", c=~"3", d!~"4"}').matchers.map((m) => m.op), ['=', '!=', '=~', '!~']);
  });

  test('decodes PromQL escapes and re-encodes them safely', () => {
    const m = parseSelector(String.raw`{a="q\"b\\s\nn\t\x41\101\u00e9\U0001F600", b='it\'s'}`).matchers;
    assert.equal(m[0]!.value, 'q"b\\s\nn\tAAé😀');
    assert.equal(m[1]!.value, "it's");
    assert.equal(parseSelector(String.raw`{a="q\"b\\s\nn"}`).text, String.raw`{a="q\"b\\s\nn"}`);
  });

  test('a value that looks like PromQL stays one quoted value', () => {
    const s = parseSelector(String.raw`{job="x\"} or vector(1) or {a=\""}`);
    assert.equal(s.matchers.length, 1);
    assert.equal(s.matchers[0]!.value, 'x"} or vector(1) or {a="');
    assert.equal(s.inner, String.raw`job="x\"} or vector(1) or {a=\""`);
    // The normalized text parses back to exactly the same single matcher.
    assert.deepEqual(parseSelector(s.text).matchers, s.matchers);
  });

  test('quote() round-trips any string through the parser', () => {
    const tricky = ['', '"', '\\', '\\"', '}', '"}) or vector(1) #', '\n\r\t\x00\x1f\x7f', "'`", 'é中😀', 'a\\.b', '${x}', '\u2028'];
    for (const v of tricky) assert.equal(parseSelector(`{job="x",v=${quote(v)}}`).matchers[1]!.value, v, JSON.stringify(v));
  });

  const bad: Array<[string, RegExp]> = [
    ['', /needs a selector for the service's series/],
    ['   ', /needs a selector/],
    ['{}', /no matchers/],
    ['{job=~".*"}', /would match every series/],
    ['{job!="api"}', /would match every series/],
    ['{job=~"x|"}', /would match every series/],
    ['up{job="api"}', /without a metric name: write \{job="api"\}/],
    ['{job="api"}) or vector(1) #', /unexpected text after the selector/],
    ['{job="api"} or up', /unexpected text after the selector/],
    ['{job="api"} + 1', /unexpected text after the selector/],
    ['job="api"} or up{job="x"', /expected ","/],
    ['{job="api" or vector(1)}', /expected "," or "\}"/],
    ['{job="api"}}', /unexpected text/],
    ['{job="api"} # comment', /unexpected text/],
    ['{job=api}', /expected a quoted value/],
    ['{job="api"', /missing closing "\}"/],
    ['{job="api', /unterminated string/],
    ['{job=`api', /unterminated raw string/],
    ['{job="a\nb"}', /newline in a quoted string/],
    [String.raw`{job="a\qb"}`, /unknown escape sequence \\q/],
    [String.raw`{job="a\'b"}`, /unknown escape sequence/],
    [String.raw`{job="\xff"}`, /not valid UTF-8/],
    [String.raw`{job="\ud800"}`, /invalid Unicode code point/],
    [String.raw`{job="\x4"}`, /hex digits/],
    ['{__name__=~".+"}', /must not match on __name__/],
    ['{job="api",__name__="up"}', /must not match on __name__/],
    ['{"job"="api"}', /quoted label names are not supported/],
    ['{1job="api"}', /not a label name/],
    ['{job=="api"}', /expected a quoted value/],
    ['{job<"api"}', /expected one of = != =~ !~/],
    ['{job="api";drop}', /expected ","/],
    ['{job="a"}\n{job="b"}', /unexpected text/],
  ];
  for (const [input, pattern] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseSelector(input),
        (e: unknown) => {
          assert.ok(e instanceof SelectorError, String(e));
          assert.equal(e.kind, 'invalid-url');
          assert.match(e.message, pattern);
          return true;
        },
      );
    });
  }

  test('error messages say where the problem is', () => {
    assert.throws(() => parseSelector('{job="api"}) or vector(1)'), /at character 12 \("\) or vector\(1\)"\)/);
  });
});

// ---------------------------------------------------------------------------------------------

const DEMO_DETECTION: Detection = {
  latency: { metric: 'http_request_duration_seconds', kind: 'histogram' },
  latencyPlainExists: false,
  requests: 'http_requests_total',
  cachePairs: [['cache_hits_total', 'cache_misses_total']],
  cacheRatio: null,
  poolSize: 'db_connection_pool_size',
  poolActive: 'db_connection_pool_active',
  poolIdle: 'db_connection_pool_idle',
  poolUtilization: null,
  cpuCounter: true,
  cpuGauge: false,
  rss: true,
  memoryMb: false,
  memoryPercent: false,
  requestMetric: 'http_requests_total',
  latencyLabels: { route: 'endpoint', method: 'method' },
  requestLabels: { route: 'endpoint', method: 'method', status: 'status' },
};

describe('queries', () => {
  test('window strings', () => {
    assert.equal(windowString(60), '60s');
    assert.equal(windowString(15), '15s');
    assert.equal(windowString(0.5), '500ms');
    assert.equal(windowString(300), '300s');
    assert.throws(() => windowString(0));
    assert.throws(() => windowString(NaN));
  });

  test('the plan for a demo-like service', () => {
    const q = new QueryBuilder(parseSelector('job="api"'), 60);
    const plan = Object.fromEntries(q.plan(DEMO_DETECTION).map((p) => [p.id, p.expr]));
    const sel = '{job="api"}';
    assert.deepEqual(plan, {
      'latency.p50Ms': `histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'endpoint.latency.p50Ms': `histogram_quantile(0.5, sum by (le, method, endpoint) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'latency.p95Ms': `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'endpoint.latency.p95Ms': `histogram_quantile(0.95, sum by (le, method, endpoint) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'latency.p99Ms': `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'endpoint.latency.p99Ms': `histogram_quantile(0.99, sum by (le, method, endpoint) (rate(http_request_duration_seconds_bucket${sel}[60s])))`,
      'latency.mean': `sum(rate(http_request_duration_seconds_sum${sel}[60s])) / sum(rate(http_request_duration_seconds_count${sel}[60s]))`,
      'endpoint.latency.mean': `sum by (method, endpoint) (rate(http_request_duration_seconds_sum${sel}[60s])) / sum by (method, endpoint) (rate(http_request_duration_seconds_count${sel}[60s]))`,
      requests: `sum(rate(http_requests_total${sel}[60s]))`,
      'endpoint.requests': `sum by (method, endpoint) (rate(http_requests_total${sel}[60s]))`,
      errors: 'sum(rate(http_requests_total{job="api",status=~"5.*|SERVER_ERROR"}[60s]))',
      'endpoint.errors': 'sum by (method, endpoint) (rate(http_requests_total{job="api",status=~"5.*|SERVER_ERROR"}[60s]))',
      'cache.0.hits': `sum(rate(cache_hits_total${sel}[60s]))`,
      'cache.0.misses': `sum(rate(cache_misses_total${sel}[60s]))`,
      'pool.size': `sum(last_over_time(db_connection_pool_size${sel}[60s]))`,
      'pool.active': `sum(last_over_time(db_connection_pool_active${sel}[60s]))`,
      cpu: `sum(rate(process_cpu_seconds_total${sel}[60s])) * 100`,
      memory: `sum(last_over_time(process_resident_memory_bytes${sel}[60s])) / 1048576`,
      series: 'count({job="api"})',
    });
  });

  test('summary, gauge and idle-only pool plans', () => {
    const q = new QueryBuilder(parseSelector('{job="j",instance=~"a|b"}'), 30);
    const plan = Object.fromEntries(
      q
        .plan({
          ...DEMO_DETECTION,
          latency: { metric: 'request_latency_seconds', kind: 'summary' },
          latencyLabels: { route: 'handler', method: null },
          requestLabels: { route: null, method: null, status: null },
          poolActive: null,
          cpuCounter: false,
          rss: false,
        })
        .map((p) => [p.id, p.expr]),
    );
    assert.equal(plan['latency.summary'], 'max by (quantile) (last_over_time(request_latency_seconds{job="j",instance=~"a|b",quantile!=""}[30s]))');
    assert.equal(plan['endpoint.latency.summary'], 'max by (quantile, handler) (last_over_time(request_latency_seconds{job="j",instance=~"a|b",quantile!=""}[30s]))');
    assert.equal(plan['pool.idle'], 'sum(last_over_time(db_connection_pool_idle{job="j",instance=~"a|b"}[30s]))');
    assert.equal(plan.errors, undefined);
    assert.equal(plan['endpoint.requests'], undefined);
    const g = Object.fromEntries(
      q
        .plan({ ...DEMO_DETECTION, latency: { metric: 'pulse_json_latency_ms', kind: 'gauge', gaugeQuantiles: [{ q: 0.95, name: 'pulse_json_latency_ms_p95' }], gaugeMean: ['pulse_json_latency_ms_mean'] } })
        .map((p) => [p.id, p.expr]),
    );
    assert.equal(g['latency.gauge.0.95'], 'max(last_over_time(pulse_json_latency_ms_p95{job="j",instance=~"a|b"}[30s]))');
    assert.equal(g['latency.gauge.mean'], 'max(last_over_time({__name__=~"pulse_json_latency_ms_mean",job="j",instance=~"a|b"}[30s]))');
    assert.equal(g['latency.mean'], undefined);
  });

  test('mapping names are validated before they reach a query', () => {
    assert.doesNotThrow(() => validateMapping({ latency: 'my_app:latency_seconds', endpointLabel: 'route' }));
    assert.throws(() => validateMapping({ requests: 'http_requests_total{job="x"}' }), /pulse\.metrics\.requests .* is not a valid Prometheus metric name/);
    assert.throws(() => validateMapping({ latency: 'x) or vector(1' }), SelectorError);
    assert.throws(() => validateMapping({ statusLabel: 'status="500"' }), /not a valid Prometheus label name/);
    assert.throws(() => validateMapping({ endpointLabel: '__name__' }), SelectorError);
  });
});

// ---------------------------------------------------------------------------------------------

describe('client', () => {
  test('parses sample values the way the API encodes them', () => {
    assert.ok(Number.isNaN(parseSampleValue('NaN')));
    assert.equal(parseSampleValue('+Inf'), Infinity);
    assert.equal(parseSampleValue('-Inf'), -Infinity);
    assert.equal(parseSampleValue('1e-3'), 0.001);
    assert.equal(parseSampleValue('-0.5'), -0.5);
    assert.ok(Number.isNaN(parseSampleValue('')));
    assert.ok(Number.isNaN(parseSampleValue(null)));
  });

  test('base URLs: pasted UI and API paths are cut back to the server root, prefixes kept', () => {
    assert.equal(normalizeBaseUrl('http://127.0.0.1:9090').toString(), 'http://127.0.0.1:9090/');
    assert.equal(normalizeBaseUrl('http://127.0.0.1:9090/graph?g0.expr=up').toString(), 'http://127.0.0.1:9090/');
    assert.equal(normalizeBaseUrl('https://mimir.local/prometheus/api/v1/query').toString(), 'https://mimir.local/prometheus/');
    assert.equal(normalizeBaseUrl('http://h:8428/select/0/prometheus').toString(), 'http://h:8428/select/0/prometheus/');
    assert.throws(() => normalizeBaseUrl('ftp://x'), ScrapeError);
  });

  test('instant queries: vector with NaN/±Inf, scalar, string, warnings; time in seconds', async () => {
    respond = (c) => {
      const q = c.params.get('query');
      if (q === 'v') return ok({ resultType: 'vector', result: [{ metric: { __name__: 'x', a: '1' }, value: [T + 0.5, 'NaN'] }, { metric: { a: '2' }, value: [T, '+Inf'] }, { metric: {}, value: [T, '-Inf'] }, { metric: {}, value: [T, '42.5'] }] }, ['some warning']);
      if (q === 's') return ok({ resultType: 'scalar', result: [T, '3'] });
      if (q === 'str') return ok({ resultType: 'string', result: [T, 'hello'] });
      return { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'nope' } };
    };
    const c = new PromClient({ url: base, timeoutMs: 2000 });
    const r = await c.query('v', 1_700_000_000_123);
    assert.deepEqual(r.warnings, ['some warning']);
    assert.equal(r.data.resultType, 'vector');
    const v = r.data.result as Array<{ metric: Record<string, string>; t: number; v: number }>;
    assert.deepEqual(v[0]!.metric, { __name__: 'x', a: '1' });
    assert.equal(v[0]!.t, (T + 0.5) * 1000);
    assert.ok(Number.isNaN(v[0]!.v));
    assert.deepEqual(v.slice(1).map((s) => s.v), [Infinity, -Infinity, 42.5]);
    assert.equal(calls[0]!.method, 'GET');
    assert.equal(calls[0]!.path, '/api/v1/query');
    assert.equal(calls[0]!.params.get('time'), '1700000000.123');
    assert.deepEqual(await c.queryVector('s'), [{ metric: {}, t: T * 1000, v: 3 }]);
    assert.deepEqual((await c.query('str')).data, { resultType: 'string', result: { t: T * 1000, v: 'hello' } });
    await rejectsWith(c.queryVector('str'), 'not-metrics', /returned a string, expected a vector/);
  });

  test('long queries go as a POST form', async () => {
    respond = (c) => ok(vec([{}, String(c.params.get('query')!.length)]));
    const long = `sum(${Array.from({ length: 800 }, (_, i) => `m${i}`).join(' + ')})`;
    const v = await new PromClient({ url: base }).queryVector(long, T * 1000);
    assert.equal(v[0]!.v, long.length);
    assert.equal(calls[0]!.method, 'POST');
    assert.match(calls[0]!.contentType, /x-www-form-urlencoded/);
    assert.equal(calls[0]!.params.get('time'), `${T}.000`);
  });

  test('range queries: matrix parsed, parameters sent, resolution limit checked locally', async () => {
    respond = (c) =>
      c.path === '/api/v1/query_range'
        ? ok({ resultType: 'matrix', result: [{ metric: { endpoint: '/a' }, values: [[T, '1'], [T + 15, 'NaN'], [T + 30, '2.5']] }] })
        : ok(vec());
    const c = new PromClient({ url: base });
    const m = await c.queryRange('rate(x[1m])', T * 1000, (T + 30) * 1000, 15);
    assert.equal(m.length, 1);
    assert.deepEqual(m[0]!.metric, { endpoint: '/a' });
    assert.deepEqual(m[0]!.points.map((p) => p.t), [T * 1000, (T + 15) * 1000, (T + 30) * 1000]);
    assert.ok(Number.isNaN(m[0]!.points[1]!.v));
    const p = calls[0]!.params;
    assert.deepEqual([p.get('query'), p.get('start'), p.get('end'), p.get('step')], ['rate(x[1m])', `${T}.000`, `${T + 30}.000`, '15']);
    await rejectsWith(c.queryRange('x', 0, MAX_RANGE_POINTS * 1000, 1), 'parse', /11001 points .* use a step of at least 2 s/);
    await rejectsWith(c.queryRange('x', 0, 1000, 0), 'parse', /step must be a positive/);
    await rejectsWith(c.queryRange('x', 1000, 0, 1), 'parse', /end is before its start/);
    respond = () => ok(vec());
    await rejectsWith(c.queryRange('x', 0, 1000, 1), 'not-metrics', /returned a vector, expected a matrix/);
  });

  test('buildinfo and label lookups', async () => {
    respond = (c) => {
      if (c.path === '/api/v1/status/buildinfo') return ok(BUILDINFO);
      if (c.path === '/api/v1/label/__name__/values') return ok(['a', 'b']);
      if (c.path === '/api/v1/labels') return ok(null);
      if (c.path === '/api/v1/series') return ok([{ __name__: 'a', job: 'x' }]);
      return { status: 404, body: 'nope', contentType: 'text/plain' };
    };
    const c = new PromClient({ url: base });
    const b = await c.buildInfo();
    assert.equal(b.version, '2.42.0');
    assert.equal(b.goVersion, 'go1.19.5');
    assert.equal(b.raw.buildUser, 'u');
    assert.deepEqual(await c.labelValues('__name__', ['{job="x"}'], T * 1000, (T + 60) * 1000), ['a', 'b']);
    assert.deepEqual(calls[1]!.params.getAll('match[]'), ['{job="x"}']);
    assert.equal(calls[1]!.params.get('start'), `${T}.000`);
    assert.deepEqual(await c.labelNames(['up{job="x"}']), []);
    assert.deepEqual(await c.series(['{job="x"}']), [{ __name__: 'a', job: 'x' }]);
  });

  describe('errors become ScrapeErrors that say what happened', () => {
    const c = (): PromClient => new PromClient({ url: base, timeoutMs: 300 });

    test('bad_data', async () => {
      respond = () => ({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unexpected "}"' } });
      const e = await rejectsWith(c().query('up{}}'), 'http', /127\.0\.0\.1:\d+ rejected the query for `up\{\}\}` \(HTTP 400, bad_data\): invalid parameter "query": 1:5: parse error: unexpected "\}"/);
      assert.ok(e instanceof PromApiError);
      assert.equal(e.errorType, 'bad_data');
      assert.equal(e.httpStatus, 400);
    });

    test('execution error and server-side timeout', async () => {
      respond = () => ({ status: 422, body: { status: 'error', errorType: 'execution', error: 'found duplicate series for the match group' } });
      await rejectsWith(c().query('a / b'), 'http', /\(HTTP 422, execution\): found duplicate series/);
      respond = () => ({ status: 503, body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' } });
      await rejectsWith(c().query('x'), 'timeout', /\(HTTP 503, timeout\): query timed out/);
    });

    test('plain HTTP errors', async () => {
      respond = () => ({ status: 500, body: 'internal explosion\nstack...', contentType: 'text/plain' });
      await rejectsWith(c().query('x'), 'http', /^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: internal explosion$/);
      respond = () => ({ status: 401, body: 'Unauthorized', contentType: 'text/plain' });
      await rejectsWith(c().query('x'), 'http', /HTTP 401 .*Set Endpoint Auth Header/);
      respond = () => ({ status: 404, body: '404 page not found', contentType: 'text/plain' });
      await rejectsWith(c().buildInfo(), 'http', /HTTP 404 from .*\/api\/v1\/status\/buildinfo \(is this the base URL of a Prometheus server/);
    });

    test('answers that are not the Prometheus API', async () => {
      respond = () => ({ body: '<!doctype html><html><body>Grafana</body></html>', contentType: 'text/html' });
      await rejectsWith(c().buildInfo(), 'not-metrics', /^not a Prometheus HTTP API: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/status\/buildinfo answered with an HTML page$/);
      respond = () => ({ body: '# HELP up x\n# TYPE up gauge\nup 1\n', contentType: 'text/plain; version=0.0.4' });
      await rejectsWith(c().query('up'), 'not-metrics', /not a Prometheus HTTP API: .* metrics exposition text/);
      respond = () => ({ body: { hello: 'world' } });
      await rejectsWith(c().query('up'), 'not-metrics', /not a Prometheus HTTP API: .* unexpected JSON \{"hello":"world"\}/);
      respond = () => ok({ resultType: 'weird', result: 1 });
      await rejectsWith(c().query('up'), 'not-metrics', /unknown result/);
      respond = () => ok({ resultType: 'vector', result: [{ metric: {}, value: 'x' }] });
      await rejectsWith(c().query('up'), 'not-metrics', /malformed sample/);
    });

    test('timeout', async () => {
      respond = () => ({ ...ok(vec()), delayMs: 1500 });
      await rejectsWith(c().query('x'), 'timeout', /no (complete )?answer from 127\.0\.0\.1:\d+ within 300 ms/);
    });

    test('size cap', async () => {
      respond = () => ok(vec(...Array.from({ length: 2000 }, (_, i): [Record<string, string>, string] => [{ i: String(i) }, '1'])));
      await rejectsWith(new PromClient({ url: base, maxBytes: 10_000 }).query('x'), 'too-large', /exceeds the 10 kB limit/);
    });

    test('connection refused', async () => {
      const s = http.createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const port = (s.address() as AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
      await rejectsWith(new PromClient({ url: `http://127.0.0.1:${port}` }).buildInfo(), 'refused', new RegExp(`connection refused at 127\\.0\\.0\\.1:${port}`));
    });
  });
});

// ---------------------------------------------------------------------------------------------

/** A fake server holding a demo-like service under job="api". */
function demoServer(opts: { names?: string[]; requestLabels?: string[]; errors?: boolean; buildinfo?: boolean } = {}): void {
  const names = opts.names ?? [
    'http_request_duration_seconds_bucket',
    'http_request_duration_seconds_sum',
    'http_request_duration_seconds_count',
    'http_requests_total',
    'request_latency_seconds',
    'request_latency_seconds_sum',
    'request_latency_seconds_count',
    'cache_hits_total',
    'cache_misses_total',
    'db_connection_pool_size',
    'db_connection_pool_active',
    'db_connection_pool_idle',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
  ];
  const answers: Record<string, unknown> = {
    'histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[60s])))': vec([{}, '0.025']),
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[60s])))': vec([{}, '0.2']),
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[60s])))': vec([{}, '+Inf']),
    'histogram_quantile(0.95, sum by (le, method, endpoint) (rate(http_request_duration_seconds_bucket{job="api"}[60s])))': vec(
      [{ method: 'GET', endpoint: '/api/v1/forecast' }, '0.3'],
      [{ method: 'get', endpoint: '/api/v1/forecast' }, '0.35'],
      [{ method: 'POST', endpoint: '/api/v1/chat' }, '2'],
      [{ method: 'GET', endpoint: '/idle' }, 'NaN'],
      [{ method: 'GET' }, '1'],
    ),
    'sum(rate(http_request_duration_seconds_sum{job="api"}[60s])) / sum(rate(http_request_duration_seconds_count{job="api"}[60s]))': vec([{}, '0.1']),
    'sum(rate(http_requests_total{job="api"}[60s]))': vec([{}, '20']),
    'sum by (method, endpoint) (rate(http_requests_total{job="api"}[60s]))': vec(
      [{ method: 'GET', endpoint: '/api/v1/forecast' }, '10'],
      [{ method: 'get', endpoint: '/api/v1/forecast' }, '2'],
      [{ method: 'POST', endpoint: '/api/v1/chat' }, '8'],
      [{ method: 'GET', endpoint: '/idle' }, '0'],
    ),
    'sum(rate(http_requests_total{job="api",status=~"5.*|SERVER_ERROR"}[60s]))': opts.errors === false ? vec() : vec([{}, '1']),
    'sum by (method, endpoint) (rate(http_requests_total{job="api",status=~"5.*|SERVER_ERROR"}[60s]))': opts.errors === false ? vec() : vec([{ method: 'POST', endpoint: '/api/v1/chat' }, '1']),
    'sum(rate(cache_hits_total{job="api"}[60s]))': vec([{}, '3']),
    'sum(rate(cache_misses_total{job="api"}[60s]))': vec([{}, '1']),
    'sum(last_over_time(db_connection_pool_size{job="api"}[60s]))': vec([{}, '13']),
    'sum(last_over_time(db_connection_pool_active{job="api"}[60s]))': vec([{}, '4']),
    'sum(rate(process_cpu_seconds_total{job="api"}[60s])) * 100': vec([{}, '12.5']),
    'sum(last_over_time(process_resident_memory_bytes{job="api"}[60s])) / 1048576': vec([{}, '64']),
    'count({job="api"})': vec([{}, '321']),
  };
  respond = (c) => {
    switch (c.path) {
      case '/api/v1/status/buildinfo':
        return opts.buildinfo === false ? { status: 404, body: '404 page not found\n', contentType: 'text/plain' } : ok(BUILDINFO);
      case '/api/v1/label/__name__/values':
        return ok(names);
      case '/api/v1/labels': {
        const m = c.params.get('match[]') ?? '';
        if (m.startsWith('http_requests_total{')) return ok(['__name__', 'endpoint', 'instance', 'job', 'method', ...(opts.requestLabels ?? ['status'])]);
        if (m.startsWith('request_latency_seconds{')) return ok(['__name__', 'endpoint', 'job', 'quantile']);
        return ok(['__name__', 'endpoint', 'instance', 'job', 'le', 'method', 'status']);
      }
      case '/api/v1/query': {
        const q = c.params.get('query')!;
        if (q === 'vector(1)') return ok(vec([{}, '1']));
        return ok(answers[q] ?? vec());
      }
    }
    return { status: 404, body: '404 page not found\n', contentType: 'text/plain' };
  };
}

describe('PrometheusServerSource', () => {
  test('one poll: identify, detect, query at one evaluation time, fill Signals like computeSignals', async () => {
    demoServer();
    const src = new PrometheusServerSource({ url: base, selector: 'job="api"', windowSeconds: 60, timeoutMs: 2000 });
    const t0 = Date.now();
    const r = await src.poll();
    assert.equal(r.format, 'prometheus-server');
    assert.equal(r.seriesCount, 321);
    assert.equal(src.server?.build.version, '2.42.0');
    const s = r.signals;
    assert.ok(s.at >= t0 && s.at <= Date.now());
    assert.equal(r.at, s.at);
    assert.deepEqual(
      { ...s, endpoints: undefined, at: 0 },
      {
        at: 0,
        windowSeconds: 60,
        p50Ms: 25,
        p95Ms: 200,
        p99Ms: null, // +Inf: nothing to say
        meanMs: 100,
        latencySource: { metric: 'http_request_duration_seconds', kind: 'histogram' },
        requestRate: 20,
        errorRate: 0.05,
        cacheHitRate: 0.75,
        poolUtilization: 4 / 13,
        poolActive: 4,
        poolSize: 13,
        cpuPercent: 12.5,
        memoryMb: 64,
        memoryPercent: null,
        endpoints: undefined,
      },
    );
    // Endpoints keyed like computeSignals (method upper-cased, merged), slowest first.
    assert.deepEqual(
      s.endpoints.map((e) => [e.key, e.method, e.route, e.requestRate, e.errorRate, e.p95Ms]),
      [
        ['POST /api/v1/chat', 'POST', '/api/v1/chat', 8, 0.125, 2000],
        ['GET /api/v1/forecast', 'GET', '/api/v1/forecast', 12, 0, 350],
        ['GET /idle', 'GET', '/idle', 0, null, null],
      ],
    );

    // The queries: one evaluation time, the selector in every one, detection scoped to it.
    const queries = calls.filter((c) => c.path === '/api/v1/query');
    assert.equal(queries.length, src.lastQueries.length);
    assert.equal(new Set(queries.map((c) => c.params.get('time'))).size, 1);
    assert.equal(Number(queries[0]!.params.get('time')) * 1000, s.at);
    for (const c of queries) assert.match(c.params.get('query')!, /\{job="api"[,}]/);
    const names = calls.find((c) => c.path === '/api/v1/label/__name__/values')!;
    assert.match(names.params.get('match[]')!, /^\{__name__=~"http_request_duration_seconds\|.*\|.\*\(duration\|latency\|response_time\)\.\*_\(bucket\|sum\|count\)",job="api"\}$/);
    assert.ok(names.params.get('start') && names.params.get('end'));

    // Identification and detection are reused by the next poll.
    calls = [];
    await src.poll();
    assert.equal(calls.filter((c) => c.path !== '/api/v1/query').length, 0);
  });

  test('no 5xx series yet: error rate 0; no status label: null', async () => {
    demoServer({ errors: false });
    let s = (await new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll()).signals;
    assert.equal(s.errorRate, 0);
    assert.equal(s.endpoints.find((e) => e.key === 'POST /api/v1/chat')!.errorRate, 0);
    demoServer({ requestLabels: [] });
    calls = [];
    s = (await new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll()).signals;
    assert.equal(s.errorRate, null);
    assert.ok(s.endpoints.every((e) => e.errorRate === null));
    assert.ok(!calls.some((c) => /status=~/.test(c.params.get('query') ?? '')));
  });

  test('a summary is recognised by its quantile label', async () => {
    demoServer({ names: ['request_latency_seconds', 'request_latency_seconds_sum', 'request_latency_seconds_count'] });
    const prev = respond;
    respond = (c) => {
      const q = c.params.get('query') ?? '';
      if (q.startsWith('max by (quantile) ')) return ok(vec([{ quantile: '0.5' }, '0.01'], [{ quantile: '0.95' }, '0.09'], [{ quantile: '0.99' }, 'NaN']));
      if (q.startsWith('max by (quantile, endpoint) ')) return ok(vec([{ quantile: '0.95', endpoint: '/a' }, '0.2']));
      if (q.startsWith('sum(rate(request_latency_seconds_count')) return ok(vec([{}, '5']));
      return prev(c);
    };
    const src = new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 });
    const s = (await src.poll()).signals;
    assert.deepEqual(s.latencySource, { metric: 'request_latency_seconds', kind: 'summary' });
    assert.equal(s.p50Ms, 10);
    assert.equal(s.p95Ms, 90);
    assert.equal(s.p99Ms, null);
    assert.equal(s.requestRate, 5, 'no request counter: the summary _count counts requests');
    assert.equal(src.detection?.requestMetric, 'request_latency_seconds_count');
    assert.deepEqual(s.endpoints.map((e) => [e.key, e.p95Ms]), [['/a', 200]]);
  });

  test('nothing matched: a successful poll with empty signals', async () => {
    demoServer({ names: [] });
    const r = await new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll();
    assert.equal(r.signals.latencySource, null);
    assert.equal(r.signals.requestRate, null);
    assert.deepEqual(r.signals.endpoints, []);
  });

  test('servers without buildinfo are identified by a trivial query; others are refused clearly', async () => {
    demoServer({ buildinfo: false });
    const src = new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 });
    await src.poll();
    assert.equal(src.server?.build.version, null);
    // An auth failure is reported as such, not as "not Prometheus".
    respond = () => ({ status: 401, body: 'Unauthorized', contentType: 'text/plain' });
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll(), 'http', /^HTTP 401 from .*buildinfo \(set an auth header/);
    respond = () => ({ status: 404, body: '{"detail":"Not Found"}', contentType: 'application/json' });
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll(), 'not-metrics', /^not a Prometheus HTTP API: HTTP 404 from .*buildinfo/);
  });

  test('a bad selector or mapping fails every poll with the reason, without any request', async () => {
    demoServer();
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '{job="api"} or vector(1)', windowSeconds: 60 }).poll(), 'invalid-url', /unexpected text after the selector/);
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '', windowSeconds: 60 }).poll(), 'invalid-url', /needs a selector/);
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60, mapping: { requests: 'x{a="b"}' } }).poll(), 'invalid-url', /not a valid Prometheus metric name/);
    assert.equal(calls.length, 0);
  });

  test('a query the server rejects fails the poll with its message', async () => {
    demoServer();
    const prev = respond;
    respond = (c) =>
      (c.params.get('query') ?? '').startsWith('count(')
        ? { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'invalid regular expression' } }
        : prev(c);
    await rejectsWith(new PrometheusServerSource({ url: base, selector: '{job="api"}', windowSeconds: 60 }).poll(), 'http', /rejected the query for `count\(\{job="api"\}\)` \(HTTP 400, bad_data\): invalid regular expression/);
  });
});
