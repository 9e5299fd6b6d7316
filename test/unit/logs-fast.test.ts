// The byte fast path against the regex path on generated logs: every format, random methods,
// paths, durations and statuses, CRLF, and lines mutated at random so the readers meet the odd
// shapes they must give up on. Per line (same method, path, duration as the regex reads) and per
// file (the same summary, whatever the chunking).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogAggregator, LogScanner, type FileHit, type RecognizeOptions } from '../../src/core/logs';
import { planFor } from '../../src/core/logs/recognize';
import { METHOD_NAMES } from '../../src/core/logs/bytes';
import { fast } from '../../src/core/logs/fast-formats';
import { FastLines } from '../../src/core/logs/fast-lines';
import { BUILTIN_RECOGNIZERS } from '../../src/core/logs/formats';
import { ByteInterner } from '../../src/core/logs/intern';
import { mulberry32 } from '../../src/core/random';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'get', 'Post', 'FETCH'];
const PATHS = ['/api/v1/forecast', '/api/v1/chat?x=1', '/a/b#frag', '/', '/u/123?q=http://x/y', 'http://host:8000/p?x', '/%E2%82%AC', '/a?b#c', '*', '/p:x//y', 'forecast', '/é', '/a b', '/a\\/b', '/a"b', '/a|b'];
const JSON_DUR_KEYS = ['duration_ms', 'durationMs', 'latency_ms', 'request_time', 'response_time', 'responseTime', 'duration', 'took', 'elapsed', 'took_ms', 'time_ms'];
const JSON_PATH_KEYS = ['path', 'endpoint', 'url', 'uri', 'route', 'request_path', 'target', 'request', 'page'];
const NOISE = [' ', '"', '|', '-', '.', '[', ']', '?', '#', ':', '/', '\\', 'e', '5', 'µ', '\t', 'x', 'S', '{', '=', 'ms', ' - "', '] "', 'HTTP/', '[GIN]', 'GET /', 'SLOW REQUEST'];

