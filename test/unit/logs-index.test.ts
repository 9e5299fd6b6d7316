// The WebAssembly first pass (line-index.ts / .wat): the lines it lists, with their literals' bits
// and the long-line bit, against a plain JavaScript reading of the same bytes; the scanner's
// results with it and without it (Buffer#indexOf) are the same; the embedded module is what the
// .wat assembles to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { LineIndex, LONG, bucketize, fingerprintOffset, type IndexLiteral } from '../../src/core/logs/line-index';
import { BUILTIN_RECOGNIZERS } from '../../src/core/logs/formats';
import { LogAggregator, LogScanner, scanBuffer, type FileHit, type ScanOptions } from '../../src/core/logs';
import { mulberry32 } from '../../src/core/random';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BUILTIN: IndexLiteral[] = BUILTIN_RECOGNIZERS.flatMap((r, i) => r.literals.map((l) => ({ bytes: Buffer.from(l), bits: 1 << i })));

const BIG = 8 << 20;

interface Rec {
  line: number;
  start: number;
  nl: number;
  bits: number;
}

/** What the index should list for buf (whole lines): the plain way. */
function reference(buf: Buffer, literals: IndexLiteral[], maxLine: number): { records: Rec[]; lines: number } {
  const records: Rec[] = [];
  let line = 0;
  for (let s = 0; s < buf.length; line++) {
    const nl = buf.indexOf(10, s);
    const text = buf.subarray(s, nl);
    let bits = nl - s > maxLine ? LONG : 0;
    for (const l of literals) if (text.includes(l.bytes)) bits |= l.bits;
    if (bits !== 0) records.push({ line, start: s, nl, bits });
    s = nl + 1;
  }
  return { records, lines: line };
}

/** Everything the index lists for buf, copied into its first input area. */
function indexed(ix: LineIndex, buf: Buffer, lowest = false): { records: Rec[]; lines: number } {
  assert.ok(buf.length <= ix.capacity);
  buf.copy(ix.inputs[0]);
  const at = ix.offsetOf(ix.inputs[0]);
  const records: Rec[] = [];
  let base = 0;
  for (let p = at, end = at + buf.length; p < end; p = ix.resume) {
    const n = ix.scan(p, end, lowest);
    for (let i = 0; i < n; i++) {
      const r = ix.records.subarray(4 * i, 4 * i + 4);
      records.push({ line: base + r[0]!, start: r[1]! - at, nl: r[2]! - at, bits: r[3]! });
    }
    base += ix.lines;
  }
  return { records, lines: base };
}

const FRAGMENTS = ['SLOW REQUEST: GET /x took 1200ms', '{"duration_ms":12}', '] "GET', 'HTTP/1.1', 'GET /a', 'POST /b', 'DELETE /c', 'OPTIONS', '[GIN]', 'PATCH /', 'HEAD /',
  'DEBUG', 'INFO', 'WARNING', 'SLOW RE', 'SLOW R', 'GE', 'PO', 'HTT', '{', '"', ']', 'POSTAL', 'DELETED', 'lorem ipsum dolor', 'x'.repeat(70), 'é', '\r'];

function randomLines(seed: number, count: number, maxLen: number): Buffer {
  const rnd = mulberry32(seed);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = '';
    const target = rnd() < 0.02 ? Math.floor(rnd() * maxLen * 3) : Math.floor(rnd() * 140);
    while (line.length < target) line += rnd() < 0.5 ? FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)] : ' ' + 'abcdefghij'.slice(0, 1 + Math.floor(rnd() * 9));
    parts.push(line.slice(0, target) + '\n');
  }
  return Buffer.from(parts.join(''));
}

test('lists exactly the lines holding a literal or longer than maxLine, with their bits', (t) => {
  for (const maxLine of [256, 300, 1000, 65536]) {
    const ix = LineIndex.create(BUILTIN, maxLine, BIG);
    if (!ix) return t.skip('no WebAssembly SIMD here');
    for (let seed = 1; seed <= 12; seed++) {
      const buf = randomLines(seed * 31 + maxLine, 1500, maxLine);
      assert.deepEqual(indexed(ix, buf), reference(buf, BUILTIN, maxLine), `maxLine ${maxLine}, seed ${seed}`);
    }
  }
});

