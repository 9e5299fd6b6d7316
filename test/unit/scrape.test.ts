// Scraping against real HTTP servers on loopback: every bad-input case the status bar names.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Scraper, ScrapeError } from '../../src/core/scrape';
import { Monitor } from '../../src/core/monitor';
import { EndpointSource } from '../../src/core/source';
import { DEFAULT_THRESHOLDS } from '../../src/core/health';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_q, r) => r.end();
const seenAccept: string[] = [];
const server = http.createServer((req, res) => {
  seenAccept.push(String(req.headers.accept));
  handler(req, res);
});
const ready = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`)));
after(() => {
  server.closeAllConnections();
  server.close();
});

const TEXT = '# TYPE http_requests_total counter\nhttp_requests_total{status="200"} 5\nhttp_requests_total{status="500"} 1\n';

async function fails(url: string, kind: string, pattern: RegExp, extra: Partial<ConstructorParameters<typeof Scraper>[0]> = {}) {
  await assert.rejects(new Scraper({ url, kind: 'auto', ...extra }).scrape(), (e: unknown) => {
    assert.ok(e instanceof ScrapeError, String(e));
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('negotiates OpenMetrics first and parses what comes back', async () => {
  const url = await ready;
  handler = (_q, r) => {
    r.setHeader('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    r.end(`${TEXT.replace('http_requests_total{', 'http_requests_total{').replace(/http_requests_total counter/, 'http_requests counter')}# EOF\n`);
  };
  const out = await new Scraper({ url, kind: 'auto' }).scrape();
  assert.equal(out.format, 'openmetrics');
  assert.equal(out.batch.size, 2);
  assert.match(seenAccept.at(-1)!, /^application\/openmetrics-text;version=1\.0\.0;q=0\.9,text\/plain;version=0\.0\.4/);
});

test('gzip bodies are decoded', async () => {
  const url = await ready;
  handler = (_q, r) => {
    r.setHeader('content-type', 'text/plain; version=0.0.4');
    r.setHeader('content-encoding', 'gzip');
    r.end(gzipSync(TEXT));
  };
  const out = await new Scraper({ url, kind: 'auto' }).scrape();
  assert.equal(out.format, 'prometheus');
  assert.deepEqual(out.batch.values, [5, 1]);
});

test('JSON is detected by content type or first byte', async () => {
  const url = await ready;
  handler = (_q, r) => r.end(JSON.stringify({ database: { pool_size: 13, pool_active: 4 } }));
  const out = await new Scraper({ url, kind: 'auto' }).scrape();
  assert.equal(out.format, 'json');
  assert.ok(out.batch.names.includes('db_connection_pool_size'));
});

test('connection refused, HTTP 500, HTML, empty body, binary garbage, parse error line', async () => {
  const url = await ready;
  const dead = http.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise((r) => dead.close(r));
  await fails(`http://127.0.0.1:${deadPort}/metrics`, 'refused', /connection refused at 127\.0\.0\.1:\d+/);

  handler = (_q, r) => {
    r.statusCode = 500;
    r.end('Internal Server Error: database is on fire');
  };
  await fails(url, 'http', /HTTP 500 .*database is on fire/);

  handler = (_q, r) => {
    r.setHeader('content-type', 'text/html');
    r.end('<!DOCTYPE html><html></html>');
  };
  await fails(url, 'not-metrics', /HTML page, not metrics/);

  handler = (_q, r) => r.end('<!DOCTYPE html><html></html>');
  await fails(url, 'not-metrics', /markup/);

  handler = (_q, r) => r.end('');
  await fails(url, 'not-metrics', /empty body/);

  handler = (_q, r) => r.end(Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02, 0x9c, 0x10, 0x0a]));
  await fails(url, 'parse', /malformed metrics: line 1/);

  const lines: string[] = [];
  for (let i = 0; i < 11_999; i++) lines.push(`m_${i} ${i}`);
  lines.push('broken{label="x" 1');
  handler = (_q, r) => r.end(lines.join('\n') + '\n');
  await fails(url, 'parse', /line 12000/);
});

test('a timeout names the wait, and a huge body stops at the cap without buffering it', async () => {
  const url = await ready;
  handler = () => {
    /* never answers */
  };
  await fails(url, 'timeout', /within 300 ms/, { timeoutMs: 300 });

  let sent = 0;
  handler = (_q, r) => {
    r.setHeader('content-type', 'text/plain');
    const chunk = Buffer.from('x_total 1\n'.repeat(10_000));
    const pump = () => {
      // 500 MB if nobody stops it.
      while (sent < 500 * 1024 * 1024) {
        sent += chunk.length;
        if (!r.write(chunk)) return void r.once('drain', pump);
      }
      r.end();
    };
    r.on('close', () => (sent = Infinity));
    pump();
  };
  await fails(url, 'too-large', /exceeds the 2\.0 MB limit/, { maxBytes: 2 * 1024 * 1024 });
  const declared = (_q: http.IncomingMessage, r: http.ServerResponse) => {
    r.setHeader('content-length', String(600 * 1024 * 1024));
    r.write('x 1\n');
  };
  handler = declared;
  await fails(url, 'too-large', /600 MB exceeds/, { maxBytes: 2 * 1024 * 1024 });
});

test('never two scrapes of one endpoint in flight', async () => {
  const url = await ready;
  let now = 0;
  let most = 0;
  handler = (_q, r) => {
    most = Math.max(most, ++now);
    setTimeout(() => {
      now--;
      r.end(TEXT);
    }, 100);
  };
  const s = new Scraper({ url, kind: 'auto' });
  const [a, b, c] = await Promise.all([s.scrape(), s.scrape(), s.scrape()]);
  assert.equal(a, b);
  assert.equal(b, c);
  assert.equal(most, 1);
});

test('the monitor goes down with the reason and recovers by itself', async () => {
  const url = await ready;
  let healthy = false;
  handler = (_q, r) => {
    if (!healthy) {
      r.statusCode = 503;
      return void r.end('warming up');
    }
    r.end(TEXT);
  };
  const source = new EndpointSource({ url, kind: 'auto' }, { windowSeconds: 60, historySeconds: 60, intervalMs: 50 });
  const m = new Monitor(source, { intervalMs: 50, thresholds: DEFAULT_THRESHOLDS });
  const states: string[] = [];
  m.onChange((s) => states.push(s.kind));
  const down = await m.pollOnce();
  assert.equal(down.kind, 'down');
  assert.ok(down.kind === 'down' && /HTTP 503/.test(down.reason));
  healthy = true;
  m.start();
  const deadline = Date.now() + 5000;
  while (m.state.kind !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  m.stop();
  assert.equal(m.state.kind, 'ok');
  assert.ok(m.state.kind === 'ok' && m.state.signals.errorRate !== null);
  assert.deepEqual(states.slice(0, 1), ['down']);
});
