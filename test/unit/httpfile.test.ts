import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HttpFileError, loadHttpFile, parseHttpFile } from '../../src/core/load/httpFile';

const API = `# Forecast API requests (REST Client)
@host = http://127.0.0.1:8000
@api = {{host}}/api/v1
@city = Berlin

### Forecast for one city
GET {{api}}/forecast?city={{city}} HTTP/1.1
Accept: application/json

### Batch
# @name batch
# @weight 3
POST {{api}}/forecast/batch
Content-Type: application/json
// a comment between headers

{"cities": ["{{city}}", "Paris"], "id": "{{$guid}}"}


###
{{host}}/health

###
// method left out, query on following lines
GET {{api}}/search
    ?q={{city}}
    &limit=10
`;

test('a REST Client file becomes weighted, named requests on one base URL', () => {
  const r = parseHttpFile(API);
  assert.equal(r.baseUrl, 'http://127.0.0.1:8000');
  assert.deepEqual(r.requests, [
    { name: 'Forecast for one city', method: 'GET', path: '/api/v1/forecast?city=Berlin', headers: { Accept: 'application/json' } },
    {
      name: 'batch',
      method: 'POST',
      path: '/api/v1/forecast/batch',
      headers: { 'Content-Type': 'application/json' },
      body: '{"cities": ["Berlin", "Paris"], "id": "{{$uuid}}"}',
      weight: 3,
    },
    { method: 'GET', path: '/health' },
    { method: 'GET', path: '/api/v1/search?q=Berlin&limit=10' },
  ]);
  assert.deepEqual(r.requestLines, [7, 13, 21, 25]);
  assert.deepEqual(r.fileVariables, { host: 'http://127.0.0.1:8000', api: 'http://127.0.0.1:8000/api/v1', city: 'Berlin' });
  assert.deepEqual(r.unresolved, []);
  assert.deepEqual(r.warnings, []);
});

test('CRLF line endings and a BOM read the same as LF', () => {
  const lf = parseHttpFile(API);
  const crlf = parseHttpFile(`\uFEFF${API.replace(/\n/g, '\r\n')}`);
  assert.deepEqual(crlf, lf);
  // The body must not keep a stray \r from CRLF lines.
  assert.ok(!crlf.requests[1]!.body!.includes('\r'));
});

test('variables defined below their use, and environment variables under file variables', () => {
  const r = parseHttpFile('GET {{base}}/items/{{id}}\nX-Tenant: {{tenant}}\n\n###\n@base = http://localhost:3000\n@tenant = file\n', {
    variables: { tenant: 'env', id: '7' },
  });
  assert.equal(r.baseUrl, 'http://localhost:3000');
  assert.deepEqual(r.requests[0], { method: 'GET', path: '/items/7', headers: { 'X-Tenant': 'file' } });
});

test('unknown variables are left for the engine and listed; unsupported built-ins and chaining warn', () => {
  const r = parseHttpFile(
    [
      'POST /login',
      'Authorization: Bearer {{token}}',
      '',
      '{"at": "{{$datetime iso8601}}", "n": {{$randomInt 1 10}}, "prev": "{{login.response.body.$.id}}"}',
    ].join('\n'),
  );
  assert.equal(r.baseUrl, null);
  assert.equal(r.requests[0]!.path, '/login');
  assert.equal(r.requests[0]!.headers!.Authorization, 'Bearer {{token}}');
  assert.match(r.requests[0]!.body!, /\{\{\$randomInt 1 10\}\}/);
  assert.deepEqual(r.unresolved, ['token']);
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0]!.message, /\{\{\$datetime\}\}/);
  assert.equal(r.warnings[0]!.line, 4);
  assert.match(r.warnings[1]!.message, /request variables/);
});

test('requests to several origins keep absolute URLs and warn', () => {
  const r = parseHttpFile('GET http://127.0.0.1:8000/a\n###\nGET http://127.0.0.1:9000/b?x=1#frag\n');
  assert.equal(r.baseUrl, null);
  assert.deepEqual(
    r.requests.map((q) => q.path),
    ['http://127.0.0.1:8000/a', 'http://127.0.0.1:9000/b?x=1'],
  );
  assert.match(r.warnings[0]!.message, /2 origins/);
});

test('duplicate headers are combined, cookies with "; "', () => {
  const r = parseHttpFile('GET http://localhost:8000/\nAccept: text/html\naccept: application/json\nCookie: a=1\nCookie: b=2\n');
  assert.deepEqual(r.requests[0]!.headers, { Accept: 'text/html, application/json', Cookie: 'a=1; b=2' });
});

test('a GraphQL request becomes a JSON body', () => {
  const r = parseHttpFile('POST http://localhost:4000/graphql\nX-Request-Type: GraphQL\n\nquery Q($id: ID!) { item(id: $id) { name } }\n\n{"id": "42"}\n');
  assert.deepEqual(r.requests[0]!.headers, { 'Content-Type': 'application/json' });
  assert.deepEqual(JSON.parse(r.requests[0]!.body!), { query: 'query Q($id: ID!) { item(id: $id) { name } }', variables: { id: '42' } });
});

