import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ImportError,
  classifyErrorText,
  detectImportFormat,
  importAutocannonJson,
  importK6Summary,
  importLocustCsv,
  importResultFile,
  parseCsv,
} from '../../src/core/load/importers';

/** test/fixtures/load, found above the built test (dist/test/unit) or the working directory. */
function fixtures(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const f = path.join(dir, 'test', 'fixtures', 'load');
      if (existsSync(f)) return f;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('test/fixtures/load not found');
}
const FIX = fixtures();
const fixture = (name: string) => readFileSync(path.join(FIX, name), 'utf8');

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

test('k6 --summary-export: percentiles it has, NaN and "missing" for those it has not', () => {
  const r = importK6Summary(fixture('k6-summary.json'));
  assert.equal(r.imported.source, 'k6');
  assert.equal(r.requests, 5231);
  close(r.rps, 5231 / 60.0124183, 1e-9);
  close(r.durationS, 60.0124183, 1e-6); // count / rate: the export has no test duration
  assert.deepEqual({ ...r.latencyMs, p99: 'NaN', p999: 'NaN' }, { p50: 41.0612, p90: 88.7012, p95: 121.4433, p99: 'NaN', p999: 'NaN', max: 1203.5511, mean: 48.2113, min: 3.9124 });
  assert.ok(Number.isNaN(r.latencyMs.p99) && Number.isNaN(r.latencyMs.p999));
  for (const m of ['latencyMs.p99', 'latencyMs.p999', 'statusCodes', 'errors.byKind', 'timeline', 'histogram']) assert.ok(r.imported.missing.includes(m), m);
  assert.ok(!r.imported.missing.includes('latencyMs.p95'));
  // http_req_failed is a Rate: `passes` are the failed requests.
  assert.deepEqual(r.errors, { connect: 0, timeout: 0, reset: 0, http: 0, other: 48 });
  assert.deepEqual(r.statusCodes, {});
  assert.deepEqual(r.timeline, []);
  assert.equal(r.histogram, '');
  assert.equal(r.imported.extra.iterations, 5231);
  assert.equal(r.imported.extra.checks_passes, 5183);
  assert.equal(r.imported.extra.checks_fails, 48);
  assert.equal(r.imported.extra.vus_max, 50);
  assert.equal(r.imported.extra.data_received_bytes, 2678272);
  assert.equal(r.imported.extra.thresholds_breached, 1);
  assert.ok(r.imported.notes.some((n) => n === 'k6 thresholds breached: http_req_failed rate<0.005'));
  assert.ok(r.imported.notes.some((n) => /--summary-trend-stats/.test(n)));
});

test('k6 handleSummary data: the test duration and the extra percentiles are used', () => {
  const r = importK6Summary(fixture('k6-handle-summary.json'));
  assert.equal(r.requests, 1200);
  close(r.durationS, 30.0047712);
  assert.equal(r.latencyMs.p99, 97.4411);
  assert.equal(r.latencyMs.p999, 402.2201);
  assert.equal(r.latencyMs.p50, 18.2204);
  assert.equal(r.errors.other, 6);
  assert.ok(!r.imported.missing.some((m) => m.startsWith('latencyMs')));
  assert.equal(r.imported.extra.thresholds_breached, undefined);
});