function generator(seed: number) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const num = (): string => {
    const r = rnd();
    if (r < 0.4) return String(Math.floor(rnd() * 2000));
    if (r < 0.75) return (rnd() * 3).toFixed(1 + Math.floor(rnd() * 4));
    if (r < 0.8) return '0';
    if (r < 0.85) return '12345678901234567';
    if (r < 0.9) return '1.5e3';
    if (r < 0.95) return '.5';
    return '7.';
  };
  const status = () => pick(['200', '404', '500', '2000', '20']);
  const unit = () => pick(['ms', 's', 'us', 'ns', 'µs', ' ms', 'msec', 'm', 'sec', '', 'h', 'min', 'MS', 'seconds', 'secs', 'Sec', 'seco', 'mIn', 'mi', 'Ns', 'n', 'US']);
  const stamp = () => `2026-01-18 14:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:07`;
  const forms: (() => string)[] = [
    () => `${stamp()} - WARNING - SLOW REQUEST: ${pick(METHODS)} ${pick(PATHS)} took ${num()}${unit()} (threshold: ${pick(['1000ms', '3s', '50'])})`,
    () => `${stamp()} - INFO - Cache hit for forecast city=city${Math.floor(rnd() * 50)}`,
    () => {
      const parts = [`"timestamp":"2026-01-18T14:23:45Z"`, `"level":"INFO"`, `"msg":"${pick(['done', 'a "quoted" duration', 'took 5ms'])}"`];
      if (rnd() < 0.9) parts.push(`"${pick(['method', 'http_method', 'verb', 'httpMethod'])}":${pick(['', ' '])}"${pick(METHODS)}"`);
      if (rnd() < 0.9) parts.push(`"${pick(JSON_PATH_KEYS)}": "${pick(PATHS)}"`);
      const v = rnd() < 0.8 ? num() : `"${num()}${unit()}"`;
      parts.push(`"${pick(JSON_DUR_KEYS)}"${pick([':', ' : ', ':\t'])}${v}`);
      if (rnd() < 0.3) parts.push(`"${pick(JSON_DUR_KEYS)}":${num()}`);
      if (rnd() < 0.7) parts.push(`"status":${status()}`);
      for (let i = parts.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [parts[i], parts[j]] = [parts[j]!, parts[i]!];
      }
      return rnd() < 0.3 ? `{"metadata":{${parts.join(',')}}}` : `{${parts.join(',')}}`;
    },
    () => {
      const tail = pick([` "-" "curl/8.5" ${num()}`, ` "-" "Mozilla/5.0 (X11)" rt=${num()}`, ` "-" "ua"`, ` "-" ${num()}`, '', ` "-" "ua"  ${num()} extra`, ` "-" "ua" "x" ${num()}`]);
      return `10.0.0.${Math.floor(rnd() * 9)} - - [18/Jan/2026:14:23:45 +0000] "${pick(METHODS)} ${pick(PATHS)} HTTP/1.1" ${status()} ${pick(['512', '-', '0'])}${tail}`;
    },
    () => `INFO:     127.0.0.1:${40000 + Math.floor(rnd() * 999)} - "${pick(METHODS)} ${pick(PATHS)} HTTP/1.1" ${status()} OK`,
    () => `${pick(METHODS)} ${pick(PATHS)} ${status()} ${pick(['', `${Math.floor(rnd() * 900)} - `, '- - '])}${num()}${unit()}${pick(['', ' - 15', 'x', ' extra'])}`,
    () => `[GIN] 2026/01/18 - 14:23:45 | ${status()} | ${pick(['', '  '])}${num()}${unit()}${pick(['', '1m2.5s'])} |       127.0.0.1 | ${pick(METHODS).padEnd(8)} "${pick(PATHS)}"`,
    () => '',
  ];
  return (): string => {
    let line = pick(forms)();
    for (let n = rnd() < 0.3 ? 1 + Math.floor(rnd() * 2) : 0; n > 0; n--) {
      const at = Math.floor(rnd() * (line.length + 1));
      line = rnd() < 0.5 ? line.slice(0, at) + pick(NOISE) + line.slice(at) : line.slice(0, at) + line.slice(at + 1 + Math.floor(rnd() * 3));
    }
    return line;
  };
}

test('per line: where a byte reader is sure, the regex path reads the same method, path and duration', () => {
  const options: RecognizeOptions = { thresholdMs: 1000 };
  const plan = planFor(options);
  const literals = plan.literals!;
  const reader = new FastLines();
  const next = generator(11);
  let sure = 0;
  for (let i = 0; i < 60_000; i++) {
    const text = next();
    const buf = Buffer.from(text);
    const mask = reader.maskOf(buf, 0, buf.length);
    let expectedMask = 0;
    literals.forEach((l, k) => text.includes(l) && plan.owners[k]!.forEach((r) => (expectedMask |= 1 << r)));
    assert.equal(mask, expectedMask, text);
    if (mask === 0 || !reader.read(buf, 0, buf.length, mask)) continue;
    sure++;
    for (let r = 0; r < plan.admitted.length; r++) plan.admitted[r] = (mask >> r) & 1;
    const hit = plan.recognize(text, 0, true);
    const got = { method: METHOD_NAMES[fast.method], path: buf.toString('latin1', fast.ps, fast.pe), durationMs: fast.dur < 0 ? null : fast.dur };
    assert.deepEqual(got, hit && { method: hit.method, path: hit.path, durationMs: hit.durationMs }, text);
  }
  assert.ok(sure > 8_000, `the readers were sure of only ${sure} lines`);
});

/** content scanned by the regex path alone and by the byte path (a sink counts the lines it reads): the hits of each, and the sink. */
function bothWays(content: Buffer, options: RecognizeOptions) {
  const regex: FileHit[] = [];
  new LogScanner(options, (h) => regex.push(h)).push(content);
  const agg = new LogAggregator({ now: () => 0 });
  const bytes: FileHit[] = [];
  const scanner = new LogScanner(options, (h) => bytes.push(h), 0, agg);
  scanner.push(content);
  scanner.end();
  return { regex, bytes, agg };
}

