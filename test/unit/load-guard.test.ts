// Safety: load goes to loopback hosts only unless the caller says otherwise, and every run is
// bounded. Nothing here sends a request to a non-loopback host: refusals happen before any socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad, validateLoadConfig, LoadConfigError, MAX_DURATION_MS } from '../../src/core/load/engine';
import { prepareMix } from '../../src/core/load/requests';
import type { LoadConfig } from '../../src/core/load/types';

const cfg = (over: Partial<LoadConfig> = {}): LoadConfig => ({
  target: 'http://127.0.0.1:9',
  requests: [{ method: 'GET', path: '/' }],
  model: { kind: 'closed', connections: 1 },
  profile: 'steady',
  durationMs: 1000,
  ...over,
});

test('non-loopback targets are refused without allowNonLoopback', async () => {
  for (const target of ['http://example.com', 'http://10.0.0.1:8000', 'http://[2001:db8::1]:80', 'http://127.0.0.1.nip.io']) {
    await assert.rejects(runLoad(cfg({ target })), (e: unknown) => e instanceof LoadConfigError && /refusing to send load to .*only loopback hosts/.test(e.message), target);
  }
  // An absolute URL in the mix is checked too.
  await assert.rejects(runLoad(cfg({ requests: [{ method: 'GET', path: '/' }, { method: 'GET', path: 'https://example.org/x' }] })), /refusing to send load to https:\/\/example.org/);
  // Loopback spellings pass the check (prepared only, nothing sent).
  for (const target of ['http://localhost:8000', 'http://127.0.0.2:1', 'http://[::1]:8000', 'http://api.localhost:8000']) {
    assert.doesNotThrow(() => prepareMix({ target, requests: [{ method: 'GET', path: '/' }] }, false), target);
  }
  // With the option the check is skipped (prepared only).
  assert.doesNotThrow(() => prepareMix({ target: 'http://example.com', requests: [{ method: 'GET', path: '/' }] }, true));
});

test('runs are bounded and the numbers checked before anything is sent', async () => {
  const bad: [Partial<LoadConfig>, RegExp][] = [
    [{ durationMs: 0 }, /durationMs must be a number > 0/],
    [{ durationMs: MAX_DURATION_MS + 1 }, /at most 24 h/],
    [{ durationMs: Infinity }, /durationMs/],
    [{ maxRequests: 0 }, /maxRequests/],
    [{ maxRequests: 1.5 }, /maxRequests/],
    [{ timeoutMs: -1 }, /timeoutMs/],
    [{ thinkTimeMs: -5 }, /thinkTimeMs/],
    [{ model: { kind: 'closed', connections: 0 } }, /connections must be an integer/],
    [{ model: { kind: 'closed', connections: 100_000 } }, /connections must be an integer from 1 to 10000/],
    [{ model: { kind: 'open', rate: 0 } }, /rate must be a number > 0/],
    [{ model: { kind: 'open', rate: 100, maxConnections: 0 } }, /maxConnections/],
    [{ profile: 'stages' }, /at least one stage/],
    [{ profile: 'stages', stages: [{ durationMs: 1000, target: 20_000 }] }, /stages ask for 20000 connections/],
    [{ profile: 'stages', stages: [{ durationMs: 0, target: 1 }] }, /stages last 0 ms/],
    [{ profile: 'nope' as never }, /unknown profile "nope"/],
  ];
  for (const [over, re] of bad) assert.throws(() => validateLoadConfig(cfg(over)), re, JSON.stringify(over));
  for (const [over, re] of bad.slice(0, 3)) await assert.rejects(runLoad(cfg(over)), re);
  assert.doesNotThrow(() => validateLoadConfig(cfg({ maxRequests: 10, model: { kind: 'open', rate: 5000, maxConnections: 20 } })));
});

test('isLoopback: literal 127.x addresses, ::1 and localhost only', async () => {
  const { isLoopback } = await import('../../src/core/endpoints');
  for (const ok of ['http://127.0.0.1:8000', 'http://127.1.2.3/', 'http://[::1]:80', 'http://localhost:3000', 'http://api.localhost/']) assert.equal(isLoopback(ok), true, ok);
  for (const bad of ['http://127.0.0.1.nip.io/', 'http://192.0.2.1/', 'http://example.com/', 'not a url']) assert.equal(isLoopback(bad), false, bad);
});
