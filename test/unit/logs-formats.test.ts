// Each built-in format from realistic lines: what is read, and where the duration token is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationText, parseTimestamp, recognizeLine, type LogHit } from '../../src/core/logs';
import { formatLogLine, slowRequestMessage } from '../../src/demo/slowlog';
import { parseTimestampByRegex } from '../../src/core/logs/timestamp';
import { mulberry32 } from '../../src/core/random';

const opts = { thresholdMs: 1000 };

function hit(line: string, thresholdMs = 1000): LogHit {
  const h = recognizeLine(line, 0, { thresholdMs });
  assert.ok(h, `not recognised: ${line}`);
  return h;
}

/** The duration token the hit points at, as text. */
const token = (line: string, h: LogHit) => (h.durationColumns ? line.slice(h.durationColumns.start, h.durationColumns.end) : null);

test('application text form: the demo service writes exactly what the scanner reads', () => {
  const at = new Date(2026, 0, 18, 14, 23, 45);
  const line = formatLogLine('WARNING', slowRequestMessage('POST', '/api/v1/chat', 3456.4, 3000), at);
  const h = hit(line);
  assert.equal(h.format, 'text');
  assert.equal(h.method, 'POST');
  assert.equal(h.path, '/api/v1/chat');
  assert.equal(h.durationMs, 3456);
  assert.equal(h.thresholdMs, 3000, 'the threshold printed in the line wins over the setting');
  assert.equal(h.slow, true);
  assert.equal(h.timestamp, at.getTime());
  assert.equal(token(line, h), '3456ms');
});

test('text form: the line threshold wins both ways; no printed threshold uses the setting', () => {
  const line = '2026-01-18 14:23:45 - WARNING - SLOW REQUEST: GET /api/v1/forecast?city=x took 1.5s (threshold: 1s)';
  const h = hit(line, 5000);
  assert.equal(h.durationMs, 1500);
  assert.equal(h.thresholdMs, 1000);
  assert.equal(h.slow, true);
  assert.equal(h.path, '/api/v1/forecast');
  assert.equal(h.rawPath, '/api/v1/forecast?city=x');
  const bare = '2026-01-18 14:23:45 - WARNING - SLOW REQUEST: GET /x took 1200ms';
  assert.equal(hit(bare, 1000).slow, true);
  assert.equal(hit(bare, 2000).slow, false);
  assert.equal(hit(bare, 2000).thresholdMs, 2000);
  assert.equal(recognizeLine('2026-01-18 14:23:45 - INFO - Cache hit for forecast', 0, opts), null);
});

test('JSON lines: nested duration, endpoint and status; units; timestamps', () => {
  const line = '{"timestamp":"2026-01-18T14:23:45Z","level":"INFO","service":"api","trace_id":"abc123","message":"Request processed","metadata":{"endpoint":"/forecast","duration_ms":45,"status":200}}';
  const h = hit(line);
  assert.deepEqual([h.format, h.method, h.path, h.status, h.durationMs, h.slow], ['json', null, '/forecast', 200, 45, false]);
  assert.equal(token(line, h), '45');

  const s = '{"time":"2026-01-18T14:23:45.120+01:00","http":{"method":"post","url":"http://localhost:8000/api/v1/chat?x=1","status_code":503},"latency":"1.25s"}';
  const hs = hit(s);
  assert.deepEqual([hs.method, hs.path, hs.rawPath, hs.status, hs.durationMs, hs.slow], ['POST', '/api/v1/chat', 'http://localhost:8000/api/v1/chat?x=1', 503, 1250, true]);
  assert.equal(hs.timestamp, Date.UTC(2026, 0, 18, 13, 23, 45, 120));
  assert.equal(token(s, hs), '1.25s');

  // nginx's JSON log_format: request_time in seconds, request line in one field.
  const n = '{"time_local":"18/Jan/2026:14:23:45 +0000","request":"GET /api/v1/metrics HTTP/1.1","status":"200","request_time":"2.005"}';
  const hn = hit(n);
  assert.deepEqual([hn.method, hn.path, hn.status, hn.durationMs], ['GET', '/api/v1/metrics', 200, 2005]);

  for (const [key, value, ms] of [['elapsed', '450', 450], ['response_time', '"450ms"', 450], ['duration', '"1m2.5s"', 62500], ['latency_ms', '12.5', 12.5], ['responseTime', '7', 7]] as const) {
    const l = `{"method":"GET","path":"/x","${key}":${value}}`;
    assert.equal(hit(l).durationMs, ms, l);
  }
  // A timing without an endpoint (a job, a query) is not a request line.
  assert.equal(recognizeLine('{"message":"db query","duration_ms":4500}', 0, opts), null);
  assert.equal(recognizeLine('{"message":"hello","path":"/x"}', 0, opts), null);
});

test('nginx/Apache combined with $request_time (seconds) and gunicorn %(D)s (microseconds)', () => {
  const nginx = '192.168.1.20 - - [18/Jan/2026:14:23:45 +0000] "GET /api/v1/forecast?city=berlin HTTP/1.1" 200 1532 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)" 1.234';
  const h = hit(nginx);
  assert.deepEqual([h.format, h.method, h.path, h.status, h.durationMs, h.slow], ['combined', 'GET', '/api/v1/forecast', 200, 1234, true]);
  assert.equal(token(nginx, h), '1.234');
  assert.equal(hit(nginx.replace(/1\.234$/, 'rt=0.012 uct="0.000"')).durationMs, 12);

  const gunicorn = '127.0.0.1 - - [18/Jan/2026:14:23:45 +0000] "POST /api/v1/chat HTTP/1.1" 201 88 "-" "python-requests/2.31.0" 2500123';
  const g = hit(gunicorn);
  assert.equal(g.durationMs, 2500.123);
  assert.equal(g.status, 201);

  const noTime = '127.0.0.1 - - [18/Jan/2026:14:23:45 +0000] "GET / HTTP/1.1" 304 0 "-" "curl/8.5.0"';
  const n = hit(noTime);
  assert.equal(n.durationMs, null);
  assert.equal(n.slow, false);
});

