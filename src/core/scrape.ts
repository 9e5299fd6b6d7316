// One endpoint's scrape over undici: content negotiation, gzip, a size cap and a timeout,
// streamed straight into the parser so memory follows series count, not body size.

import { decodeBody, request, type Dispatcher } from './http';
import type { Readable } from 'node:stream';
import { ExpositionError, ExpositionStreamParser, formatFromContentType } from './exposition';
import { ScrapeBatch } from './store';
import { JsonShapeError, ingestJson, type JsonPaths } from './json';

export type EndpointKind = 'auto' | 'prometheus' | 'json';
export type ScrapeFormat = 'prometheus' | 'openmetrics' | 'json';

export interface ScrapeTarget {
  url: string;
  kind: EndpointKind;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Cap on the decoded body size. */
  maxBytes?: number;
  jsonPaths?: JsonPaths;
}

export type ScrapeErrorKind = 'refused' | 'timeout' | 'unreachable' | 'http' | 'too-large' | 'not-metrics' | 'parse' | 'invalid-url';

export class ScrapeError extends Error {
  constructor(
    readonly kind: ScrapeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ScrapeOutcome {
  batch: ScrapeBatch;
  format: ScrapeFormat;
  /** Decoded body bytes. */
  bytes: number;
  durationMs: number;
  /** When the response arrived (ms since epoch). */
  at: number;
}

const ACCEPT: Record<EndpointKind, string> = {
  auto: 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,application/json;q=0.4,*/*;q=0.1',
  prometheus: 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  json: 'application/json',
};

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export function validateUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ScrapeError('invalid-url', `"${raw}" is not a valid URL (expected e.g. http://127.0.0.1:8000/metrics)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ScrapeError('invalid-url', `"${raw}" must use http or https, not ${u.protocol}`);
  return u;
}

/** Turns whatever undici or zlib threw into a sentence a user can act on. */
export function describeError(err: unknown, url: string, timeoutMs: number): ScrapeError {
  if (err instanceof ScrapeError) return err;
  if (err instanceof ExpositionError) return new ScrapeError('parse', `malformed metrics: ${err.message}`);
  if (err instanceof JsonShapeError) return new ScrapeError('not-metrics', err.message);
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  const host = safeHost(url);
  switch (code) {
    case 'ECONNREFUSED':
      return new ScrapeError('refused', `connection refused at ${host} (is the service running?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ScrapeError('unreachable', `host not found: ${host}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ScrapeError('unreachable', `host unreachable: ${host}`);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new ScrapeError('unreachable', `connection reset by ${host}`);
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new ScrapeError('timeout', `no answer from ${host} within ${timeoutMs} ms`);
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new ScrapeError('not-metrics', `corrupt gzip body from ${host}`);
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new ScrapeError('timeout', `no complete answer from ${host} within ${timeoutMs} ms`);
  return new ScrapeError('unreachable', `${host}: ${e.message ?? String(err)}`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Scrapes one target; a second call while one is in flight shares it (never two at once). */
export class Scraper {
  private inflight: Promise<ScrapeOutcome> | undefined;
  constructor(
    readonly target: ScrapeTarget,
    private readonly dispatcher?: Dispatcher,
  ) {
    validateUrl(target.url);
  }

  scrape(): Promise<ScrapeOutcome> {
    this.inflight ??= this.run().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async run(): Promise<ScrapeOutcome> {
    const { url, kind } = this.target;
    const timeoutMs = this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = this.target.maxBytes ?? DEFAULT_MAX_BYTES;
    const started = performance.now();
    // A timer we clear ourselves: AbortSignal.timeout would fire after the scrape and abort a
    // finished (or deliberately destroyed) body, surfacing as an uncaught error.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    const signal = abort.signal;
    try {
      const res = await request(url, {
        method: 'GET',
        headers: { accept: ACCEPT[kind], 'accept-encoding': 'gzip, deflate', 'user-agent': 'pulse-vscode', ...this.target.headers },
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        maxRedirections: undefined,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      } as Parameters<typeof request>[1]);
      // Bodies we stop reading early are destroyed; their late errors mean nothing.
      res.body.on('error', () => {});
      const contentType = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200) {
        const text = (await readCapped(res.body, 512, true)).toString('utf8');
        const hint = res.statusCode === 401 || res.statusCode === 403 ? ' (set an auth header with "Pulse: Set Endpoint Auth Header…")' : res.statusCode === 404 ? ' (wrong metrics path?)' : '';
        throw new ScrapeError('http', `HTTP ${res.statusCode} from ${url}${hint}${text.trim() ? `: ${firstLine(text)}` : ''}`);
      }
      const declared = Number(res.headers['content-length']);
      if (declared > maxBytes) {
        res.body.destroy();
        throw new ScrapeError('too-large', `body of ${formatBytes(declared)} exceeds the ${formatBytes(maxBytes)} limit (pulse.scrape.maxBodyMB)`);
      }
      if (/text\/html/i.test(contentType)) {
        res.body.destroy();
        throw new ScrapeError('not-metrics', `${url} returned an HTML page, not metrics — is this the metrics path?`);
      }
      const body = decodeBody(res.body, String(res.headers['content-encoding'] ?? ''));
      const batch = new ScrapeBatch();
      const format = await this.consume(body, contentType, batch, maxBytes);
      return { batch, format: format.format, bytes: format.bytes, durationMs: performance.now() - started, at: Date.now() };
    } catch (err) {
      throw describeError(err, url, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  private async consume(body: Readable, contentType: string, batch: ScrapeBatch, maxBytes: number): Promise<{ format: ScrapeFormat; bytes: number }> {
    const declaredJson = /json/i.test(contentType);
    let mode: 'json' | 'expo' | undefined = this.target.kind === 'json' || declaredJson ? 'json' : undefined;
    let parser: ExpositionStreamParser | undefined;
    const jsonChunks: Buffer[] = [];
    let bytes = 0;
    let expoFormat = formatFromContentType(contentType);
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        body.destroy();
        throw new ScrapeError('too-large', `body exceeds the ${formatBytes(maxBytes)} limit (pulse.scrape.maxBodyMB)`);
      }
      if (mode === undefined) {
        const first = firstNonSpace(chunk);
        if (first === undefined) continue;
        mode = first === 0x7b || first === 0x5b ? 'json' : 'expo';
        if (mode === 'expo' && this.target.kind === 'auto' && first === 0x3c) throw new ScrapeError('not-metrics', 'the endpoint returned markup (HTML or XML), not metrics');
        if (mode === 'expo') expoFormat = formatFromContentType(contentType);
      }
      if (mode === 'json') jsonChunks.push(chunk);
      else (parser ??= new ExpositionStreamParser(batch, expoFormat)).push(chunk);
    }
    if (mode === 'json') {
      ingestJson(Buffer.concat(jsonChunks).toString('utf8'), batch, this.target.jsonPaths);
      return { format: 'json', bytes };
    }
    if (!parser) throw new ScrapeError('not-metrics', 'the endpoint returned an empty body');
    const stats = parser.end();
    if (stats.samples === 0) throw new ScrapeError('not-metrics', 'the endpoint returned no samples');
    return { format: stats.format, bytes };
  }
}


function firstNonSpace(buf: Buffer): number | undefined {
  for (const b of buf) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}

async function readCapped(body: Readable, cap: number, drain: boolean): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (n < cap) parts.push(chunk.subarray(0, cap - n));
    n += chunk.length;
    if (!drain && n >= cap) break;
    if (n > cap * 64) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]!.slice(0, 160);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} kB`;
  return `${n} B`;
}
