// analyzeFile on real temp files: streamed result = whole-buffer result; progress; cancel; errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile, LogFileError, scanBuffer, summarizeHits, BinaryFileError } from '../../src/core/logs';
import { mulberry32 } from '../../src/core/random';

let dir: string;
let file: string;
let content: Buffer;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-logs-'));
  const rnd = mulberry32(3);
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const ms = Math.round(rnd() * 1500);
    const s = `${String(i % 60).padStart(2, '0')}`;
    if (i % 3 === 0) lines.push(`127.0.0.1 - - [18/Jan/2026:14:23:${s} +0000] "GET /api/v${i % 4} HTTP/1.1" 200 12 "-" "k6" ${(ms / 1000).toFixed(3)}`);
    else if (i % 3 === 1) lines.push(`{"timestamp":"2026-01-18T14:23:${s}Z","metadata":{"endpoint":"/forecast","duration_ms":${ms},"status":200}}`);
    else lines.push(`2026-01-18 14:23:${s} - INFO - Cache hit for forecast city=${i}`);
  }
  content = Buffer.from(lines.join('\n') + '\n');
  file = join(dir, 'app.log');
  writeFileSync(file, content);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('streamed in small chunks: the same summary as one whole-buffer scan; progress reaches the size', async () => {
  const progress: number[] = [];
  const r = await analyzeFile(file, { thresholdMs: 1000, chunkBytes: 4096, onProgress: (read, total) => (assert.equal(total, content.length), progress.push(read)) });
  const whole = scanBuffer(content, { thresholdMs: 1000 });
  const expected = summarizeHits(whole.hits, whole.stats);
  const { file: f, binary, threads, simd, ...summary } = r;
  assert.equal(f, file);
  assert.equal(binary, false);
  assert.equal(threads, 1);
  assert.equal(simd, true);
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), JSON.parse(JSON.stringify(expected)));
  assert.equal(r.lines, 5000);
  assert.ok(r.slow > 0 && r.slow < r.requests);
  assert.equal(progress.at(-1), content.length);
  assert.ok(progress.length >= content.length / 4096);
});

test('cancelled by its signal: rejects with the AbortError, file closed', async () => {
  const controller = new AbortController();
  await assert.rejects(
    analyzeFile(file, { thresholdMs: 1000, chunkBytes: 1024, signal: controller.signal, onProgress: (read) => read > 8192 && controller.abort() }),
    (e: Error) => e.name === 'AbortError',
  );
});

test('clear errors: missing file, directory, binary file (or skipped)', async () => {
  await assert.rejects(analyzeFile(join(dir, 'nope.log'), { thresholdMs: 1 }), (e: Error) => e instanceof LogFileError && /no such file/.test(e.message));
  await assert.rejects(analyzeFile(dir, { thresholdMs: 1 }), (e: Error) => e instanceof LogFileError && /is a directory/.test(e.message));
  const bin = join(dir, 'data.bin');
  writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 10, 10]));
  await assert.rejects(analyzeFile(bin, { thresholdMs: 1 }), BinaryFileError);
  const skipped = await analyzeFile(bin, { thresholdMs: 1, binary: 'skip' });
  assert.equal(skipped.binary, true);
  assert.equal(skipped.requests, 0);
});
