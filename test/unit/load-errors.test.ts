// Error classification against real loopback sockets: a refused port, a server that resets the
// connection, one that never answers, one that closes mid-response, and 4xx/5xx responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { runLoad } from '../../src/core/load/engine';
import { classifyError, classifyStatus } from '../../src/core/load/errors';
import type { LoadConfig } from '../../src/core/load/types';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((r) => server.close(() => r()));
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

const config = (port: number, over: Partial<LoadConfig> = {}): LoadConfig => ({
  target: `http://127.0.0.1:${port}`,
  requests: [{ method: 'GET', path: '/' }],
  model: { kind: 'closed', connections: 2 },
  profile: 'steady',
  durationMs: 600,
  ...over,
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

test('a refused port is a connect error, and nothing else', async () => {
  const port = await freePort();
  const r = await runLoad(config(port, { maxRequests: 6 }));
  assert.equal(r.errors.connect, r.requests);
  assert.ok(r.requests >= 1 && r.requests <= 6, String(r.requests));
  assert.deepEqual(r.statusCodes, {});
  assert.equal(r.latencyMs.max, 0, 'failed connections are not latencies');
});

test('a server that resets every connection gives reset errors', async () => {
  const server = net.createServer((s) => {
    s.once('data', () => s.resetAndDestroy());
  });
  const sockets = tracked(server);
  const port = await listen(server);
  try {
    const r = await runLoad(config(port, { maxRequests: 10 }));
    assert.equal(r.requests, 10);
    assert.equal(r.errors.reset, 10, JSON.stringify(r.errors));
  } finally {
    await closeServer(server, sockets);
  }
});

test('a server that closes mid-response is a reset too', async () => {
  const server = net.createServer((s) => {
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial'));
  });
  const sockets = tracked(server);
  const port = await listen(server);
  try {
    const r = await runLoad(config(port, { maxRequests: 4 }));
    assert.equal(r.errors.reset, 4, JSON.stringify(r.errors));
  } finally {
    await closeServer(server, sockets);
  }
});

test('a server that never answers gives timeouts, cut at the request timeout', async () => {
  const server = net.createServer(() => {
    /* read the request, never answer */
  });
  const sockets = tracked(server);
  const port = await listen(server);
  try {
    const t0 = performance.now();
    const r = await runLoad(config(port, { durationMs: 700, timeoutMs: 250, model: { kind: 'closed', connections: 3 } }));
    const took = performance.now() - t0;
    // 3 connections × (one cut at ~250 ms, another at ~500 ms), the third round is cut after the end.
    assert.ok(r.errors.timeout >= 6 && r.errors.timeout <= 9, JSON.stringify(r.errors));
    assert.equal(r.requests, r.errors.timeout);
    assert.ok(r.latencyMs.p50 >= 250 && r.latencyMs.p50 < 400, `timed-out requests are recorded at the cut: ${r.latencyMs.p50}`);
    assert.ok(took < 700 + 250 + 400, `drain bounded by the timeout: ${took} ms`);
  } finally {
    await closeServer(server, sockets);
  }
});

test('a server that ends connections the proper way ("Connection: close") costs no request', async () => {
  // Every response, and every 5th (nginx's keepalive_requests): the next request goes out on a
  // new connection, not written to the closing one.
  for (const every of [1, 5]) {
    let n = 0;
    let connections = 0;
    const server = http.createServer((req, res) => {
      const last = ++n % every === 0;
      res.writeHead(200, { 'content-type': 'text/plain', ...(last ? { connection: 'close' } : {}) }).end('ok');
    });
    server.on('connection', () => connections++);
    const sockets = tracked(server);
    const port = await listen(server);
    try {
      const r = await runLoad(config(port, { maxRequests: 60, model: { kind: 'closed', connections: 3 } }));
      assert.equal(r.requests, 60, `every ${every}`);
      assert.deepEqual(r.errors, { connect: 0, timeout: 0, reset: 0, http: 0, other: 0 }, `every ${every}`);
      assert.deepEqual(r.statusCodes, { '200': 60 });
      assert.ok(connections >= 60 / every, `every ${every}: ${connections} connections`);
    } finally {
      await closeServer(server, sockets);
    }
  }
});

test('a lane has one request in flight at most', async () => {
  let open = 0;
  let most = 0;
  const server = http.createServer((req, res) => {
    open++;
    most = Math.max(most, open);
    setTimeout(() => {
      open--;
      res.end('ok');
    }, 2);
  });
  const sockets = tracked(server);
  const port = await listen(server);
  try {
    const r = await runLoad(config(port, { maxRequests: 40, model: { kind: 'closed', connections: 1 } }));
    assert.equal(r.requests, 40);
    assert.equal(most, 1);
  } finally {
    await closeServer(server, sockets);
  }
});

test('statuses: 5xx are http errors, 4xx are counted but not errors', async () => {
  let n = 0;
  const server = http.createServer((req, res) => {
    const code = [200, 404, 503, 200][n++ % 4]!;
    res.writeHead(code, { 'content-type': 'text/plain' }).end('x');
  });
  const sockets = tracked(server);
  const port = await listen(server);
  try {
    const r = await runLoad(config(port, { maxRequests: 40, model: { kind: 'closed', connections: 1 } }));
    assert.equal(r.requests, 40);
    assert.deepEqual(r.statusCodes, { '200': 20, '404': 10, '503': 10 });
    assert.deepEqual(r.errors, { connect: 0, timeout: 0, reset: 0, http: 10, other: 0 });
    assert.equal(r.timeline.reduce((a, s) => a + s.errors, 0), 10);
  } finally {
    await closeServer(server, sockets);
  }
});

test('classification of error codes, wrapped or aggregated', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(classifyError(err('ECONNREFUSED')), 'connect');
  assert.equal(classifyError(err('UND_ERR_CONNECT_TIMEOUT')), 'connect');
  assert.equal(classifyError(err('ENOTFOUND')), 'connect');
  assert.equal(classifyError(err('UND_ERR_HEADERS_TIMEOUT')), 'timeout');
  assert.equal(classifyError(err('ECONNRESET')), 'reset');
  assert.equal(classifyError(err('UND_ERR_SOCKET')), 'reset');
  assert.equal(classifyError(Object.assign(err('UND_ERR_SOCKET'), { cause: err('ECONNREFUSED') })), 'connect');
  assert.equal(classifyError(new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')])), 'connect');
  assert.equal(classifyError(err('ERR_TLS_CERT_ALTNAME_INVALID')), 'other');
  assert.equal(classifyError('weird'), 'other');
  assert.equal(classifyStatus(500), 'http');
  assert.equal(classifyStatus(404), undefined);
  assert.equal(classifyStatus(200), undefined);
});