test('Locust CSVs: Aggregated row, endpoints, failures by kind, timeline from the history', () => {
  const r = importLocustCsv({ stats: fixture('locust_stats.csv'), history: fixture('locust_stats_history.csv'), failures: fixture('locust_failures.csv') });
  assert.equal(r.imported.source, 'locust');
  assert.equal(r.requests, 7037);
  assert.equal(r.rps, 117.26);
  close(r.durationS, 7037 / 117.26);
  assert.deepEqual(r.latencyMs, { p50: 47, p90: 120, p95: 170, p99: 370, p999: 1200, max: 2504.9113, mean: 71.98137487565724, min: 0.9012 });
  // 9 × 500 + 25 × 503 are HTTP errors, 3 resets, 6 read timeouts = 43 failures.
  assert.deepEqual(r.errors, { connect: 0, timeout: 6, reset: 3, http: 34, other: 0 });
  assert.equal(r.imported.extra.failed_status_500, 9);
  assert.equal(r.imported.extra.failed_status_503, 25);
  assert.deepEqual(
    r.imported.endpoints!.map((e) => [e.method, e.name, e.requests, e.failures, e.latencyMs.p95]),
    [
      ['GET', '/api/v1/forecast?city=Berlin', 5231, 12, 120],
      ['POST', '/api/v1/forecast/batch', 1204, 31, 350],
      ['GET', '/health', 602, 0, 5],
    ],
  );
  assert.equal(r.timeline.length, 61);
  assert.deepEqual(
    r.timeline.map((s) => s.t),
    Array.from({ length: 61 }, (_, i) => i),
  );
  assert.equal(
    r.timeline.reduce((a, s) => a + s.completed, 0),
    7037,
  );
  assert.equal(
    r.timeline.reduce((a, s) => a + s.errors, 0),
    43,
  );
  // Without --csv-full-history the history's percentiles are cumulative: not a per-second value.
  assert.ok(r.timeline.every((s) => s.p50 === null && s.p95 === null && s.p99 === null));
  assert.ok(r.imported.notes.some((n) => /cumulative/.test(n)));
  assert.equal(r.imported.startedAt, 1769178605000);
  assert.ok(r.imported.missing.includes('statusCodes'));
  assert.ok(!r.imported.missing.includes('timeline'));
  assert.ok(Number.isNaN(r.latencyMs.p90) === false);
});

test('Locust without the failures file counts failures as other; older column names work', () => {
  const r = importLocustCsv({ stats: fixture('locust_stats.csv') });
  assert.deepEqual(r.errors, { connect: 0, timeout: 0, reset: 0, http: 0, other: 43 });
  assert.ok(r.imported.missing.includes('errors.byKind') && r.imported.missing.includes('timeline'));

  const old = [
    '"Type","Name","# requests","# failures","Median response time","Average response time","Min response time","Max response time","Average Content Size","Requests/s"',
    '"GET","/",51,0,4,3,2,6,12274,0.89',
    '"None","Total",51,0,4,3,2,6,12274,0.89',
  ].join('\n');
  const o = importLocustCsv({ stats: old });
  assert.equal(o.requests, 51);
  assert.equal(o.latencyMs.p50, 4); // from the median column
  assert.ok(Number.isNaN(o.latencyMs.p95));
  assert.ok(o.imported.missing.includes('latencyMs.p95'));
});

test('Locust with its percentile columns changed (PERCENTILES_TO_REPORT), float medians and a non-HTTP request type', () => {
  // Shapes seen in real exports: users set locust.stats.PERCENTILES_TO_REPORT, and gRPC users
  // report their own request type; Locust then writes medians as floats.
  const stats = [
    'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,60%,70%,80%,90%,95%,99%,100%',
    'grpc,/forecast.v1.ForecastService/GetForecast,900,3,210.0,250.5,12.25,1900.75,512.0,15.0,0.05,210,230,260,300,380,450,900,1900',
    ',Aggregated,900,3,210.0,250.5,12.25,1900.75,512.0,15.0,0.05,210,230,260,300,380,450,900,1900',
  ].join('\n');
  const r = importLocustCsv({ stats });
  assert.equal(r.requests, 900);
  close(r.durationS, 60);
  assert.deepEqual({ p50: r.latencyMs.p50, p90: r.latencyMs.p90, p95: r.latencyMs.p95, p99: r.latencyMs.p99, max: r.latencyMs.max }, { p50: 210, p90: 380, p95: 450, p99: 900, max: 1900.75 });
  assert.ok(Number.isNaN(r.latencyMs.p999) || r.latencyMs.p999 === null, String(r.latencyMs.p999));
  assert.ok(r.imported.missing.includes('latencyMs.p999'));
  assert.ok(!r.imported.missing.includes('latencyMs.p99'));
});

