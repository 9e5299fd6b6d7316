import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Point } from '../../src/dashboard/protocol';
import { importAutocannonJson } from '../../src/core/load/importers';
import type { LoadConfig, LoadResult } from '../../src/core/load/types';
import {
  METRIC_COLUMNS,
  RunRecordError,
  buildRunRecord,
  collectEnvironment,
  gitInfo,
  listRunRecords,
  parseRunRecord,
  readRunRecord,
  runRecordCsv,
  slug,
  stringifyRecord,
  writeRunRecord,
  type RunEnvironment,
  type RunRecord,
} from '../../src/core/runs/record';

const T0 = Date.parse('2026-01-23T14:30:05.000Z');

function point(i: number, over: Partial<Point> = {}): Point {
  return {
    t: T0 + i * 2000,
    p50: 20 + i,
    p95: 85.456 + i,
    p99: 140 + i,
    mean: 30,
    rps: 120.5,
    err: 0,
    status: { '2xx': 120.5, '3xx': 0, '4xx': 0, '5xx': 0 },
    hit: 0.725,
    poolActive: 5 + i,
    poolSize: 13,
    pool: (5 + i) / 13,
    cpu: 45.2 + i,
    memMb: 1024.46,
    memPct: 62.3,
    routes: { 'GET /api/v1/forecast': [20, 85, 140] },
    heat: null,
    ...over,
  };
}

const ENV: RunEnvironment = {
  machine: { hostname: 'dev-box', platform: 'linux', release: '6.1.0', arch: 'x64', cpus: { model: 'Example CPU', count: 8 }, memoryMb: 16000 },
  node: 'v20.20.2',
  pulseVersion: '0.1.0',
  git: { commit: 'a'.repeat(40), branch: 'main', dirty: false },
};

const CONFIG: LoadConfig = {
  target: 'http://127.0.0.1:8000',
  model: { kind: 'closed', connections: 50 },
  profile: 'steady',
  durationMs: 30_000,
  requests: [
    { method: 'GET', path: '/api/v1/forecast?city={{city}}', headers: { Authorization: 'Bearer s3cr3t-value', 'X-Api-Key': '{{apiKey}}', Accept: 'application/json' } },
    { method: 'GET', path: '/health' },
  ],
  variables: { city: 'Berlin', apiKey: 'k-123', sessionToken: 'tok' },
};

const LAT = { p50: 21.5, p90: 70, p95: 88.25, p99: 141, p999: 400.5, max: 1203, mean: 30.1, min: 1.2 };
const RESULT: LoadResult = {
  requests: 36000,
  durationS: 30,
  rps: 1200,
  latencyMs: LAT,
  errors: { connect: 0, timeout: 2, reset: 0, http: 10, other: 0 },
  statusCodes: { '200': 35988, '500': 10 },
  timeline: Array.from({ length: 30 }, (_, t) => ({ t, sent: 1200, completed: 1200, errors: t === 3 ? 10 : 0, targetRate: null, p50: 21, p95: 88, p99: 140, status: { '200': 1200 } })),
  histogram: 'HISTFAAAACR4nJNpmSzMwMDAxAABzFCaEUrzQ2kA',
  stoppedBy: 'duration',
};