test('uvicorn: a request without a duration, never slow', () => {
  const h = hit('INFO:     127.0.0.1:54321 - "GET /api/v1/forecast?city=x HTTP/1.1" 200 OK');
  assert.deepEqual([h.format, h.method, h.path, h.status, h.durationMs, h.slow, h.durationColumns], ['uvicorn', 'GET', '/api/v1/forecast', 200, null, false, null]);
});

test('Go, Express/morgan and gin style lines', () => {
  const cases: [string, string, number, number][] = [
    ['2026/01/18 14:23:45 GET /api/items 200 12.3ms', 'GET /api/items', 200, 12.3],
    ['GET /api/items/7 200 1234.567 ms - 15', 'GET /api/items/7', 200, 1234.567],
    ['POST /login 401 23 - 2.5 ms', 'POST /login', 401, 2.5],
    ['time=2026-01-18T14:23:45Z msg=done DELETE /cart/1 204 1.2s', 'DELETE /cart/1', 204, 1200],
    ['[GIN] 2026/01/18 - 14:23:45 | 500 |    1.502345s |       127.0.0.1 | GET      "/api/slow"', 'GET /api/slow', 500, 1502.345],
  ];
  for (const [line, endpoint, status, ms] of cases) {
    const h = hit(line);
    assert.equal(`${h.method} ${h.path}`, endpoint, line);
    assert.equal(h.status, status, line);
    assert.ok(Math.abs(h.durationMs! - ms) < 1e-9, `${line}: ${h.durationMs}`);
    assert.equal(h.slow, ms > 1000, line);
    assert.match(token(line, h)!, /^[\d.]+ ?(ms|s)$/, line);
  }
  assert.equal(hit(cases[4]![0]).format, 'gin');
  assert.equal(hit(cases[4]![0]).timestamp, new Date(2026, 0, 18, 14, 23, 45).getTime());
  assert.equal(recognizeLine('we GET /things 200 times a day', 0, opts), null);
});

test('durations as logs print them; anything else is null', () => {
  const cases: [string, string | undefined, number | null][] = [
    ['3456ms', undefined, 3456], ['12', undefined, 12], ['1.5', 's', 1500], ['0.25', undefined, 0.25], [' 7ms ', undefined, 7], ['12MS', undefined, 12],
    ['1.2s', undefined, 1200], ['350µs', undefined, 350 * 1e-3], ['1m2.5s', undefined, 62500], ['2h', undefined, 7_200_000], ['12', 'fortnights', null],
    ['abc', undefined, null], ['', undefined, null], ['1m30', undefined, null], ['-5ms', undefined, null], ['5 ms', undefined, 5],
  ];
  for (const [text, unit, want] of cases) assert.equal(parseDurationText(text, unit), want, JSON.stringify([text, unit]));
});

test('timestamps read by hand at a line start equal the regex reading, on generated variants', () => {
  const rnd = mulberry32(41);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const d2 = () => String(Math.floor(rnd() * 100)).padStart(2, '0');
  const parts = [
    () => `${pick(['2026', '1999', '0000', '20x6'])}${pick(['-', '/', '.'])}${pick(['01', '12', '13', '00', d2()])}${pick(['-', '/'])}${pick(['18', '31', '00', d2()])}`,
    () => pick(['T', ' ', ' - ', '  ', 't', ' -', '-']),
    () => `${pick(['14', '23', '24', '00', d2()])}:${pick(['23', '59', '60', d2()])}:${pick(['45', '00', '61', d2(), '4'])}`,
    () => pick(['', '', '.5', ',123', '.123456789', '.1234567891', '.', ',x', '.0']),
    () => pick(['', '', ' ', '\t', '\u00a0', '  ']),
    () => pick(['', 'Z', '+01:00', '-0530', '+01:0', '+1', '-05:30x', 'z', ' - WARNING - x']),
    () => pick(['', ' tail', '2026-01-18 14:23:45', '\n']),
  ];
  let fast = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = (rnd() < 0.05 ? pick(['x', ' ', '[']) : '') + parts.map((p) => (rnd() < 0.03 ? '' : p())).join('');
    assert.equal(parseTimestamp(text), parseTimestampByRegex(text), JSON.stringify(text));
    if (/^\d{4}[-/]\d\d[-/]\d\d/.test(text)) fast++;
  }
  assert.ok(fast > 5000, `only ${fast} texts started with a date`);
});

test('local timestamps minute after minute, and invalid fields, as Date reads them', () => {
  const stamps = ['2026-01-18 14:23:45', '2026-01-18 14:23:59,500', '2026-01-18 14:24:00', '2026-01-18 14:23:01', '2026-03-29 02:30:00', '2026-01-18 10:61:00', '2026-01-18 11:01:00', '2026-13-01 00:00:00', '2026/01/18 - 14:23:45'];
  for (const s of stamps) {
    const [y, mo, d, h, mi, sec, frac] = s.split(/[-/ :,]+/).map(Number) as number[];
    assert.equal(parseTimestamp(s), new Date(y!, mo! - 1, d!, h!, mi!, sec!, frac ?? 0).getTime(), s);
  }
  assert.equal(parseTimestamp('2026-01-18T14:23:45Z'), Date.UTC(2026, 0, 18, 14, 23, 45));
  assert.equal(parseTimestamp('18/Jan/2026:14:23:45 +0100'), Date.UTC(2026, 0, 18, 13, 23, 45));
});