test('lowest only: the same lines, each with its lowest bit exact and no bit it does not have', () => {
  const ix = LineIndex.create(BUILTIN, 65536, BIG)!;
  for (let seed = 1; seed <= 6; seed++) {
    const buf = randomLines(seed * 7, 3000, 65536);
    const want = reference(buf, BUILTIN, 65536);
    const got = indexed(ix, buf, true);
    assert.equal(got.lines, want.lines);
    assert.deepEqual(got.records.map(({ bits: _b, ...r }) => r), want.records.map(({ bits: _b, ...r }) => r));
    got.records.forEach((r, i) => {
      const full = want.records[i]!.bits;
      assert.equal(r.bits & -r.bits, full & -full, `line ${r.line}`);
      assert.equal(r.bits & ~full, 0, `line ${r.line}`);
    });
    // It does skip work: some lines come with fewer bits than they have.
    assert.ok(got.records.some((r, i) => r.bits !== want.records[i]!.bits));
  }
});

test('literals at every offset around the 16- and 64-byte steps, and at the very end', () => {
  const ix = LineIndex.create(BUILTIN, 65536)!;
  for (let pad = 0; pad < 80; pad++) {
    for (const lit of ['SLOW RE', 'DELETE ', '[GIN]', '{"']) {
      const buf = Buffer.from('y'.repeat(200) + '\n' + 'z'.repeat(pad) + lit + '\n' + 'w'.repeat(pad) + '\n' + 'q'.repeat(pad) + lit + '\n');
      assert.deepEqual(indexed(ix, buf), reference(buf, BUILTIN, 65536), `${lit} after ${pad}`);
    }
  }
  // A literal split by a newline is two lines without it.
  const split = Buffer.from('abc SLOW\n REQUEST\nSL\nOW RE\n');
  assert.deepEqual(indexed(ix, split), { records: [], lines: 4 });
});

test('long lines: every one past maxLine is listed, literal or not, also amid lines with false alarms', () => {
  for (const maxLine of [256, 4096, 65536]) {
    const ix = LineIndex.create(BUILTIN, maxLine, BIG)!;
    const parts = [];
    for (const len of [maxLine - 1, maxLine, maxLine + 1, maxLine + 2, 2 * maxLine + 17, 5 * maxLine]) {
      // "GE" is GET's fingerprint: a false alarm every few bytes, or one now and then (each ends a fast stretch).
      for (const gap of [4, 100, 1500]) parts.push(('b'.repeat(gap) + 'GE ').repeat(Math.ceil(len / (gap + 3))).slice(0, len) + '\n');
      parts.push('a'.repeat(len) + '\n', 'short\n');
    }
    const buf = Buffer.from(parts.join(''));
    const want = reference(buf, BUILTIN, maxLine);
    assert.equal(want.records.filter((r) => r.bits & LONG).length, 16, `maxLine ${maxLine}`);
    assert.deepEqual(indexed(ix, buf), want, `maxLine ${maxLine}`);
  }
});

test('more listed lines than one call can hold: it stops and resumes without losing any', () => {
  const ix = LineIndex.create(BUILTIN, 65536)!;
  const buf = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i % 3 ? `GET /${i}\n` : 'plain\n')).join(''));
  const got = indexed(ix, buf);
  assert.equal(got.records.length, 26_666);
  assert.deepEqual(got, reference(buf, BUILTIN, 65536));
});