function build(over: Partial<Parameters<typeof buildRunRecord>[0]> = {}): RunRecord {
  return buildRunRecord({
    name: 'Forecast — steady/50!',
    source: 'pulse',
    config: CONFIG,
    result: RESULT,
    environment: ENV,
    serviceTimeline: [point(0), point(1, { err: 0.02, hit: null, cpu: null }), point(2)],
    service: { url: 'http://127.0.0.1:8000/metrics', kind: 'prometheus' },
    scenarioFile: 'load/forecast.loadtest.json',
    createdAt: new Date(T0 + 31_000),
    startedAt: T0 - 1000,
    ...over,
  });
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pulse-runs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a run record: id from time and name, the seed monitor columns, secrets redacted', () => {
  const r = build();
  assert.equal(r.schemaVersion, 1);
  assert.equal(r.kind, 'pulse-run');
  assert.equal(r.id, '20260123T143036Z-forecast-steady-50');
  assert.equal(r.createdAt, '2026-01-23T14:30:36.000Z');
  assert.equal(r.startedAt, T0 - 1000);
  assert.equal(r.endedAt, T0 - 1000 + 30_000);
  assert.deepEqual(r.metricColumns.columns, [...METRIC_COLUMNS]);
  assert.deepEqual(r.metricColumns.columns.slice(0, 9), ['timestamp', 'cpu_percent', 'memory_percent', 'memory_mb', 'api_ms', 'db_pool_active', 'db_pool_size', 'cache_hit_rate', 'status']);
  assert.deepEqual(r.metricColumns.rows[0], [T0 / 1000, 45.2, 62.3, 1024.5, 85.46, 5, 13, 72.5, 'ok', 1, 120.5, 0, 20, 140]);
  assert.deepEqual(r.metricColumns.rows[1], [(T0 + 2000) / 1000, null, 62.3, 1024.5, 86.46, 6, 13, null, 'errors', 3, 120.5, 0.02, 21, 141]);
  // Secrets do not go to disk (records get committed as baselines); templated values stay.
  const cfg = r.config as LoadConfig;
  assert.deepEqual(cfg.requests[0]!.headers, { Authorization: '<redacted>', 'X-Api-Key': '{{apiKey}}', Accept: 'application/json' });
  assert.deepEqual(cfg.variables, { city: 'Berlin', apiKey: '<redacted>', sessionToken: '<redacted>' });
  assert.deepEqual(r.redacted, ['config.requests[0].headers.Authorization', 'config.variables.apiKey', 'config.variables.sessionToken']);
  assert.equal(CONFIG.requests[0]!.headers!.Authorization, 'Bearer s3cr3t-value', 'the caller\'s config is not modified');
  assert.equal(build({ redact: false }).redacted, undefined);
});

test('external runs keep their command, minus secrets; the histogram must stay encoded', () => {
  const r = build({
    source: 'k6',
    config: { kind: 'external', runner: 'k6', command: 'k6 run -e API_TOKEN=abc123 --header "Authorization: Bearer xyz" load.js', cwd: '.' },
    result: null,
  });
  assert.equal((r.config as { command: string }).command, 'k6 run -e API_TOKEN=<redacted> --header "Authorization: <redacted>" load.js');
  assert.equal(r.result, null);
  assert.throws(() => build({ result: { ...RESULT, histogram: [1, 2, 3] as unknown as string } }), /encoded histogram/);
});

test('the metric timeline as CSV, as the seed monitor wrote it', () => {
  const csv = runRecordCsv(build());
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'timestamp,cpu_percent,memory_percent,memory_mb,api_ms,db_pool_active,db_pool_size,cache_hit_rate,status,elapsed_s,request_rate,error_rate,api_p50_ms,api_p99_ms,schema_version');
  assert.equal(lines[1], `${T0 / 1000},45.2,62.3,1024.5,85.46,5,13,72.5,ok,1,120.5,0,20,140,1`);
  assert.equal(lines[2], `${(T0 + 2000) / 1000},,62.3,1024.5,86.46,6,13,,errors,3,120.5,0.02,21,141,1`);
  assert.equal(lines.length, 4);
  assert.ok(csv.endsWith('\n'));
});

test('written atomically under <timestamp>-<name>.json, never over an existing file, read back whole', async (t) => {
  const dir = tempDir(t);
  const r = build();
  const first = await writeRunRecord(dir, r);
  assert.equal(path.basename(first), '20260123T143036Z-forecast-steady-50.json');
  const firstText = readFileSync(first, 'utf8');
  const second = await writeRunRecord(dir, r);
  assert.equal(path.basename(second), '20260123T143036Z-forecast-steady-50-2.json');
  assert.equal(readFileSync(first, 'utf8'), firstText, 'the first file is untouched');
  assert.deepEqual(
    readdirSync(dir).sort(),
    ['20260123T143036Z-forecast-steady-50-2.json', '20260123T143036Z-forecast-steady-50.json'],
    'no temporary files are left behind',
  );
  const back = await readRunRecord(second);
  assert.equal(back.id, '20260123T143036Z-forecast-steady-50-2');
  assert.deepEqual({ ...back, id: r.id }, JSON.parse(JSON.stringify(r)));
  // One line per timeline entry keeps records diffable and small.
  assert.ok(firstText.split('\n').some((l) => l.trim().startsWith('{"t":3,"sent":1200')));
  assert.ok(firstText.length < 20_000, `${firstText.length} bytes`);
});

