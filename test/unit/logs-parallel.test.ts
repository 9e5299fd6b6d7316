// Big log files analysed in parts on worker threads (dist/logs-worker.js) give exactly the
// result of one scan: totals, per-endpoint counts and percentiles, the newest slow hits with
// their line numbers and byte offsets, slow lines per minute. Also: cancel, a missing worker
// file (falls back), binary files and custom patterns behave as in one scan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, compilePatterns, type AnalyzeOptions } from '../../src/core/logs';
import { mulberry32 } from '../../src/core/random';

// dist/test/unit/*.js -> dist/logs-worker.js
const WORKER_JS = path.resolve(__dirname, '..', '..', 'logs-worker.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-logs-par-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const PATHS = ['/api/v1/forecast', '/api/v1/chat', '/api/v1/users/7', '/health', '/api/v1/orders'];
const two = (n: number) => String(n).padStart(2, '0');

/** Every built-in format, 2 % slow (only in forms that carry a timestamp), CRLF and long lines, no final newline. */
function mixedLog(file: string, lines: number, seed: number): void {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const s = Math.floor(i / 40);
    const hh = two(10 + Math.floor(s / 3600) % 12), mm = two(Math.floor(s / 60) % 60), ss = two(s % 60);
    const m = pick(METHODS), p = pick(PATHS);
    const slow = rnd() < 0.02;
    const ms = slow ? 1000 + Math.floor(rnd() * 9000) : Math.floor(rnd() * 900);
    const eol = rnd() < 0.05 ? '\r\n' : '\n';
    switch (Math.floor(rnd() * 7)) {
      case 0:
        out.push((slow ? `2026-01-18 ${hh}:${mm}:${ss} - WARNING - SLOW REQUEST: ${m} ${p} took ${ms}ms (threshold: 1000ms)` : `2026-01-18 ${hh}:${mm}:${ss} - INFO - cache hit key=${Math.floor(rnd() * 1e6)}`) + eol);
        break;
      case 1:
        out.push(`{"timestamp":"2026-01-18T${hh}:${mm}:${ss}Z","level":"INFO","metadata":{"method":"${m}","endpoint":"${p}","duration_ms":${ms},"status":200}}${eol}`);
        break;
      case 2:
        out.push(`10.0.0.${Math.floor(rnd() * 255)} - - [18/Jan/2026:${hh}:${mm}:${ss} +0000] "${m} ${p}?q=${Math.floor(rnd() * 99)} HTTP/1.1" 200 512 "-" "k6" ${(ms / 1000).toFixed(3)}${eol}`);
        break;
      case 3:
        out.push(`INFO:     127.0.0.1:${40000 + Math.floor(rnd() * 9999)} - "${m} ${p} HTTP/1.1" 200 OK${eol}`);
        break;
      case 4:
        out.push(slow ? `[GIN] 2026/01/18 - ${hh}:${mm}:${ss} | 200 | ${ms}.5ms | 127.0.0.1 | ${m.padEnd(8)} "${p}"${eol}` : `${m} ${p} 200 ${ms}.${Math.floor(rnd() * 999)} ms - 12${eol}`);
        break;
      case 5:
        out.push(`[GIN] 2026/01/18 - ${hh}:${mm}:${ss} | 200 | ${ms}.25ms | 127.0.0.1 | ${m.padEnd(8)} "${p}"${eol}`);
        break;
      default:
        // Now and then a line past maxLineBytes, or plain chatter.
        out.push((rnd() < 0.01 ? 'x'.repeat(70_000) : `2026-01-18 ${hh}:${mm}:${ss} - DEBUG - pool size=13 in_use=${Math.floor(rnd() * 13)}`) + eol);
    }
  }
  fs.writeFileSync(file, out.join('').replace(/\r?\n$/, ''));
}

const MIX = path.join(tmp, 'mix.log');
before(() => mixedLog(MIX, 60_000, 7));

const base: AnalyzeOptions = { thresholdMs: 1000, chunkBytes: 64 << 10 };
const parallel = (o: Partial<AnalyzeOptions['parallel']> = {}): AnalyzeOptions['parallel'] => ({ workerFile: WORKER_JS, workers: 3, minBytes: 0, ...o });

test('in parts on worker threads, the result is exactly that of one scan', async () => {
  const one = await analyzeFile(MIX, base);
  assert.ok(one.slow > 500 && one.requests > 40_000 && one.longLines > 5, JSON.stringify({ slow: one.slow, requests: one.requests, long: one.longLines }));
  for (const workers of [2, 3, 4]) {
    const progress: number[] = [];
    const par = await analyzeFile(MIX, { ...base, parallel: parallel({ workers }), onProgress: (read) => progress.push(read) });
    assert.equal(one.threads, 1);
    assert.equal(par.threads, workers);
    assert.deepEqual({ ...par, threads: 1 }, one, `${workers} workers`);
    assert.ok(progress.length > 0 && progress.at(-1)! <= fs.statSync(MIX).size);
  }
  // The newest slow hits point at the right lines of the file.
  const text = fs.readFileSync(MIX, 'latin1').split('\n');
  for (const h of one.recentSlow.slice(0, 20)) assert.match(text[h.line]!, new RegExp(h.path!.replace(/[/?]/g, '\\$&')));
});

test('custom patterns cross to the threads', async () => {
  const { patterns } = compilePatterns(['cache hit key=(?<duration>\\d+)']);
  const opts = { ...base, patterns, thresholdMs: 999_000 };
  const one = await analyzeFile(MIX, opts);
  assert.ok(one.slow > 0);
  const par = await analyzeFile(MIX, { ...opts, parallel: parallel() });
  assert.equal(par.threads, 3);
  assert.deepEqual({ ...par, threads: 1 }, one);
});

test('a missing worker file falls back to one scan; a binary file fails as in one scan', async () => {
  const one = await analyzeFile(MIX, base);
  // (one scan: threads 1)
  assert.deepEqual(await analyzeFile(MIX, { ...base, parallel: parallel({ workerFile: path.join(tmp, 'nope.js') }) }), one);
  const bin = path.join(tmp, 'bin.log');
  fs.writeFileSync(bin, Buffer.concat([Buffer.from('GET / 200 1ms\n'), Buffer.alloc(4), Buffer.alloc(200_000, 65)]));
  await assert.rejects(analyzeFile(bin, { ...base, parallel: parallel() }), /looks like a binary file \(NUL byte at offset 14/);
  const skipped = await analyzeFile(bin, { ...base, binary: 'skip', parallel: parallel() });
  assert.equal(skipped.binary, true);
});

test('cancelling stops every thread and rejects with the abort reason', async () => {
  const controller = new AbortController();
  const run = analyzeFile(MIX, { ...base, chunkBytes: 4 << 10, parallel: parallel(), signal: controller.signal, onProgress: () => controller.abort() });
  await assert.rejects(run, (e: Error) => e.name === 'AbortError');
});
