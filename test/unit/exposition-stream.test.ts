// ExpositionStreamParser: any chunking gives exactly what the whole-body parser gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpositionStreamParser, parseExposition, type ExpositionFormat, type ParseStats } from '../../src/core/exposition';
import type { ExpositionVisitor } from '../../src/core/types';

function recorder(): { visitor: ExpositionVisitor; events: unknown[] } {
  const events: unknown[] = [];
  return {
    events,
    visitor: {
      onFamily: (f) => events.push(['family', f]),
      onSample: (n, l, v, t) => events.push(['sample', n, l, v, t]),
    },
  };
}

function whole(text: string, format: ExpositionFormat): { events: unknown[]; stats: ParseStats } {
  const r = recorder();
  const stats = parseExposition(text, r.visitor, format);
  return { events: r.events, stats };
}

function streamed(chunks: (string | Uint8Array)[], format: ExpositionFormat): { events: unknown[]; stats: ParseStats } {
  const r = recorder();
  const p = new ExpositionStreamParser(r.visitor, format);
  for (const c of chunks) p.push(c);
  return { events: r.events, stats: p.end() };
}

function byteChunks(buf: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

function stringChunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const PROM_BODY = [
  '# HELP http_request_duration_seconds Latency — by route, in seconds (ünïcödé help)',
  '# TYPE http_request_duration_seconds histogram',
  'http_request_duration_seconds_bucket{route="/café",le="0.1"} 1',
  'http_request_duration_seconds_bucket{route="/café",le="+Inf"} 2',
  'http_request_duration_seconds_sum{route="/café"} 0.25',
  'http_request_duration_seconds_count{route="/café"} 2',
  '# TYPE greeting gauge',
  'greeting{lang="日本語",text="こんにちは \\"世界\\"\\n🚀🎉"} 1 1700000000000',
  'greeting{lang="emoji",text="👩‍👩‍👧‍👦 𝄞"} -Inf',
  '',
  'plain_total 42',
  '',
].join('\n');

const OM_BODY = [
  '# TYPE req_seconds histogram',
  '# UNIT req_seconds seconds',
  '# HELP req_seconds Zeit für Anfragen \\"quoted\\"',
  'req_seconds_bucket{path="/straße",le="0.5"} 3 # {trace_id="ß🚀"} 0.2 1700000000.125',
  'req_seconds_bucket{path="/straße",le="+Inf"} 4',
  'req_seconds_count{path="/straße"} 4',
  'req_seconds_sum{path="/straße"} 1.5',
  'req_seconds_created{path="/straße"} 1700000000.5',
  '# TYPE temp_celsius gauge',
  'temp_celsius{city="Zürich"} 21.5 1700000001.001',
  '# EOF',
  '',
].join('\n');

for (const [format, body] of [['prometheus', PROM_BODY], ['openmetrics', OM_BODY]] as const) {
  test(`stream (${format}): every byte chunk size 1..N gives the whole-body result`, () => {
    const expected = whole(body, format);
    assert.ok(expected.stats.samples >= 5);
    const bytes = new TextEncoder().encode(body);
    assert.ok(bytes.length > body.length, 'body has multi-byte UTF-8');
    for (let size = 1; size <= bytes.length; size++) {
      const got = streamed(byteChunks(bytes, size), format);
      assert.deepEqual(got.events, expected.events, `chunk size ${size}`);
      assert.deepEqual(got.stats, expected.stats, `chunk size ${size}`);
    }
  });

  test(`stream (${format}): every string chunk size 1..N (surrogate pairs split) gives the whole-body result`, () => {
    const expected = whole(body, format);
    for (let size = 1; size <= body.length; size++) {
      const got = streamed(stringChunks(body, size), format);
      assert.deepEqual(got.events, expected.events, `chunk size ${size}`);
      assert.deepEqual(got.stats, expected.stats, `chunk size ${size}`);
    }
  });
}

test('stream: mixed string and byte chunks, empty chunks, and a body without final newline', () => {
  const body = 'a{x="é"} 1\nb 2\nc 3';
  const expected = whole(body, 'prometheus');
  const enc = new TextEncoder();
  const e = enc.encode('{x="é"} 1\nb');
  const got = streamed(['', 'a', e.subarray(0, 5), new Uint8Array(0), e.subarray(5), ' 2\n', enc.encode('c 3')], 'prometheus');
  assert.deepEqual(got.events, expected.events);
  assert.deepEqual(got.stats, { format: 'prometheus', samples: 3, families: 3, lines: 3 });
});

test('stream: errors carry the same line and column as the whole-body parser, at any chunk size', () => {
  const lines = ['# TYPE g gauge'];
  for (let i = 2; i < 300; i++) lines.push(`g{i="${i}",s="ü"} ${i}`);
  lines.push('g{i="300",s="ü"} 12x');
  const body = lines.join('\n') + '\n';
  const bytes = new TextEncoder().encode(body);
  let expected: unknown;
  assert.throws(() => whole(body, 'prometheus'), (e) => ((expected = e), true));
  assert.equal((expected as { line: number }).line, 300);
  assert.equal((expected as { column: number }).column, 20);
  for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
    assert.throws(
      () => streamed(byteChunks(bytes, size), 'prometheus'),
      (e) => {
        const err = e as { line: number; column: number; message: string };
        assert.equal(err.message, (expected as Error).message, `chunk size ${size}`);
        return true;
      },
    );
  }
});