test('multipart bodies are framed with CRLF', () => {
  const r = parseHttpFile('POST /upload\nContent-Type: multipart/form-data; boundary=XX\n\n--XX\nContent-Disposition: form-data; name="a"\n\n1\n--XX--\n');
  assert.equal(r.requests[0]!.body, '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XX--');
});

test('response handlers and cURL requests are skipped with warnings', () => {
  const r = parseHttpFile('GET /a\n\n> {%\n client.global.set("x", 1);\n%}\n###\ncurl http://localhost/x\n###\nGET /b\n');
  assert.deepEqual(
    r.requests.map((q) => [q.path, q.body]),
    [
      ['/a', undefined],
      ['/b', undefined],
    ],
  );
  assert.equal(r.warnings.length, 2);
});

function lineOf(fn: () => unknown): { line: number | null; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof HttpFileError, `expected HttpFileError, got ${String(e)}`);
    return { line: e.line, message: e.message };
  }
  assert.fail('expected an error');
}

test('errors carry the line and the file name', () => {
  let e = lineOf(() => parseHttpFile('GET /a\nAccept application/json\n', { file: '/w/api.http', root: '/w' }));
  assert.equal(e.line, 2);
  assert.match(e.message, /^api\.http:2: expected a header/);

  e = lineOf(() => parseHttpFile('\n\nFETCH me a coffee\n'));
  assert.equal(e.line, 3);
  assert.match(e.message, /^line 3: expected a request line/);

  e = lineOf(() => parseHttpFile('@a = {{b}}\n@b = x{{a}}\nGET /{{a}}\n'));
  assert.equal(e.line, 1);
  assert.match(e.message, /refers to itself \(a → b → a\)/);

  e = lineOf(() => parseHttpFile('# @weight lots\nGET /\n'));
  assert.equal(e.line, 1);

  e = lineOf(() => parseHttpFile('GET {{host}}/x\n'));
  assert.equal(e.line, 1);
  assert.match(e.message, /\{\{host\}\}, which is not defined/);

  e = lineOf(() => parseHttpFile('# only comments\n@x = 1\n'));
  assert.equal(e.line, null);
  assert.match(e.message, /^no requests found/);
  e = lineOf(() => parseHttpFile('', { file: '/w/empty.http' }));
  assert.match(e.message, /^empty\.http: no requests found/);
});

test('body files are read relative to the .http file, inside the workspace only', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'pulse-http-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const outside = mkdtempSync(path.join(tmpdir(), 'pulse-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'requests'));
  mkdirSync(path.join(root, 'bodies'));
  writeFileSync(path.join(root, 'bodies', 'batch.json'), '{"city": "{{city}}"}');
  writeFileSync(path.join(outside, 'secret.txt'), 'top secret');
  const file = path.join(root, 'requests', 'api.http');
  writeFileSync(file, '@city = Oslo\nPOST /raw\n\n< ../bodies/batch.json\n###\nPOST /processed\n\n<@ ../bodies/batch.json\n');

  const r = await loadHttpFile(file, { root });
  assert.equal(r.requests[0]!.body, '{"city": "{{city}}"}');
  assert.equal(r.requests[1]!.body, '{"city": "Oslo"}');

  // Escaping the root by path…
  const escaping = `POST /x\n\n< ${path.relative(path.join(root, 'requests'), path.join(outside, 'secret.txt'))}\n`;
  let e = lineOf(() => parseHttpFile(escaping, { file, root }));
  assert.equal(e.line, 3);
  assert.match(e.message, /outside the workspace folder/);
  assert.doesNotMatch(e.message, /top secret/);
  // …or through a symbolic link inside it.
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'bodies', 'link.txt'));
  e = lineOf(() => parseHttpFile('POST /x\n\n< ../bodies/link.txt\n', { file, root }));
  assert.match(e.message, /links outside the workspace folder/);
  // A missing file, and a body file without knowing where the .http file is.
  e = lineOf(() => parseHttpFile('POST /x\n\n< ../bodies/nope.json\n', { file, root }));
  assert.match(e.message, /no such file/);
  e = lineOf(() => parseHttpFile('POST /x\n\n< ./a.json\n'));
  assert.match(e.message, /needs the \.http file's path/);
  // Without a root, the .http file's folder is the limit.
  e = lineOf(() => parseHttpFile('POST /x\n\n< ../bodies/batch.json\n', { file }));
  assert.match(e.message, /outside the workspace folder/);
});

test('an injected reader gets the resolved path and encoding', () => {
  const calls: [string, string][] = [];
  const r = parseHttpFile('POST /x\n\n<@latin1 ./b.bin\n', {
    file: '/ws/api.http',
    root: '/ws',
    readFile: (p, enc) => {
      calls.push([p, enc]);
      return 'caf\u00e9';
    },
  });
  assert.deepEqual(calls, [[path.resolve('/ws/b.bin'), 'latin1']]);
  assert.equal(r.requests[0]!.body, 'caf\u00e9');
});
