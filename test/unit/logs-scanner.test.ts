// The byte scanner: chunk boundaries, line endings, encodings, huge lines, binary input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryFileError, LogScanner, scanBuffer, type FileHit, type ScanOptions } from '../../src/core/logs';

const LINES = [
  '2026-01-18 14:23:45 - INFO - Application startup complete',
  '2026-01-18 14:23:46 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)',
  '{"timestamp":"2026-01-18T14:23:47Z","message":"Request processed","metadata":{"endpoint":"/forecast","duration_ms":1450,"status":200}}',
  '127.0.0.1 - - [18/Jan/2026:14:23:48 +0000] "GET /api/v1/forecast?city=köln HTTP/1.1" 200 512 "-" "curl/8.5" 0.020',
  'GET /api/items 200 1500.5 ms - 15',
  '',
  'INFO:     127.0.0.1:5000 - "GET /health HTTP/1.1" 200 OK',
];
const opts: ScanOptions = { thresholdMs: 1000 };

function scanChunks(chunks: Buffer[], o: ScanOptions = opts): { hits: FileHit[]; lines: number } {
  const hits: FileHit[] = [];
  const s = new LogScanner(o, (h) => hits.push(h));
  for (const c of chunks) s.push(c);
  return { hits, lines: s.end().lines };
}

test('finds each request line once, with line numbers and byte ranges', () => {
  const buf = Buffer.from(LINES.join('\n') + '\n');
  const { hits, stats } = scanBuffer(buf, opts);
  assert.equal(stats.lines, LINES.length);
  assert.deepEqual(hits.map((h) => h.line), [1, 2, 3, 4, 6]);
  for (const h of hits) assert.equal(buf.subarray(h.byteStart, h.byteEnd).toString('utf8'), LINES[h.line]);
  assert.deepEqual(hits.filter((h) => h.slow).map((h) => h.line), [1, 2, 4]);
});

test('splitting the input at every offset, and byte by byte, gives the same hits as one chunk', () => {
  const buf = Buffer.from(LINES.join('\n'));
  const whole = scanChunks([buf]);
  assert.equal(whole.hits.length, 5);
  for (let k = 0; k <= buf.length; k++) assert.deepEqual(scanChunks([buf.subarray(0, k), buf.subarray(k)]), whole, `split at ${k}`);
  const bytes = [...buf].map((b) => Buffer.from([b]));
  assert.deepEqual(scanChunks(bytes), whole);
  // Chunk sizes around the line lengths, reusing one buffer as a file reader does.
  for (const size of [3, 17, 64, 101]) {
    const hits: FileHit[] = [];
    const s = new LogScanner(opts, (h) => hits.push(h));
    const reused = Buffer.alloc(size);
    for (let i = 0; i < buf.length; i += size) {
      const n = buf.copy(reused, 0, i, Math.min(buf.length, i + size));
      s.push(reused.subarray(0, n));
    }
    assert.deepEqual({ hits, lines: s.end().lines }, whole, `chunks of ${size}`);
  }
});

test('CRLF: same hits, the \\r is not part of the line', () => {
  const lf = scanBuffer(Buffer.from(LINES.join('\n') + '\n'), opts);
  const crlfBuf = Buffer.from(LINES.join('\r\n') + '\r\n');
  const crlf = scanBuffer(crlfBuf, opts);
  assert.equal(crlf.stats.lines, lf.stats.lines);
  assert.deepEqual(crlf.hits.map(({ byteStart: _s, byteEnd: _e, ...h }) => h), lf.hits.map(({ byteStart: _s, byteEnd: _e, ...h }) => h));
  for (const h of crlf.hits) assert.ok(!crlfBuf.subarray(h.byteStart, h.byteEnd).includes(13), `line ${h.line}`);
  // Split exactly between \r and \n.
  const at = crlfBuf.indexOf('\r\n') + 1;
  assert.deepEqual(scanChunks([crlfBuf.subarray(0, at), crlfBuf.subarray(at)]).hits, crlf.hits);
});

test('invalid UTF-8 is tolerated: the line still counts, the rest of the file is read', () => {
  const bad = Buffer.concat([
    Buffer.from('2026-01-18 14:23:46 - WARNING - SLOW REQUEST: GET /caf'),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
    Buffer.from(' took 2000ms (threshold: 1000ms)\n'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from('\n' + LINES[1] + '\n'),
  ]);
  const { hits, stats } = scanBuffer(bad, opts);
  assert.equal(stats.lines, 3);
  assert.deepEqual(hits.map((h) => [h.line, h.durationMs]), [[0, 2000], [2, 3456]]);
  assert.ok(hits[0]!.path!.startsWith('/caf'));
});

test('a 10 MB single line is scanned up to its prefix in bounded time and memory', () => {
  const big = Buffer.alloc(10 * 1024 * 1024, 'x');
  const slowAfter = Buffer.from('\n' + LINES[1] + '\n');
  // The literal deep inside the long line must not count: only the prefix is scanned.
  Buffer.from(' SLOW REQUEST: GET /deep took 9999ms').copy(big, 5 * 1024 * 1024);
  const input = Buffer.concat([Buffer.from(LINES[1]! + ' '), big, slowAfter]);
  const t0 = performance.now();
  const chunked = scanChunks(Array.from({ length: Math.ceil(input.length / 65536) }, (_, i) => input.subarray(i * 65536, (i + 1) * 65536)));
  const one = scanBuffer(input, opts);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `${ms} ms`);
  assert.equal(one.stats.longLines, 1);
  assert.equal(one.stats.lines, 2);
  assert.deepEqual(one.hits.map((h) => [h.line, h.path]), [[0, '/api/v1/chat'], [1, '/api/v1/chat']]);
  assert.deepEqual(chunked.hits, one.hits);
  assert.equal(one.hits[0]!.byteEnd, LINES[1]!.length + 1 + big.length, 'byteEnd is the real end of the long line');
});

test('binary input: a clear error, or skipped when asked', () => {
  const bin = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(16), Buffer.from(LINES[1]!)]);
  assert.throws(() => scanBuffer(bin, opts), (e: unknown) => e instanceof BinaryFileError && /binary/.test(e.message) && e.offset === 7);
  const skipped = scanBuffer(bin, { ...opts, binary: 'skip' });
  assert.equal(skipped.stats.binary, true);
  assert.equal(skipped.hits.length, 0);
  // A NUL far into a text file (after the first 8 kB) is just a bad byte.
  const late = Buffer.concat([Buffer.from(`${'a'.repeat(9000)}\n`), Buffer.from([0]), Buffer.from(`\n${LINES[1]}\n`)]);
  assert.equal(scanBuffer(late, opts).hits.length, 1);
});