test('an imported result\'s unknown numbers come back as NaN', async (t) => {
  const dir = tempDir(t);
  const imported = importAutocannonJson(JSON.stringify({ duration: 1, errors: 0, timeouts: 0, statusCodeStats: { '200': { count: 10 } }, latency: { p50: 1, p90: 2, p99: 3, p99_9: 4, max: 5, mean: 1.5, min: 1 }, requests: { total: 10 } }));
  const file = await writeRunRecord(dir, build({ source: 'autocannon', config: { kind: 'external', runner: 'autocannon', command: 'autocannon --json http://127.0.0.1:8000/' }, result: imported }));
  assert.match(readFileSync(file, 'utf8'), /"p95": null/);
  const back = await readRunRecord(file);
  assert.ok(Number.isNaN(back.result!.latencyMs.p95));
  assert.equal(back.result!.latencyMs.p99, 3);
  assert.ok('imported' in back.result! && back.result.imported.missing.includes('latencyMs.p95'));
});

function problemOf(text: string): RunRecordError {
  try {
    parseRunRecord(text, '/ws/.pulse/runs/x.json');
  } catch (e) {
    assert.ok(e instanceof RunRecordError, `expected RunRecordError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the record to be refused');
}

test('corrupt, truncated, foreign, future and hand-broken records give clear errors', () => {
  const good = stringifyRecord(build());
  let e = problemOf(good.slice(0, Math.floor(good.length / 2)));
  assert.equal(e.problem, 'truncated');
  assert.match(e.message, /^x\.json: the JSON ends early at line \d+ \(truncated file\?\)$/);
  e = problemOf('{\n  "kind": "pulse-run",\n  "schemaVersion": 1,,\n}');
  assert.equal(e.problem, 'corrupt');
  assert.match(e.message, /not valid JSON at line 3, column \d+/);
  e = problemOf('');
  assert.equal(e.problem, 'empty');
  e = problemOf('[]');
  assert.equal(e.problem, 'not-a-run');
  e = problemOf('{"kind": "pulse-baseline", "schemaVersion": 1}');
  assert.equal(e.message, "x.json: not a Pulse run record (kind is 'pulse-baseline')");
  e = problemOf('{"schemaVersion": 1}');
  assert.match(e.message, /no "kind": "pulse-run"/);
  e = problemOf(good.replace('"schemaVersion": 1', '"schemaVersion": 3'));
  assert.equal(e.problem, 'future-schema');
  assert.equal(e.message, 'x.json: written by a newer Pulse (schema 3); this Pulse reads up to 1');
  e = problemOf(good.replace('"schemaVersion": 1', '"schemaVersion": "1"'));
  assert.equal(e.problem, 'invalid');
  const hand = JSON.parse(good) as Record<string, any>;
  hand.result.latencyMs.p95 = 'fast';
  e = problemOf(JSON.stringify(hand));
  assert.match(e.message, /result\.latencyMs\.p95 must be a number \(a hand-edited or damaged run record\?\)/);
  hand.result.latencyMs.p95 = null; // a NaN written to JSON: read back as NaN, not refused
  assert.ok(Number.isNaN(parseRunRecord(JSON.stringify(hand)).result!.latencyMs.p95));
  hand.result.histogram = [1, 2];
  assert.match(problemOf(JSON.stringify(hand)).message, /histogram must be the encoded histogram/);
  hand.result.histogram = 'x';
  hand.source = 'jmeter';
  assert.match(problemOf(JSON.stringify(hand)).message, /source must be one of/);
  hand.source = 'pulse';
  delete hand.environment;
  assert.match(problemOf(JSON.stringify(hand)).message, /environment must hold/);
});

test('readRunRecord on a missing file, and a record without metricColumns gets them derived', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(readRunRecord(path.join(dir, 'nope.json')), (e: unknown) => e instanceof RunRecordError && e.problem === 'missing');
  const r = JSON.parse(stringifyRecord(build())) as Record<string, unknown>;
  delete r.metricColumns;
  writeFileSync(path.join(dir, 'old.json'), JSON.stringify(r));
  const back = await readRunRecord(path.join(dir, 'old.json'));
  assert.deepEqual(back.metricColumns, build().metricColumns);
});

test('listing: newest first, broken files listed with their error, temporary files ignored', async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(await listRunRecords(path.join(dir, 'none')), []);
  await writeRunRecord(dir, build({ name: 'older', createdAt: new Date(T0) }));
  await writeRunRecord(dir, build({ name: 'newer', createdAt: new Date(T0 + 3_600_000) }));
  writeFileSync(path.join(dir, '20260123T150000Z-future.json'), JSON.stringify({ ...JSON.parse(stringifyRecord(build())), schemaVersion: 2 }));
  writeFileSync(path.join(dir, '.20260123T160000Z-x.json.123.tmp'), '{');
  writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  const list = await listRunRecords(dir);
  assert.deepEqual(
    list.map((s) => [path.basename(s.file), s.name ?? null, s.error ?? null]),
    [
      ['20260123T153005Z-newer.json', 'newer', null],
      ['20260123T150000Z-future.json', null, 'written by a newer Pulse (schema 2); this Pulse reads up to 1'],
      ['20260123T143005Z-older.json', 'older', null],
    ],
  );
  assert.equal(list[0]!.p95Ms, 88.25);
  assert.equal(list[0]!.source, 'pulse');
});

test('file names are safe whatever the run is called', () => {
  assert.equal(slug('Forecast — Berlin/Steady!'), 'forecast-berlin-steady');
  assert.equal(slug('../../etc/passwd'), 'etc-passwd');
  assert.equal(slug('Café crème'), 'cafe-creme');
  assert.equal(slug('***'), 'run');
  assert.equal(slug('x'.repeat(200)).length, 60);
  assert.equal(build({ name: '..' }).id, '20260123T143036Z-run');
});

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('git commit, branch and dirty state of the workspace; none outside a repository', { skip: !hasGit && 'git is not installed' }, async (t) => {
  const dir = tempDir(t);
  assert.equal(await gitInfo(dir), null);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'perf-work');
  assert.equal(await gitInfo(dir), null, 'no commit yet');
  writeFileSync(path.join(dir, 'a.txt'), '1');
  git('add', 'a.txt');
  git('commit', '-q', '-m', 'one');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir }).toString().trim();
  assert.deepEqual(await gitInfo(dir), { commit: head, branch: 'perf-work', dirty: false });
  // Untracked files (new run records) do not make the tree dirty; changed tracked files do.
  writeFileSync(path.join(dir, 'untracked.json'), '{}');
  assert.equal((await gitInfo(dir))!.dirty, false);
  writeFileSync(path.join(dir, 'a.txt'), '2');
  assert.equal((await gitInfo(dir))!.dirty, true);
  git('checkout', '-q', '--detach');
  assert.equal((await gitInfo(dir))!.branch, null);

  const env = await collectEnvironment({ cwd: dir, pulseVersion: '9.9.9' });
  assert.equal(env.pulseVersion, '9.9.9');
  assert.equal(env.node, process.version);
  assert.ok(env.machine.cpus.count >= 1 && env.machine.memoryMb > 0 && env.machine.hostname.length > 0);
  assert.equal(env.git!.commit, head);
  assert.equal((await collectEnvironment({ pulseVersion: '1' })).git, null);
});

test('a record that is not JSON-safe is still written as valid JSON', () => {
  const text = stringifyRecord(build({ serviceTimeline: [point(0, { p95: NaN })] }));
  assert.equal((JSON.parse(text) as RunRecord).serviceTimeline[0]!.p95, null);
});