test('k6: the untagged http_req_duration is the latency, not a tagged sub-metric listed before it', () => {
  const doc = {
    state: { testRunDurationMs: 10_000 },
    metrics: {
      'http_req_duration{expected_response:true}': { type: 'trend', contains: 'time', values: { avg: 5, min: 1, med: 4, max: 9, 'p(90)': 7, 'p(95)': 8 } },
      http_reqs: { type: 'counter', contains: 'default', values: { count: 500, rate: 50 } },
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.02, passes: 10, fails: 490 } },
      http_req_duration: { type: 'trend', contains: 'time', values: { 'p(95)': 80, avg: 20, min: 1, med: 10, max: 300, 'p(90)': 60 } },
    },
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
  };
  const r = importK6Summary(JSON.stringify(doc));
  assert.equal(r.requests, 500);
  close(r.durationS, 10);
  assert.deepEqual({ p50: r.latencyMs.p50, p90: r.latencyMs.p90, p95: r.latencyMs.p95, max: r.latencyMs.max }, { p50: 10, p90: 60, p95: 80, max: 300 });
  assert.equal(r.errors.other, 10);
});

test('Locust --csv-full-history: the Aggregated percentiles are current, so the timeline has them', () => {
  const header = 'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size';
  const history = [header, '100,5,GET,/a,10,0,12,30,40,41,10,0,12,14,3,41,100', '100,5,,Aggregated,10,0,12,30,40,41,10,0,12,14,3,41,100', '101,5,GET,/a,12,1,15,35,50,52,22,1,13,15,3,52,100', '101,5,,Aggregated,12,1,15,35,50,52,22,1,13,15,3,52,100', '102,5,,Aggreg'].join('\r\n');
  const r = importLocustCsv({ stats: fixture('locust_stats.csv'), history });
  assert.deepEqual(
    r.timeline.map((s) => [s.t, s.completed, s.errors, s.p50, s.p95, s.p99]),
    [
      [0, 10, 0, 12, 30, 40],
      [1, 12, 1, 15, 35, 50],
    ],
  );
  assert.ok(r.imported.notes.some((n) => /truncated/.test(n)));
});

test('truncated or foreign Locust files are refused with a reason', () => {
  const stats = fixture('locust_stats.csv');
  const cut = stats.slice(0, stats.indexOf('Aggregated') + 20);
  assert.throws(() => importLocustCsv({ stats: cut }), (e: unknown) => e instanceof ImportError && /row 5 has \d+ of 22 columns \(is the file truncated\?\)/.test(e.message));
  const noAgg = stats.split('\r\n').slice(0, 3).join('\r\n');
  assert.throws(() => importLocustCsv({ stats: noAgg }), /no Aggregated row/);
  assert.throws(() => importLocustCsv({ stats: 'a,b\n1,2\n' }), /has no "Type" column/);
  assert.throws(() => importLocustCsv({ stats: '' }), /empty/);
});

test('autocannon --json (a real run): status codes, timeouts, no p95', () => {
  const r = importAutocannonJson(fixture('autocannon.json'));
  assert.equal(r.imported.source, 'autocannon');
  // 1382 responses + 2 timeouts.
  assert.equal(r.requests, 1384);
  assert.equal(r.durationS, 3.01);
  close(r.rps, 1384 / 3.01);
  assert.deepEqual({ ...r.latencyMs, p95: 'NaN' }, { p50: 19, p90: 31, p95: 'NaN', p99: 34, p999: 40, max: 42, mean: 19.37, min: 4 });
  assert.ok(r.imported.missing.includes('latencyMs.p95'));
  assert.deepEqual(r.statusCodes, { '200': 1219, '404': 28, '500': 135 });
  // Pulse counts 5xx as HTTP errors (as its engine does); 4xx stay in statusCodes.
  assert.deepEqual(r.errors, { connect: 0, timeout: 2, reset: 0, http: 135, other: 0 });
  assert.equal(r.imported.extra.latency_p97_5, 33);
  assert.equal(r.imported.extra.sent, 1394);
  assert.equal(r.imported.extra.connections, 10);
  assert.equal(r.imported.startedAt, Date.parse('2026-11-23T13:34:35.342Z'));
});