test('fingerprints avoid pairs inside common log words; buckets are at most 8 and keep every literal', () => {
  assert.notEqual(Buffer.from('DELETE ').toString('latin1', fingerprintOffset(Buffer.from('DELETE ')), fingerprintOffset(Buffer.from('DELETE ')) + 2), 'DE');
  const buckets = bucketize(BUILTIN);
  assert.ok(buckets.length <= 8);
  assert.equal(buckets.reduce((n, b) => n + b.entries.length, 0), BUILTIN.length);
  // Literals it cannot take: the scanner then does without.
  assert.equal(LineIndex.create([{ bytes: Buffer.from('x'), bits: 1 }], 65536), null);
  assert.equal(LineIndex.create([], 65536), null);
  assert.equal(LineIndex.create([{ bytes: Buffer.from('x'.repeat(17)), bits: 1 }], 65536), null);
  // A literal of 16 bytes (one vector) is found, and one byte short of it is not.
  const ix = LineIndex.create([{ bytes: Buffer.from('0123456789abcdef'), bits: 4 }], 65536)!;
  const buf = Buffer.from('..0123456789abcdef..\n0123456789abcdeX\n0123456789abcde\n');
  assert.deepEqual(indexed(ix, buf), { records: [{ line: 0, start: 0, nl: 20, bits: 4 }], lines: 3 });
});

const SAMPLE = [
  '2026-01-18 14:23:45 - INFO - Application startup complete',
  '2026-01-18 14:23:46 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)',
  '{"timestamp":"2026-01-18T14:23:47Z","message":"Request processed","metadata":{"endpoint":"/forecast","duration_ms":1450,"status":200}}',
  '127.0.0.1 - - [18/Jan/2026:14:23:48 +0000] "GET /api/v1/forecast?city=köln HTTP/1.1" 200 512 "-" "curl/8.5" 0.020',
  'GET /api/items 200 1500.5 ms - 15',
  '[GIN] 2026/01/18 - 14:23:49 | 200 |  1.2345s |  127.0.0.1 | GET      "/api/v1/metrics"',
  'INFO:     127.0.0.1:5000 - "GET /health HTTP/1.1" 200 OK',
  '',
];

test('the scanner finds the same hits, lines and byte ranges with the first pass and without it', () => {
  const rnd = mulberry32(7);
  const lines = Array.from({ length: 5000 }, () => {
    const l = SAMPLE[Math.floor(rnd() * SAMPLE.length)]!;
    return rnd() < 0.01 ? l + ' pad'.repeat(20_000) : l;
  });
  const buf = Buffer.from(lines.map((l) => l + (rnd() < 0.1 ? '\r\n' : '\n')).join(''));
  const run = (o: ScanOptions, chunk: number) => {
    const hits: FileHit[] = [];
    const s = new LogScanner(o, (h) => hits.push(h));
    for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
    const { lines: n } = s.end();
    return { hits, lines: n };
  };
  for (const chunk of [1 << 20, 4096, 777]) {
    const withIndex = run({ thresholdMs: 1000 }, chunk);
    assert.ok(withIndex.hits.length > 2500, String(withIndex.hits.length));
    assert.deepEqual(withIndex, run({ thresholdMs: 1000, noIndex: true }, chunk), `chunks of ${chunk}`);
  }
  const [on, off] = [scanBuffer(buf, { thresholdMs: 500 }), scanBuffer(buf, { thresholdMs: 500, noIndex: true })];
  assert.deepEqual(on.hits, off.hits);
  assert.deepEqual([on.stats.simd, off.stats.simd], [true, false]);
  // Counting ordinary requests from bytes (the first pass then gives only a line's first recogniser).
  const summary = (o: ScanOptions) => {
    const agg = new LogAggregator({});
    const s = new LogScanner(o, (h) => agg.add(h), 0, agg);
    s.push(buf);
    return agg.summary(s.end());
  };
  const counted = summary({ thresholdMs: 1000 });
  assert.ok(counted.requests > 2500 && counted.slow > 500, JSON.stringify({ requests: counted.requests, slow: counted.slow }));
  assert.deepEqual(counted, summary({ thresholdMs: 1000, noIndex: true }));
});

test('the embedded module is what line-index.wat assembles to', () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-wasm.mjs'), '--check'], { cwd: ROOT, stdio: 'pipe' });
});
