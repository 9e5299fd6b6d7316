// The closed model's moving parts against a loopback server that answers after 20 ms: stages
// change how many connections are active, think time paces each connection, maxRequests stops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad, type LoadProgress } from '../../src/core/load/engine';
import type { LoadConfig } from '../../src/core/load/types';

const DELAY_MS = 20;
let server: http.Server;
let url: string;
let inFlight = 0;
let maxInFlight = 0;
const sockets = new Set<unknown>();

before(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, DELAY_MS);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const closed = (over: Partial<LoadConfig>): LoadConfig => ({
  target: url,
  requests: [{ method: 'GET', path: '/' }],
  model: { kind: 'closed', connections: 1 },
  profile: 'steady',
  durationMs: 1000,
  ...over,
});

test('closed model: stages change the number of active connections', async () => {
  maxInFlight = 0;
  sockets.clear();
  const progress: LoadProgress[] = [];
  const r = await runLoad(
    closed({
      profile: 'stages',
      stages: [
        { durationMs: 0, target: 1 },
        { durationMs: 1000, target: 1 },
        { durationMs: 0, target: 4 },
        { durationMs: 1000, target: 4 },
      ],
      durationMs: 2000,
    }),
    { onSecond: (_s, p) => progress.push(p) },
  );
  const [a, b] = r.timeline;
  // ~20 ms per request: 1 connection ≈ 45/s, 4 connections ≈ 180/s (lower bounds loose: CI may be busy).
  assert.ok(a!.completed > 15 && a!.completed < 55, `first second ${a!.completed}`);
  assert.ok(b!.completed > 2.5 * a!.completed, `second second ${b!.completed} vs ${a!.completed}`);
  assert.equal(maxInFlight, 4);
  assert.equal(sockets.size, 4, 'one connection per active lane, kept alive');
  assert.deepEqual(progress.map((p) => p.connections), [1, 4]);
  assert.deepEqual(progress.map((p) => p.target), [1, 4]);
  assert.ok(r.latencyMs.p50 >= DELAY_MS && r.latencyMs.p50 < DELAY_MS + 25, `p50 ${r.latencyMs.p50}`);
});

test('closed model: think time paces a connection; maxRequests stops the run', async () => {
  const r = await runLoad(closed({ thinkTimeMs: 30, durationMs: 1000 }));
  // 20 ms + 30 ms per request: ~20 in a second (without think time ~45).
  assert.ok(r.requests >= 8 && r.requests <= 21, String(r.requests));
  // Were think time counted, p50 would be ≥ 50 ms.
  assert.ok(r.latencyMs.p50 < DELAY_MS + 25, `think time is not latency: p50 ${r.latencyMs.p50}`);

  const m = await runLoad(closed({ model: { kind: 'closed', connections: 5 }, maxRequests: 23, durationMs: 10_000 }));
  assert.equal(m.stoppedBy, 'maxRequests');
  assert.equal(m.requests, 23);
  assert.ok(m.durationS < 1, String(m.durationS));
  assert.equal(m.timeline.length, 1);
});

test('a ramp in the closed model adds connections over time', async () => {
  maxInFlight = 0;
  const r = await runLoad(closed({ profile: 'ramp', model: { kind: 'closed', connections: 6 }, durationMs: 2000 }));
  assert.ok(maxInFlight >= 5 && maxInFlight <= 6, String(maxInFlight));
  assert.ok(r.timeline[1]!.completed > r.timeline[0]!.completed * 1.5, r.timeline.map((s) => s.completed).join(' '));
});

test('a run lasts its whole duration by its own clock, also when the timers fire early by it', async () => {
  for (const model of [{ kind: 'closed', connections: 2 }, { kind: 'open', rate: 50 }] as const) {
    // The event loop's millisecond timers can fire up to a millisecond early by performance.now():
    // here a clock whose start reads 25 ms late makes that 25 ms.
    let first = true;
    const now = () => {
      const t = performance.now();
      if (!first) return t;
      first = false;
      return t + 25;
    };
    const r = await runLoad({ ...closed({ model }), durationMs: 300 }, { now });
    assert.equal(r.stoppedBy, 'duration');
    assert.ok(r.durationS >= 0.3 && r.durationS < 0.6, `${model.kind}: duration_s ${r.durationS}`);
  }
});
