// Load runs on a worker thread (dist/load-worker.js) keep runLoad's contract — result, progress,
// cancel, config errors — and the starting thread's own work does not distort what it measures. Real loopback server, bounded runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { runLoad } from '../../src/core/load/engine';
import { LoadConfigError } from '../../src/core/load/requests';
import { runLoadInWorker } from '../../src/core/load/worker';
import type { LoadConfig } from '../../src/core/load/types';

// dist/test/unit/*.js -> dist/load-worker.js, dist/demo.js
const WORKER_JS = path.resolve(__dirname, '..', '..', 'load-worker.js');
const DEMO_JS = path.resolve(__dirname, '..', '..', 'demo.js');
let server: http.Server;
let url: string;

before(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const closed = (over: Partial<LoadConfig> = {}): LoadConfig => ({
  target: url,
  requests: [{ method: 'GET', path: '/' }],
  model: { kind: 'closed', connections: 4 },
  profile: 'steady',
  durationMs: 2000,
  ...over,
});

test('a run on the worker thread reports each second and returns the whole result', async () => {
  const seconds: number[] = [];
  const r = await runLoadInWorker(WORKER_JS, closed(), { onSecond: (s, p) => seconds.push(s.t, p.connections) });
  assert.equal(r.stoppedBy, 'duration');
  assert.ok(r.requests > 100, String(r.requests));
  assert.equal(r.statusCodes['200'], r.requests);
  assert.equal(typeof r.histogram, 'string');
  assert.equal(r.timeline.length, 2);
  assert.deepEqual(seconds, [0, 4, 1, 4]);
  assert.ok(r.latencyMs.p99! >= r.latencyMs.p50!);
});

test('cancelling through the signal stops the worker within a second, with the partial result', async () => {
  const controller = new AbortController();
  const t0 = Date.now();
  setTimeout(() => controller.abort(), 500);
  const r = await runLoadInWorker(WORKER_JS, closed({ durationMs: 20_000 }), { signal: controller.signal });
  assert.equal(r.stoppedBy, 'cancelled');
  assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  assert.ok(r.requests > 0);
});

test('a config that cannot run is a LoadConfigError, as from runLoad; a non-loopback target is refused', async () => {
  await assert.rejects(runLoadInWorker(WORKER_JS, closed({ model: { kind: 'closed', connections: 0 } })), (e: Error) => e instanceof LoadConfigError && /connections must be/.test(e.message));
  await assert.rejects(runLoadInWorker(WORKER_JS, closed({ target: 'http://example.com' })), (e: Error) => e instanceof LoadConfigError && /refusing to send load to http:\/\/example\.com/.test(e.message));
});

test('a missing worker file is a clear error, not a hang', async () => {
  await assert.rejects(runLoadInWorker('/nonexistent/load-worker.js', closed()), /the load generator is missing \(\/nonexistent\/load-worker\.js\)/);
});

/** The demo service in its own process (the target must not share the thread this test blocks). */
async function demoProcess(): Promise<{ base: string; stop: () => void }> {
  const child = spawn(process.execPath, [DEMO_JS, '--port', '0', '--traffic', '0', '--no-log-file'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PULSE_DEMO_LISTENING (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return { base, stop: () => child.kill('SIGTERM') };
}

test('work on the starting thread does not distort the latencies a worker measures (it does in-thread)', async () => {
  // The extension host has its own work (scrapes, the dashboard, log decorations): here 150 ms
  // of it every 400 ms. In-thread, the requests in flight during such a block wait for it.
  const demo = await demoProcess();
  const cfg = closed({ target: demo.base, requests: [{ method: 'GET', path: '/health' }], durationMs: 1600 });
  const busy = async (run: () => Promise<{ latencyMs: { max: number | null } }>): Promise<number> => {
    const timer = setInterval(() => {
      const end = Date.now() + 150;
      while (Date.now() < end);
    }, 400);
    try {
      return (await run()).latencyMs.max!;
    } finally {
      clearInterval(timer);
    }
  };
  try {
    const inWorker = await busy(() => runLoadInWorker(WORKER_JS, cfg));
    const inThread = await busy(() => runLoad(cfg));
    assert.ok(inThread > 100, `the check can fail: in-thread max ${inThread.toFixed(1)} ms`);
    // Loose (a busy CI machine deschedules threads too), but far from a whole block.
    assert.ok(inWorker < inThread / 2, `max latency measured on the worker: ${inWorker.toFixed(1)} ms (in-thread ${inThread.toFixed(1)} ms)`);
  } finally {
    demo.stop();
  }
});
