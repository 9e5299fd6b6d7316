import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DURATION_PATTERN,
  METHOD_PATTERN,
  PATH_PATTERN,
  PROFILES,
  ScenarioError,
  TARGET_PATTERN,
  loadScenarioFile,
  parseDuration,
  parseScenario,
  readScenarioFile,
} from '../../src/core/load/scenario';

/** A file of the repository, found above the built test (dist/test/unit) or the working directory. */
function repoFile(rel: string): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, rel))) return path.join(dir, rel);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`${rel} not found above ${__dirname} or ${process.cwd()}`);
}

const SCHEMA = JSON.parse(readFileSync(repoFile('schemas/loadtest.schema.json'), 'utf8')) as Schema;

function issuesOf(text: string, options = {}): ScenarioError['issues'] {
  try {
    parseScenario(text, options);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `expected ScenarioError, got ${String(e)}`);
    return e.issues;
  }
  assert.fail('expected the scenario to be refused');
}

test('durations: units, combinations and milliseconds; anything else is refused', () => {
  const good: [unknown, number][] = [
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0s', 0],
    [1500, 1500],
    [0, 0],
  ];
  for (const [v, ms] of good) assert.equal(parseDuration(v), ms, String(v));
  for (const v of ['30', '30 s', 's', '-1s', '', '1d', '1.s', ' 5s', '5S', null, true, Infinity, NaN, {}]) assert.equal(parseDuration(v), null, String(v));
});

test('a closed-model scenario becomes a LoadConfig', () => {
  const r = parseScenario(
    JSON.stringify({
      $schema: './schemas/loadtest.schema.json',
      name: 'forecast steady',
      description: 'the usual',
      target: 'http://127.0.0.1:8000/',
      model: { kind: 'closed', connections: 50 },
      profile: 'steady',
      duration: '1m30s',
      maxRequests: 100000,
      thinkTime: '100ms',
      timeout: 5000,
      requests: [
        { name: 'forecast', path: '/api/v1/forecast?city={{city}}', weight: 3 },
        { method: 'post', path: '/api/v1/forecast/batch', body: { cities: ['{{city}}'] } },
        { path: 'http://127.0.0.1:8000/health', headers: { Accept: 'text/plain' }, body: 'ping' },
      ],
      variables: { city: 'Berlin', days: 3, debug: false },
    }),
  );
  assert.equal(r.name, 'forecast steady');
  assert.equal(r.description, 'the usual');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.config, {
    target: 'http://127.0.0.1:8000',
    model: { kind: 'closed', connections: 50 },
    profile: 'steady',
    durationMs: 90_000,
    maxRequests: 100000,
    thinkTimeMs: 100,
    timeoutMs: 5000,
    requests: [
      { name: 'forecast', method: 'GET', path: '/api/v1/forecast?city={{city}}', weight: 3 },
      { method: 'POST', path: '/api/v1/forecast/batch', body: '{"cities":["{{city}}"]}', headers: { 'Content-Type': 'application/json' } },
      { method: 'GET', path: '/health', headers: { Accept: 'text/plain' }, body: 'ping' },
    ],
    variables: { city: 'Berlin', days: '3', debug: 'false' },
  });
});

test('an open model with stages takes its duration from the stages', () => {
  const r = parseScenario(
    JSON.stringify({
      name: 'ramp to 500',
      target: 'http://localhost:3000',
      model: { kind: 'open', rate: 500, maxConnections: 200 },
      profile: 'stages',
      stages: [
        { duration: '30s', target: 100 },
        { duration: '1m', target: 500 },
        { duration: 0, target: 50 },
      ],
      thinkTime: '1s',
      requests: [{ path: '/' }],
    }),
  );
  assert.deepEqual(r.config.model, { kind: 'open', rate: 500, maxConnections: 200 });
  assert.deepEqual(r.config.stages, [
    { durationMs: 30_000, target: 100 },
    { durationMs: 60_000, target: 500 },
    { durationMs: 0, target: 50 },
  ]);
  assert.equal(r.config.durationMs, 90_000);
  assert.equal(r.config.thinkTimeMs, undefined);
  assert.deepEqual(
    r.warnings.map((w) => w.path),
    ['thinkTime'],
  );
});

