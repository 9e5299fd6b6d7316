// Request templating and the prepared request mix (weights, origins, reuse of fixed requests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, TemplateError } from '../../src/core/load/template';
import { pick, prepareMix, render, LoadConfigError } from '../../src/core/load/requests';

test('variables and built-ins render; constant text stays the same string', () => {
  const t = compileTemplate('/api/v1/forecast?city={{city}}&days={{ days }}', { city: 'Berlin', days: '3' });
  assert.equal(t.constant, true);
  assert.equal(t.render(), '/api/v1/forecast?city=Berlin&days=3');
  assert.equal(t.render(), t.render());

  const r = compileTemplate('/users/{{$randomInt 1 4}}');
  assert.equal(r.constant, false);
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) seen.add(r.render());
  assert.deepEqual([...seen].sort(), ['/users/1', '/users/2', '/users/3'], 'max is excluded, as in REST Client');

  const u = compileTemplate('{"id":"{{$uuid}}"}');
  const a = u.render();
  assert.match(a, /^\{"id":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}$/);
  assert.notEqual(a, u.render());
  assert.match(compileTemplate('{{$guid}}').render(), /^[0-9a-f-]{36}$/);

  const ts = Number(compileTemplate('{{$timestamp}}').render());
  assert.ok(Math.abs(ts - Date.now() / 1000) < 5, String(ts));
  assert.equal(compileTemplate('').render(), '');
  assert.equal(compileTemplate('no braces { here }').render(), 'no braces { here }');
});

test('unknown variables and bad built-ins fail when compiled, naming the field', () => {
  assert.throws(() => compileTemplate('/x/{{id}}', {}, 'request 1 path'), (e: unknown) => e instanceof TemplateError && /request 1 path: unknown variable \{\{id\}\} \(no variables defined\)/.test(e.message));
  assert.throws(() => compileTemplate('{{nope}}', { city: 'x' }), /known: city/);
  assert.throws(() => compileTemplate('{{$randomInt 5}}'), /two integers/);
  assert.throws(() => compileTemplate('{{$randomInt 5 5}}'), /min < max/);
  assert.throws(() => compileTemplate('{{$randomInt a b}}'), /two integers/);
  assert.throws(() => compileTemplate('{{$now}}'), /unknown built-in \{\{\$now\}\}/);
  assert.throws(() => compileTemplate('{{$uuid x}}'), /takes no arguments/);
});

test('the mix: fixed requests are built once, templated ones per send, bodies as bytes', () => {
  const mix = prepareMix(
    {
      target: 'http://127.0.0.1:8000/base/',
      variables: { city: 'Oslo' },
      requests: [
        { method: 'get', path: '/forecast?city={{city}}', weight: 3 },
        { method: 'POST', path: '/chat', headers: { 'Content-Type': 'application/json', 'X-Req': '{{$uuid}}' }, body: '{"message":"hi {{city}}"}', weight: 1 },
        { method: 'GET', path: 'http://localhost:9000/other', weight: 0 },
      ],
    },
    false,
  );
  assert.deepEqual(mix.origins, ['http://127.0.0.1:8000', 'http://localhost:9000']);
  const [a, b, c] = mix.requests;
  assert.ok(a!.fixed, 'a request without placeholders is prebuilt');
  assert.equal(a!.fixed!.path, '/base/forecast?city=Oslo');
  assert.equal(a!.fixed!.method, 'GET');
  assert.equal(a!.fixed!.headers, null, 'no headers unless asked for');
  assert.equal(b!.fixed, null);
  const opts = render(b!);
  assert.equal(opts.path, '/base/chat');
  assert.ok(Buffer.isBuffer(opts.body));
  assert.equal(String(opts.body), '{"message":"hi Oslo"}');
  const h = opts.headers as string[];
  assert.equal(h[0], 'Content-Type');
  assert.match(h[3]!, /^[0-9a-f-]{36}$/);
  assert.equal(c!.origin, 1);
  assert.equal(c!.fixed!.path, '/other');

  // A built-in with arguments (spaces inside the braces) in a path.
  const one = prepareMix({ target: 'http://127.0.0.1:8000', requests: [{ method: 'GET', path: '/users/{{$randomInt 1 3}}' }] }, false);
  assert.match(render(one.requests[0]!).path, /^\/users\/[12]$/);
  assert.throws(() => prepareMix({ target: 'http://127.0.0.1:8000', requests: [{ method: 'GET', path: '/a b' }] }, false), /whitespace/);

  // Weighted pick: 3:1:0.
  const counts = [0, 0, 0];
  for (let i = 0; i < 40_000; i++) counts[pick(mix)]!++;
  assert.equal(counts[2], 0);
  const share = counts[0]! / 40_000;
  assert.ok(share > 0.73 && share < 0.77, `share ${share}`);
});

test('the mix refuses what cannot be sent', () => {
  const base = { target: 'http://127.0.0.1:8000' };
  assert.throws(() => prepareMix({ ...base, requests: [] }, false), /mix is empty/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GE T', path: '/' }] }, false), /invalid method/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: 'relative' }] }, false), /must start with "\/"/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: 'http://{{host}}/x' }] }, false), /host of an absolute URL cannot be templated/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: '/', headers: { Host: 'x' } }] }, false), /set by Pulse/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: '/', weight: 0 }] }, false), /weight 0/);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: '/', weight: -1 }] }, false), /weight must be/);
  assert.throws(() => prepareMix({ target: 'ftp://127.0.0.1', requests: [{ method: 'GET', path: '/' }] }, false), LoadConfigError);
  assert.throws(() => prepareMix({ ...base, requests: [{ method: 'GET', path: '/{{x}}' }] }, false), /unknown variable/);
});
