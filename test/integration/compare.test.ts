// End to end (issue 5): a baseline from the real demo service under Pulse's load engine, then the
// demo degraded by injected latency → `pulse compare` (the built CLI) says "regressed" with the
// injected magnitude and exits 1 with --fail-on-regression; then the demo restored → "~", exit 0.
// Bounded: three 4 s runs at a modest open-model rate on loopback. The demo runs in its own
// process, as users run their services: in this one, the load engine's garbage collection and
// the service's shared one event loop, and a pause of either moved one run's p95 on its own
// (a "restored" run compared as regressed about one time in seven).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runLoad } from '../../src/core/load/engine';
import type { LoadConfig } from '../../src/core/load/types';
import { buildRunRecord, collectEnvironment, readRunRecord, writeRunRecord } from '../../src/core/runs/record';
import { saveBaseline } from '../../src/core/compare/baseline';
import type { ComparisonReport } from '../../src/core/compare/report';

const CLI = join(__dirname, '..', '..', 'cli.js');
const DEMO = join(__dirname, '..', '..', 'demo.js');
/** Extra latency injected into every API request (ms). */
const INJECTED_MS = 30;
let demo: { url: string; process: ChildProcess };
let dir: string;

/** The built demo service (dist/demo.js) in a child process; resolves with its URL once it listens. */
function startDemoProcess(args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [DEMO, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo service did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`the demo service exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^PULSE_DEMO_LISTENING (\S+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ url: m[1]!, process: child });
    });
  });
}

async function admin(path: string, body: object): Promise<void> {
  const res = await fetch(`${demo.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, `${path}: ${await res.text()}`);
}

before(async () => {
  // No background traffic and a warm cache from the start: only the load runs move the numbers.
  demo = await startDemoProcess(['--port', '0', '--traffic', '0', '--speed', '1', '--seed', '5', '--no-log-file', '--cache-warmup-seconds', '0']);
  dir = mkdtempSync(join(tmpdir(), 'pulse-compare-'));
});
after(() => {
  demo?.process.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function run(name: string): Promise<string> {
  const config: LoadConfig = {
    target: demo.url,
    requests: [
      { method: 'GET', path: '/api/v1/forecast?city=Berlin', weight: 3 },
      { method: 'GET', path: '/api/v1/users/{{$randomInt 1 4000}}', weight: 2 },
    ],
    model: { kind: 'open', rate: 100 },
    profile: 'steady',
    durationMs: 4000,
  };
  const startedAt = Date.now();
  const result = await runLoad(config);
  const record = buildRunRecord({ name, source: 'pulse', config, result, environment: await collectEnvironment({ pulseVersion: 'test' }), startedAt });
  return writeRunRecord(dir, record);
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('baseline, injected latency → regressed with the right magnitude; restored → "~"', async (t) => {
  const { file: baseline } = await saveBaseline(join(dir, 'baselines'), await readRunRecord(await run('before')), { name: 'demo before' });

  await admin('/admin/inject', { latencyMs: INJECTED_MS });
  const slow = await run('degraded');
  await admin('/admin/reset', {});
  const restored = await run('restored');

  const bad = await cli(['compare', baseline, slow, '--format', 'json', '--fail-on-regression']);
  assert.equal(bad.code, 1, bad.stderr);
  const r = JSON.parse(bad.stdout) as ComparisonReport;
  assert.equal(r.verdict, 'regressed', r.summary);
  assert.equal(r.baseline.name, 'demo before');
  assert.equal(r.latency.kind, 'distribution');
  if (r.latency.kind !== 'distribution') return;
  const m = (k: string) => r.latency.kind === 'distribution' ? r.latency.comparison.metrics.find((x) => x.metric === k)! : assert.fail();
  // Every request got INJECTED_MS more (plus timer overshoot of a ms or two): the median shifts by
  // about that. The tail also carries whatever a busy machine adds to either run, so p95 is held
  // only to having moved up by at least half of it.
  for (const k of ['p50', 'p95'] as const) assert.equal(m(k).verdict, 'regressed', `${k}: ${JSON.stringify(m(k))}`);
  const p50 = m('p50').diff;
  assert.ok(Math.abs(p50 - INJECTED_MS) <= 0.25 * INJECTED_MS + 3, `p50 moved ${p50.toFixed(1)} ms, injected ${INJECTED_MS} ms`);
  assert.ok(m('p95').diff >= INJECTED_MS / 2, `p95 moved ${m('p95').diff.toFixed(1)} ms, injected ${INJECTED_MS} ms`);
  t.diagnostic(`injected ${INJECTED_MS} ms: p50 ${m('p50').diff.toFixed(1)} ms, p95 ${m('p95').diff.toFixed(1)} ms (n = ${m('p50').samples.baseline} / ${m('p50').samples.current})`);
  assert.ok(r.rules.results.some((x) => x.fired && x.rule.metric === 'p95'));
  const md = await cli(['compare', baseline, slow, '--format', 'markdown']);
  assert.equal(md.code, 0, 'without --fail-on-regression a regression still exits 0');
  assert.match(md.stdout, /Pulse: \*\*regressed\*\*/);

  const ok = await cli(['compare', baseline, restored, '--fail-on-regression']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.diagnostic(ok.stdout.split('\n')[0]!);
  assert.match(ok.stdout, /^Pulse comparison: (~ no significant regression|improved)/);
});

test('pulse compare: usage errors exit 2; a bad file is named with its problem', async () => {
  const usage = await cli(['compare', 'only-one.json']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: pulse compare/);
  const fmt = await cli(['compare', 'a.json', 'b.json', '--format', 'pdf']);
  assert.equal(fmt.code, 2);
  assert.match(fmt.stderr, /--format must be text, markdown or json/);
  const missing = join(dir, 'nope.json');
  const r = await cli(['compare', missing, missing]);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(`${missing}: no such file`), r.stderr);
});