test('errors name the JSON path and the line, all at once', () => {
  const text = `{
  "name": "broken",
  "target": "http://127.0.0.1:8000",
  "model": {"kind": "closed", "connections": 0},
  "duration": "30 seconds",
  "requests": [
    {"path": "/a"},
    {"path": "/b", "weight": 2},
    {"path": "/c",
     "weight": -1},
    {"path": "no-slash", "headers": {"X-N": 5}}
  ]
}`;
  const issues = issuesOf(text, { file: '/ws/broken.loadtest.json' });
  assert.deepEqual(
    issues.map((i) => [i.path, i.line]),
    [
      ['model.connections', 4],
      ['duration', 5],
      ['requests[2].weight', 10],
      ['requests[3].path', 11],
      ['requests[3].headers.X-N', 11],
    ].map(([p, l]) => [p === 'requests[3].headers.X-N' ? 'requests[3].headers["X-N"]' : p, l]),
  );
  assert.equal(issues[2]!.message, 'requests[2].weight must be a positive number');
  assert.match(issues[1]!.message, /duration must be a positive duration such as "500ms", "30s", "2m".*got '30 seconds'/);
  try {
    parseScenario(text, { file: '/ws/broken.loadtest.json' });
  } catch (e) {
    assert.match((e as Error).message, /^broken\.loadtest\.json: 5 problems\n {2}line 4: model\.connections must be a whole number ≥ 1\n/);
  }
});

test('unknown keys suggest the intended one; a missing key points at its object', () => {
  const issues = issuesOf('{\n"name": "x",\n"target": "http://127.0.0.1:8000",\n"model": {\n  "kind": "open"\n},\n"duraton": "30s",\n"requests": [{"path": "/"}]\n}');
  assert.deepEqual(
    issues.map((i) => [i.path, i.line, i.message]),
    [
      ['duration', 1, 'duration is required, e.g. "30s" or "2m"'],
      ['model.rate', 4, 'model.rate (requests per second) is required for the open model'],
      ['duraton', 7, 'unknown key duraton (did you mean duration?)'],
    ],
  );
});