test('slow text-form lines: the hit made from the bytes equals the regex path\'s, field for field', () => {
  const rnd = mulberry32(23);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const num = () => pick([String(Math.floor(rnd() * 9000)), (rnd() * 9).toFixed(1 + Math.floor(rnd() * 3)), '0', '7.', '.5', '1234567890123456', '12a']);
  const ws = () => (rnd() < 0.7 ? ' ' : pick(['  ', '\t', '\u00a0', '']));
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const prefix = pick(['2026-01-18 14:23:45 - WARNING - ', '2026-01-18 14:23:45,120 - WARNING - ', '', 'é - ', '[worker 3] ', '2026-01-18T14:23:45Z WARN ']);
    const method = pick(['GET ', 'POST  ', 'DELETE\t', 'get ', '', 'GETX ', 'OPTIONS ', 'GET']);
    const path = pick(['/api/v1/chat', '/a?b=1', '/x#f', 'took', '/é', '*', 'http://h:1/p', '/a b']);
    const unit = pick(['ms', 's', 'us', 'ns', 'µs', ' ms', '', 'msx', 'sec', 'm']);
    const thr = pick(['', ` (threshold: ${num()}${pick(['ms', ' s', '', 'us', 'µs', 'msx'])})`, ' (threshold: 1000ms', ` ${ws()}(threshold:${ws()}${num()}ms)`, ' (threshold: 5 )']);
    lines.push(`${prefix}SLOW REQUEST${pick([':', '', '::'])}${ws()}${method}${ws()}${path}${ws()}took${ws()}${num()}${unit}${thr}${pick(['', ' tail', '\r'])}`);
  }
  const content = Buffer.from(lines.join('\n') + '\n');
  let made = 0;
  for (const thresholdMs of [1000, 0]) {
    const { regex, bytes, agg } = bothWays(content, { thresholdMs });
    const slow = regex.filter((h) => h.slow);
    assert.deepEqual(bytes.filter((h) => h.slow), slow);
    // Request lines the sink counted plus hits made: the regex path's hits.
    assert.equal(agg.summary().requests + bytes.length, regex.length, `threshold ${thresholdMs}`);
    assert.ok(agg.summary().requests > 0 || thresholdMs === 0);
    made += slow.length;
  }
  assert.ok(made > 1500, `only ${made} slow hits`);
  // Most of them from the bytes: the lines readText is sure of.
  const reader = new FastLines();
  const sure = lines.filter((l) => {
    const b = Buffer.from(l.replace(/\r$/, ''));
    return reader.read(b, 0, b.length, 1) && fast.at >= 0;
  }).length;
  assert.ok(sure > 500, `readText was sure of only ${sure} lines`);
});