test('stream: garbage is rejected as soon as the first bytes arrive, before any newline', () => {
  const p = new ExpositionStreamParser({ onSample() {} });
  assert.throws(() => p.push('<!DOCTYPE html><html><head><title>404'), {
    name: 'ExpositionError',
    line: 1,
    column: 1,
    message: "line 1, column 1: expected a metric name or comment, found '<'",
  });
  const q = new ExpositionStreamParser({ onSample() {} });
  q.push('ok 1\n');
  assert.throws(() => q.push(new Uint8Array([0x1f, 0x8b, 0x08, 0x00])), { line: 2, column: 1, found: 'U+001F' });
});

test('stream: invalid UTF-8 is an error at its line and column (after the lines before it)', () => {
  const enc = new TextEncoder();
  const body = new Uint8Array([...enc.encode('a 1\nb{x="ok'), 0xff, ...enc.encode('"} 2\n')]);
  let samples = 0;
  const p = new ExpositionStreamParser({ onSample: () => void samples++ });
  assert.throws(() => p.push(body), { name: 'ExpositionError', line: 2, column: 8, expected: 'valid UTF-8', found: 'byte 0xff' });
  assert.equal(samples, 1);
  // A continuation byte missing across a chunk boundary.
  const r = new ExpositionStreamParser({ onSample() {} });
  r.push(new Uint8Array([0x61, 0x7b, 0x78, 0x3d, 0x22, 0xc3]));
  assert.throws(() => r.push(new Uint8Array([0x41, 0x22, 0x7d, 0x20, 0x31, 0x0a])), { line: 1, column: 6, expected: 'valid UTF-8' });
  // A sequence cut off by the end of the body.
  const t = new ExpositionStreamParser({ onSample() {} });
  t.push(new Uint8Array([0x61, 0x20, 0x31, 0x0a, 0x23, 0x20, 0xe6, 0x97]));
  assert.throws(() => t.end(), { line: 2, column: 3, expected: 'valid UTF-8' });
});

test('stream: OpenMetrics # EOF rules hold across chunks', () => {
  const ok = new ExpositionStreamParser({ onSample() {} }, 'openmetrics');
  for (const c of ['a 1\n#', ' E', 'OF']) ok.push(c);
  assert.equal(ok.end().samples, 1);
  const missing = new ExpositionStreamParser({ onSample() {} }, 'openmetrics');
  missing.push('a 1\n');
  assert.throws(() => missing.end(), { line: 2, expected: "'# EOF' as the last line" });
  const after = new ExpositionStreamParser({ onSample() {} }, 'openmetrics');
  after.push('a 1\n# EOF\n');
  assert.throws(() => {
    after.push('b 2\n');
    after.end();
  }, { line: 3, expected: "end of input after '# EOF'" });
  const twice = new ExpositionStreamParser({ onSample() {} });
  twice.end();
  assert.throws(() => twice.end(), /end\(\) called twice/);
  assert.throws(() => twice.push('a 1\n'), /push\(\) after end\(\)/);
});

test('stream: memory is one partial line — a 10 MB body in 64 kB chunks never buffers it', () => {
  const line = 'series_with_a_long_name{label_one="value-one",label_two="value-two",le="0.25"} 123.456\n';
  const chunk = line.repeat(Math.ceil(65536 / line.length));
  const p = new ExpositionStreamParser({ onSample() {} });
  let maxPending = 0;
  const internals = p as unknown as { pending: string };
  for (let sent = 0; sent < 10e6; sent += chunk.length) {
    p.push(chunk.slice(0, 1000));
    p.push(chunk.slice(1000));
    maxPending = Math.max(maxPending, internals.pending.length);
  }
  assert.ok(maxPending < line.length, `pending never exceeds a line (max ${maxPending})`);
  assert.ok(p.end().samples > 100_000);
});