test('garbage and truncated JSON are refused with a reason', () => {
  const k6 = fixture('k6-summary.json');
  assert.throws(() => importK6Summary(k6.slice(0, k6.length / 2)), (e: unknown) => e instanceof ImportError && /not valid JSON \(it ends early: truncated\?\)/.test(e.message));
  assert.throws(() => importK6Summary('{"metrics": {"vus": {}}}'), /not a k6 summary/);
  assert.throws(() => importK6Summary('<html>'), /not valid JSON/);
  assert.throws(() => importAutocannonJson('   '), /empty/);
  assert.throws(() => importAutocannonJson('{"requests": {}}'), /not an autocannon result/);
});

test('the format is recognised from the content', () => {
  assert.equal(detectImportFormat(fixture('k6-summary.json')), 'k6');
  assert.equal(detectImportFormat(fixture('k6-handle-summary.json')), 'k6');
  assert.equal(detectImportFormat(fixture('autocannon.json')), 'autocannon');
  assert.equal(detectImportFormat(`\uFEFF${fixture('locust_stats.csv')}`), 'locust');
  assert.equal(detectImportFormat('{"a": 1}'), null);
  assert.equal(detectImportFormat('{"a": '), null);
});

test('importResultFile reads a Locust prefix with its sibling files, and JSON results', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulse-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(path.join(FIX, 'locust_stats.csv'), path.join(dir, 'run1_stats.csv'));
  copyFileSync(path.join(FIX, 'locust_stats_history.csv'), path.join(dir, 'run1_stats_history.csv'));
  copyFileSync(path.join(FIX, 'locust_failures.csv'), path.join(dir, 'run1_failures.csv'));
  for (const p of [path.join(dir, 'run1'), path.join(dir, 'run1_stats.csv')]) {
    const r = await importResultFile(p);
    assert.equal(r.imported.source, 'locust');
    assert.equal(r.timeline.length, 61);
    assert.equal(r.errors.timeout, 6);
  }
  copyFileSync(path.join(FIX, 'autocannon.json'), path.join(dir, 'ac.json'));
  assert.equal((await importResultFile(path.join(dir, 'ac.json'))).requests, 1384);
  writeFileSync(path.join(dir, 'cut.json'), fixture('autocannon.json').slice(0, 100));
  await assert.rejects(importResultFile(path.join(dir, 'cut.json')), /cut\.json is not valid JSON \(the file ends early: truncated\?\)/);
  writeFileSync(path.join(dir, 'other.json'), '{"hello": "world"}');
  await assert.rejects(importResultFile(path.join(dir, 'other.json')), /is not a k6 summary, Locust stats CSV or autocannon JSON result/);
  await assert.rejects(importResultFile(path.join(dir, 'none.json')), /no such file/);
});

test('error messages map to Pulse\'s error kinds', () => {
  const cases: [string, string, string?][] = [
    ["HTTPError('502 Server Error: Bad Gateway for url: /x')", 'http', '502'],
    ["BadStatusCode('http://127.0.0.1/x', code=500)", 'http', '500'],
    ["ConnectionRefusedError(111, 'Connection refused')", 'connect'],
    ["NewConnectionError('<urllib3.connection.HTTPConnection>: Failed to establish a new connection')", 'connect'],
    ["RemoteDisconnected('Remote end closed connection without response')", 'reset'],
    ['ReadTimeout(...)', 'timeout'],
    ["CatchResponseError('wrong body')", 'other'],
  ];
  for (const [msg, kind, status] of cases) assert.deepEqual(classifyErrorText(msg), status ? { kind, status } : { kind }, msg);
});

test('CSV: quotes, doubled quotes, newlines inside quotes, CRLF, blank lines', () => {
  assert.deepEqual(parseCsv('a,"b ""x""",c\r\n"multi\nline",,3\r\n\r\n'), { header: ['a', 'b "x"', 'c'], rows: [['multi\nline', '', '3']] });
});