test('slow JSON lines: the hit made from the bytes equals the regex path\'s, field for field (status, timestamp, columns)', () => {
  const rnd = mulberry32(29);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ws = () => pick(['', '', ' ', '  ', '\t']);
  const kv = (k: string, v: string) => `"${k}"${ws()}:${ws()}${v}`;
  const status = () =>
    kv(pick(['status', 'status_code', 'statusCode', 'http_status', 'httpStatus', 'response_status', 'Status', 'state']), pick(['200', '503', '"404"', '2000', '20', '099', '600', '"ok"', '200x', '200_', '200.5', '"2001"', '  200', '"201']));
  const time = () =>
    kv(
      pick(['timestamp', '@timestamp', 'time', 'ts', 'datetime', 'date']),
      pick(['"2026-01-18T14:23:45Z"', '"2026-01-18T14:23:45.123+02:00"', '"2026-01-18 14:23:45,120"', '"short"', `"${'x'.repeat(41)}"`, '"18/Jan/2026:14:23:45 +0000"', '1705587825', '1705587825123', '1705587825.25', '17055878251234', '12345678', '"1705587825"', '1705587825.', 'null']),
    );
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const parts = [
      kv(pick(['duration_ms', 'latency_ms', 'request_time', 'elapsed', 'took']), pick([String(1000 + Math.floor(rnd() * 9000)), (1 + rnd() * 9).toFixed(3), '2500.', '5000'])),
      kv(pick(['path', 'endpoint', 'url']), pick(['"/api/v1/chat"', '"/a?b=1"', '"/x#f"', '"/status"', '"/ts/123"'])),
    ];
    if (rnd() < 0.8) parts.push(kv(pick(['method', 'verb']), pick(['"GET"', '"post"', '"DELETE"'])));
    for (let n = Math.floor(rnd() * 3); n > 0; n--) parts.push(status());
    for (let n = Math.floor(rnd() * 3); n > 0; n--) parts.push(time());
    if (rnd() < 0.4) parts.push(kv('msg', pick(['"the \\"status\\": 201 was sent"', '"time: 2026-01-18T00:00:00Z"', '"ts"', '"é"', '"a \\" b"'])));
    for (let k = parts.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [parts[k], parts[j]] = [parts[j]!, parts[k]!];
    }
    const body = parts.join(pick([',', ', ']));
    lines.push(`${rnd() < 0.3 ? `{"metadata":{${body}}}` : `{${body}}`}${pick(['', '', '\r'])}`);
  }
  const content = Buffer.from(lines.join('\n') + '\n');
  const { regex, bytes } = bothWays(content, { thresholdMs: 1000 });
  const slow = regex.filter((h) => h.slow);
  assert.deepEqual(bytes.filter((h) => h.slow), slow);
  assert.ok(slow.length > 3000, `only ${slow.length} slow hits`);
  // Most of them from the bytes, with every kind of status and timestamp field.
  const reader = new FastLines();
  const json = 1 << BUILTIN_RECOGNIZERS.findIndex((r) => r.id === 'json');
  const made = lines.filter((l) => {
    const b = Buffer.from(l.replace(/\r$/, ''));
    return !/[^\x00-\x7f]/.test(l) && reader.read(b, 0, b.length, json);
  }).length;
  assert.ok(made > 3000, `readJson was sure of only ${made} lines`);
  for (const want of [200, 503, 404, null]) assert.ok(slow.some((h) => h.status === want), `no hit with status ${want}`);
  assert.ok(slow.some((h) => h.timestamp !== null && h.timestamp % 1000 === 250), 'no fractional epoch timestamp');
  assert.ok(slow.some((h) => h.timestamp === null), 'no hit without a timestamp');
});

test('slow lines of every format: the hits made from the bytes equal the regex path\'s, field for field', () => {
  for (const seed of [4, 5]) {
    const next = generator(seed);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(next());
    const content = Buffer.from(lines.join('\n') + '\n');
    for (const thresholdMs of [0.5, 100]) {
      const { regex, bytes } = bothWays(content, { thresholdMs });
      assert.deepEqual(bytes.filter((h) => h.slow), regex.filter((h) => h.slow), `seed ${seed}, threshold ${thresholdMs}`);
    }
    // Slow lines each reader was sure of (their hits made from the bytes), per format.
    const reader = new FastLines();
    const sure = new Map<string, number>();
    for (const l of lines) {
      const b = Buffer.from(l);
      const mask = reader.maskOf(b, 0, b.length);
      if (mask === 0 || /[^\x00-\x7f]/.test(l) || !reader.read(b, 0, b.length, mask) || !(fast.dur > 0.5)) continue;
      const id = BUILTIN_RECOGNIZERS[31 - Math.clz32(reader.readBit)]!.id;
      sure.set(id, (sure.get(id) ?? 0) + 1);
    }
    for (const [id, least] of [['text', 150], ['json', 150], ['combined', 150], ['gin', 150], ['inline', 25]] as const) assert.ok((sure.get(id) ?? 0) > least, `seed ${seed}: ${id} sure of ${sure.get(id) ?? 0} slow lines`);
  }
});