test('garbage, truncated and non-object files say where they broke', () => {
  let issues = issuesOf('{\n  "name": "x",\n  "model": {"kind": \'closed\'}\n}');
  assert.equal(issues[0]!.line, 3);
  assert.match(issues[0]!.message, /unexpected ''' \(JSON strings use double quotes\)/);
  issues = issuesOf('{\n  "name": "x",\n  "requests": [\n    {"path": "/"');
  assert.equal(issues[0]!.line, 4);
  assert.match(issues[0]!.message, /truncated/);
  issues = issuesOf('{"name": "x",}');
  assert.match(issues[0]!.message, /expected a property name/);
  issues = issuesOf('{"name": "x"} trailing');
  assert.match(issues[0]!.message, /after the end of the JSON value/);
  issues = issuesOf('[1, 2]');
  assert.equal(issues[0]!.message, 'a scenario must be a JSON object');
  issues = issuesOf('');
  assert.match(issues[0]!.message, /truncated/);
  // A BOM and CRLF are fine.
  const ok = parseScenario('\uFEFF{\r\n"name": "x",\r\n"target": "http://127.0.0.1:1",\r\n"model": {"kind": "closed", "connections": 1},\r\n"duration": 1000,\r\n"requests": [{"path": "/"}]\r\n}\r\n');
  assert.equal(ok.config.durationMs, 1000);
});

test('duplicate keys warn; variables the requests use must be defined; built-ins must be known', () => {
  const base = { name: 'x', target: 'http://127.0.0.1:8000', model: { kind: 'closed', connections: 1 }, duration: '1s' };
  const dup = parseScenario('{"name": "a", "name": "b", "target": "http://127.0.0.1:8000", "model": {"kind": "closed", "connections": 1}, "duration": "1s", "requests": [{"path": "/"}]}');
  assert.equal(dup.name, 'b');
  assert.match(dup.warnings[0]!.message, /name appears twice/);
  let issues = issuesOf(JSON.stringify({ ...base, requests: [{ path: '/u/{{user}}', headers: { 'X-Id': '{{$uuid}} {{$guid}} {{$randomInt 1 5}} {{$timestamp}}' } }], variables: { usr: 'a' } }));
  assert.deepEqual(
    issues.map((i) => [i.path, i.message]),
    [['variables', '{{user}} is used by the requests but not defined in variables']],
  );
  issues = issuesOf(JSON.stringify({ ...base, requests: [{ path: '/?t={{$datetime iso8601}}' }] }));
  assert.match(issues[0]!.message, /\{\{\$datetime\}\}: not a Pulse built-in/);
});

test('every request goes to the target', () => {
  const issues = issuesOf(JSON.stringify({ name: 'x', target: 'http://127.0.0.1:8000', model: { kind: 'closed', connections: 1 }, duration: '1s', requests: [{ path: 'https://api.example.com/pay' }] }));
  assert.equal(issues[0]!.path, 'requests[0].path');
  assert.match(issues[0]!.message, /goes to https:\/\/api\.example\.com, not to the target http:\/\/127\.0\.0\.1:8000/);
  const noTarget = issuesOf(JSON.stringify({ name: 'x', model: { kind: 'closed', connections: 1 }, duration: '1s', requests: [{ path: '/' }] }));
  assert.deepEqual(
    noTarget.map((i) => i.path),
    ['target'],
  );
  const withPath = issuesOf(JSON.stringify({ name: 'x', target: 'http://127.0.0.1:8000/api', model: { kind: 'closed', connections: 1 }, duration: '1s', requests: [{ path: '/' }] }));
  assert.match(withPath[0]!.message, /no path/);
});

test('requestsFile: a .http file next to the scenario supplies requests and target', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'pulse-scn-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'load'));
  writeFileSync(path.join(root, 'api.http'), '@host = http://127.0.0.1:8000\n### forecast\nGET {{host}}/api/v1/forecast?city={{city}}\n###\nPOST {{host}}/api/v1/forecast/batch\nContent-Type: application/json\n\n< ./bodies/batch.json\n');
  mkdirSync(path.join(root, 'bodies'));
  writeFileSync(path.join(root, 'bodies', 'batch.json'), '{"cities": ["Berlin"]}');
  const scenario = path.join(root, 'load', 'api.loadtest.json');
  writeFileSync(scenario, JSON.stringify({ name: 'api mix', model: { kind: 'open', rate: 50 }, duration: '10s', requestsFile: '../api.http', variables: { city: 'Oslo' } }, null, 2));

  const parsed = await readScenarioFile(scenario, { root });
  assert.equal(parsed.requestsFile, path.join(root, 'api.http'));
  assert.equal(parsed.config.target, 'http://127.0.0.1:8000');
  assert.deepEqual(parsed.config.requests, [
    { name: 'forecast', method: 'GET', path: '/api/v1/forecast?city=Oslo' },
    { method: 'POST', path: '/api/v1/forecast/batch', headers: { 'Content-Type': 'application/json' }, body: '{"cities": ["Berlin"]}' },
  ]);
  assert.deepEqual(await loadScenarioFile(scenario, { root }), parsed.config);

  // Without the workspace root, the scenario's own folder is the limit: ../api.http is refused.
  await assert.rejects(loadScenarioFile(scenario), (e: unknown) => e instanceof ScenarioError && /outside the workspace folder/.test(e.message) && e.issues[0]!.line === 8);
  // A different target wins, with a warning.
  writeFileSync(scenario, JSON.stringify({ name: 'api mix', target: 'http://localhost:9000', model: { kind: 'closed', connections: 2 }, duration: '10s', requestsFile: '../api.http', variables: { city: 'Oslo' } }));
  const other = await readScenarioFile(scenario, { root });
  assert.equal(other.config.target, 'http://localhost:9000');
  assert.match(other.warnings[0]!.message, /addresses http:\/\/127\.0\.0\.1:8000; its requests are sent to the target http:\/\/localhost:9000/);
  // Problems inside the .http file come with its own line.
  writeFileSync(path.join(root, 'api.http'), 'GET /a\nnot a header\n');
  await assert.rejects(loadScenarioFile(scenario, { root }), /api\.http:2: expected a header/);
  await assert.rejects(loadScenarioFile(path.join(root, 'missing.loadtest.json')), /missing\.loadtest\.json: no such file/);
});

test('requests and requestsFile together, or neither, are refused', () => {
  const base = { name: 'x', target: 'http://127.0.0.1:8000', model: { kind: 'closed', connections: 1 }, duration: '1s' };
  assert.deepEqual(
    issuesOf(JSON.stringify({ ...base, requests: [{ path: '/' }], requestsFile: 'a.http' })).map((i) => i.path),
    ['requestsFile'],
  );
  assert.match(issuesOf(JSON.stringify(base))[0]!.message, /needs requests \(a list\) or requestsFile/);
});

// ── the schema and the parser must agree ───────────────────────────────────────────────────

type Schema = { [k: string]: unknown };

/** A small draft-07 validator covering the keywords the scenario schema uses. Returns error paths. */
function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errs: string[] = [];
  const s = schema;
  if (typeof s.$ref === 'string') {
    const target = s.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Schema)[k], SCHEMA) as Schema;
    errs.push(...validate(target, value, at));
  }
  const type = s.type as string | string[] | undefined;
  if (type) {
    const types = Array.isArray(type) ? type : [type];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && typeof value === 'number' && Number.isInteger(value)));
    if (!ok) return [...errs, `${at}: type`];
  }
  if ('const' in s && value !== s.const) errs.push(`${at}: const`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) errs.push(`${at}: enum`);
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) errs.push(`${at}: pattern`);
    if (typeof s.minLength === 'number' && value.length < s.minLength) errs.push(`${at}: minLength`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errs.push(`${at}: minimum`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) errs.push(`${at}: exclusiveMinimum`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errs.push(`${at}: minItems`);
    if (s.items) value.forEach((v, i) => errs.push(...validate(s.items as Schema, v, `${at}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) errs.push(`${at}.${r}: required`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errs.push(...validate(props[k], v, `${at}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${at}.${k}: additionalProperties`);
      else if (typeof s.additionalProperties === 'object') errs.push(...validate(s.additionalProperties as Schema, v, `${at}.${k}`));
    }
  }
  for (const sub of (s.allOf as Schema[] | undefined) ?? []) errs.push(...validate(sub, value, at));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validate(sub as Schema, value, at).length === 0)) errs.push(`${at}: anyOf`);
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => validate(sub as Schema, value, at).length === 0).length !== 1) errs.push(`${at}: oneOf`);
  if (s.if) {
    const branch = validate(s.if as Schema, value, at).length === 0 ? s.then : s.else;
    if (branch) errs.push(...validate(branch as Schema, value, at));
  }
  return errs;
}

const BASE = { name: 'x', target: 'http://127.0.0.1:8000', model: { kind: 'closed', connections: 2 }, duration: '5s', requests: [{ path: '/' }] };
const without = (k: keyof typeof BASE) => Object.fromEntries(Object.entries(BASE).filter(([key]) => key !== k));

/** [description, document, valid?] — documents the parser can judge without reading files. */
const AGREEMENT: [string, unknown, boolean][] = [
  ['minimal', BASE, true],
  ['everything', { ...BASE, $schema: 'x', description: 'd', profile: 'soak', maxRequests: 10, thinkTime: 0, timeout: '2s', variables: { a: 'b', n: 1, f: true }, requests: [{ name: 'n', method: 'PATCH', path: '/p', headers: { A: 'b' }, body: [1], weight: 0.5 }] }, true],
  ['open model', { ...BASE, model: { kind: 'open', rate: 0.5, maxConnections: 3 } }, true],
  ['stages without duration', { ...without('duration'), profile: 'stages', stages: [{ duration: '1s', target: 0 }, { duration: 500, target: 3.5 }] }, true],
  ['stages with duration', { ...BASE, profile: 'stages', stages: [{ duration: '1m', target: 5 }] }, true],
  ['no name', without('name'), false],
  ['blank name', { ...BASE, name: '  ' }, false],
  ['no model', without('model'), false],
  ['no duration', without('duration'), false],
  ['no target', without('target'), false],
  ['no requests', without('requests'), false],
  ['target with path', { ...BASE, target: 'http://127.0.0.1:8000/api' }, false],
  ['target not http', { ...BASE, target: 'ftp://127.0.0.1' }, false],
  ['unknown top key', { ...BASE, duraton: '1s' }, false],
  ['unknown model kind', { ...BASE, model: { kind: 'poisson', rate: 1 } }, false],
  ['closed with rate', { ...BASE, model: { kind: 'closed', connections: 1, rate: 5 } }, false],
  ['closed 0 connections', { ...BASE, model: { kind: 'closed', connections: 0 } }, false],
  ['fractional connections', { ...BASE, model: { kind: 'closed', connections: 1.5 } }, false],
  ['open without rate', { ...BASE, model: { kind: 'open' } }, false],
  ['open rate 0', { ...BASE, model: { kind: 'open', rate: 0 } }, false],
  ['bad profile', { ...BASE, profile: 'burst' }, false],
  ['stages profile without stages', { ...BASE, profile: 'stages' }, false],
  ['empty stages', { ...BASE, profile: 'stages', stages: [] }, false],
  ['stage negative target', { ...BASE, profile: 'stages', stages: [{ duration: '1s', target: -1 }] }, false],
  ['stage extra key', { ...BASE, profile: 'stages', stages: [{ duration: '1s', target: 1, rate: 2 }] }, false],
  ['duration 0s', { ...BASE, duration: '0s' }, false],
  ['duration 0', { ...BASE, duration: 0 }, false],
  ['duration without unit', { ...BASE, duration: '30' }, false],
  ['duration in days', { ...BASE, duration: '1d' }, false],
  ['duration 0.5s', { ...BASE, duration: '0.5s' }, true],
  ['negative think time', { ...BASE, thinkTime: -5 }, false],
  ['timeout 0ms', { ...BASE, timeout: '0ms' }, false],
  ['maxRequests 0', { ...BASE, maxRequests: 0 }, false],
  ['maxRequests fractional', { ...BASE, maxRequests: 2.5 }, false],
  ['empty requests', { ...BASE, requests: [] }, false],
  ['request without path', { ...BASE, requests: [{ method: 'GET' }] }, false],
  ['request relative path', { ...BASE, requests: [{ path: 'api' }] }, false],
  ['request bad method', { ...BASE, requests: [{ path: '/', method: 'GE T' }] }, false],
  ['request weight 0', { ...BASE, requests: [{ path: '/', weight: 0 }] }, false],
  ['request numeric header', { ...BASE, requests: [{ path: '/', headers: { A: 1 } }] }, false],
  ['request null body', { ...BASE, requests: [{ path: '/', body: null }] }, false],
  ['request numeric body', { ...BASE, requests: [{ path: '/', body: 5 }] }, false],
  ['request extra key', { ...BASE, requests: [{ path: '/', url: '/' }] }, false],
  ['both requests and requestsFile', { ...BASE, requestsFile: 'a.http' }, false],
  ['variable object', { ...BASE, variables: { a: {} } }, false],
  ['variables list', { ...BASE, variables: ['a'] }, false],
  ['$schema not string', { ...BASE, $schema: 1 }, false],
];

test('the JSON schema and the parser accept and refuse the same documents', () => {
  for (const [what, doc, valid] of AGREEMENT) {
    const schemaErrors = validate(SCHEMA, doc);
    let parserError: string | null = null;
    try {
      parseScenario(JSON.stringify(doc));
    } catch (e) {
      parserError = (e as Error).message;
    }
    assert.equal(schemaErrors.length === 0, valid, `schema on "${what}": ${schemaErrors.join('; ') || 'accepted'}`);
    assert.equal(parserError === null, valid, `parser on "${what}": ${parserError ?? 'accepted'}`);
  }
});

test('the schema uses the parser\'s patterns, keys and enums', () => {
  const defs = SCHEMA.definitions as Record<string, Schema>;
  const props = SCHEMA.properties as Record<string, Schema>;
  const strPattern = (s: Schema) => ((s.anyOf as Schema[]).find((x) => x.type === 'string')!.pattern as string);
  assert.equal(strPattern(defs.duration!), DURATION_PATTERN.source);
  assert.equal(strPattern(defs.positiveDuration!).replace('(?=.*[1-9])', ''), DURATION_PATTERN.source);
  assert.equal(props.target!.pattern, TARGET_PATTERN.source.replace(/\\\//g, '/'));
  const request = (defs.request!.properties as Record<string, Schema>);
  assert.equal(request.path!.pattern, PATH_PATTERN.source.replace(/\\\//g, '/'));
  assert.equal(request.method!.pattern, METHOD_PATTERN.source);
  assert.deepEqual(props.profile!.enum, [...PROFILES]);
  assert.equal((props.profile!.enumDescriptions as string[]).length, PROFILES.length);
  // Every property documented, for completion and hovers in the editor.
  const undocumented: string[] = [];
  const walk = (s: Schema, at: string) => {
    for (const [k, p] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
      if (typeof p.description !== 'string') undocumented.push(`${at}.${k}`);
    }
  };
  walk(SCHEMA, '$');
  for (const [k, d] of Object.entries(defs)) walk(d, k);
  assert.deepEqual(undocumented, []);
  assert.equal(SCHEMA.$schema, 'http://json-schema.org/draft-07/schema#');
});
