// `pulse logs` as a user runs it: the built bin on the demo service's own log and on temp files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoService } from '../../src/demo/service';

const CLI = join(__dirname, '..', '..', 'cli.js');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-logs-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Resolves once the file holds at least `n` lines containing `text` (the demo appends as it serves). */
async function linesContaining(file: string, text: string, n: number): Promise<string[]> {
  for (;;) {
    let lines: string[] = [];
    try {
      if (statSync(file).size > 0) lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(text));
    } catch {
      // not created yet
    }
    if (lines.length >= n) return lines;
    await new Promise((r) => setImmediate(r));
  }
}

test('on the demo service log: every SLOW REQUEST line counted, per endpoint, JSON shape', async () => {
  const logFile = join(dir, 'demo.log');
  // A 1 ms threshold: nearly every request the demo's traffic makes is logged as slow.
  const demo = await startDemoService({ port: 0, traffic: 80, speed: 20, seed: 3, logFile, slowThresholdsMs: { '*': 1 } });
  try {
    await linesContaining(logFile, 'SLOW REQUEST', 40);
  } finally {
    await demo.close();
  }
  const slowLines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('SLOW REQUEST'));
  const r = await cli(['logs', logFile, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'one JSON object');
  const j = JSON.parse(r.stdout);
  for (const k of ['lines', 'slow', 'endpoints']) assert.ok(k in j, `missing ${k}`);
  assert.equal(j.slow, slowLines.length);
  assert.equal(j.lines, readFileSync(logFile, 'utf8').split('\n').length - 1);
  const byEndpoint = new Map<string, number>();
  for (const l of slowLines) {
    const m = / (GET|POST) (\S+) took /.exec(l)!;
    byEndpoint.set(`${m[1]} ${m[2]}`, (byEndpoint.get(`${m[1]} ${m[2]}`) ?? 0) + 1);
  }
  assert.deepEqual(new Map(j.endpoints.map((e: { method: string; path: string; count: number }) => [`${e.method} ${e.path}`, e.count])), byEndpoint);
  for (const e of j.endpoints) {
    for (const k of ['method', 'path', 'count', 'p50_ms', 'p95_ms', 'max_ms']) assert.ok(k in e, `endpoint misses ${k}`);
    assert.ok(e.p50_ms <= e.p95_ms && e.p95_ms <= e.max_ms, JSON.stringify(e));
  }
  const text = await cli(['logs', logFile]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`${j.lines} lines .* ${j.slow} slow`));
  assert.match(text.stdout, /endpoint\s+slow\s+requests\s+p50 ms\s+p95 ms\s+max ms/);
});

test('--threshold decides which timed lines are slow; a bare number is ms', async () => {
  const f = join(dir, 'access.log');
  const line = (t: string) => `127.0.0.1 - - [18/Jan/2026:14:23:45 +0000] "GET /api/v1/forecast HTTP/1.1" 200 12 "-" "k6" ${t}`;
  writeFileSync(f, ['0.100', '0.600', '1.500', '2.500'].map(line).join('\n') + '\n');
  const count = async (args: string[]) => JSON.parse((await cli(['logs', f, '--json', ...args])).stdout).slow;
  assert.equal(await count([]), 2);
  assert.equal(await count(['--threshold', '500']), 3);
  assert.equal(await count(['--threshold', '2s']), 1);
  const j = JSON.parse((await cli(['logs', f, '--json'])).stdout);
  assert.deepEqual(j.endpoints[0], { method: 'GET', path: '/api/v1/forecast', count: 2, requests: 4, p50_ms: 600, p95_ms: 2500, max_ms: 2500 });
});

test('exit codes and messages: missing file, directory, binary file, bad flags', async () => {
  const missing = await cli(['logs', join(dir, 'nope.log')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file/);
  const d = await cli(['logs', dir]);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /is a directory/);
  const bin = join(dir, 'x.bin');
  writeFileSync(bin, Buffer.from([1, 2, 0, 3, 10]));
  const b = await cli(['logs', bin]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /binary file/);
  assert.equal((await cli(['logs'])).code, 2);
  const t = await cli(['logs', bin, '--threshold', 'soon']);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /--threshold/);
  const p = await cli(['logs', bin, '--pattern', '(\\d+)+(?<duration>\\d)']);
  assert.equal(p.code, 2);
  assert.match(p.stderr, /nested quantifier/);
  assert.match((await cli(['--help'])).stdout, /pulse logs <file>/);
});