function summaryOf(content: Buffer, chunks: number[], options: RecognizeOptions, byBytes: boolean) {
  const agg = new LogAggregator({ now: () => 0, maxEndpoints: 40 });
  let hits = 0;
  const scanner = new LogScanner(options, (h: FileHit) => (hits++, agg.add(h)), 0, byBytes ? agg : null);
  let at = 0;
  for (let i = 0; at < content.length; i++) {
    const n = chunks[i % chunks.length]!;
    scanner.push(content.subarray(at, at + n));
    at += n;
  }
  return { summary: JSON.parse(JSON.stringify(agg.summary(scanner.end()))), hits };
}

test('per file: the fast path gives exactly the summary of the regex path (CRLF, chunk boundaries, endpoint cap)', () => {
  for (const seed of [1, 2, 3]) {
    const next = generator(seed);
    const rnd = mulberry32(seed + 100);
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(next() + (rnd() < 0.2 ? '\r' : ''));
    const content = Buffer.from(lines.join('\n') + (seed === 2 ? '' : '\n'));
    const options: RecognizeOptions = { thresholdMs: [1000, 100, 0.5][seed - 1]! };
    const chunks = [1 << 20, 4096, 777, 64 * 1024 + 3];
    const regex = summaryOf(content, [1 << 20], options, false);
    for (const size of chunks) {
      const bytes = summaryOf(content, [size, 13, size * 2 + 1], options, true);
      assert.deepEqual(bytes.summary, regex.summary, `seed ${seed}, chunks of ${size}`);
      // Many generated lines are slow or odd on purpose: still, thousands must take the fast path.
      assert.ok(regex.hits - bytes.hits > 1_500, `seed ${seed}: ${bytes.hits} of ${regex.hits} hits went through the regex path`);
    }
  }
});

test('byte interner: a value per (tag, bytes), through its recent-slot cache, across a restart at the limit', () => {
  const it = new ByteInterner<string>(300);
  const buf = Buffer.from(Array.from({ length: 1000 }, (_, i) => `/p/${i}`).join(' '));
  const spans: [number, number][] = [];
  for (let s = 0; s < buf.length; ) {
    const e = buf.indexOf(32, s) < 0 ? buf.length : buf.indexOf(32, s);
    spans.push([s, e]);
    s = e + 1;
  }
  for (let round = 0; round < 3; round++) {
    for (const [i, [s, e]] of spans.slice(0, 250).entries()) {
      for (const tag of [1, 2]) {
        const key = `${tag}${buf.toString('latin1', s, e)}`;
        if (round === 0) assert.equal(it.get(tag, buf, s, e), undefined, key);
        if (round === 0 && tag === 1) it.set(tag, buf, s, e, key);
        assert.equal(it.get(tag, buf, s, e), tag === 1 ? key : undefined, `${key} #${i} round ${round}`);
      }
    }
  }
  // Two keys its cache cannot tell apart (same tag, length and sampled bytes), asked in turn.
  const twins = new ByteInterner<string>();
  const tb = Buffer.from('/aXcdefgh /bXcdefgh');
  twins.set(3, tb, 0, 9, 'a');
  twins.set(3, tb, 10, 19, 'b');
  for (let i = 0; i < 4; i++) assert.deepEqual([twins.get(3, tb, 0, 9), twins.get(3, tb, 10, 19), twins.get(4, tb, 0, 9)], ['a', 'b', undefined]);
  // Past the limit it starts over: nothing found from before, the new key is.
  for (const [s, e] of spans.slice(250, 300)) it.set(1, buf, s, e, 'x');
  const [s0, e0] = spans[0]!;
  const [s1, e1] = spans[300]!;
  it.set(1, buf, s1, e1, 'new');
  assert.equal(it.get(1, buf, s0, e0), undefined);
  assert.equal(it.get(1, buf, s1, e1), 'new');
});
