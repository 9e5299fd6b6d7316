// A small client for the Prometheus HTTP API (also spoken by Thanos, Mimir, VictoriaMetrics…)
// over undici: a timeout and a size cap on every call, and every failure turned into a
// ScrapeError whose message says what went wrong where.

import { decodeBody, request, type Dispatcher } from '../http';
import type { Readable } from 'node:stream';
import { DEFAULT_TIMEOUT_MS, ScrapeError, describeError, formatBytes, validateUrl, type ScrapeErrorKind } from '../scrape';
import type { Labels } from '../types';

export interface PromClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:9090 or https://mimir.example/prometheus. */
  url: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Cap on a response body (default 32 MB). */
  maxBytes?: number;
  dispatcher?: Dispatcher;
}

export interface Point {
  /** ms since epoch */
  t: number;
  /** NaN and ±Infinity are kept as such. */
  v: number;
}

export interface InstantSample extends Point {
  metric: Labels;
}

export interface RangeSeries {
  metric: Labels;
  points: Point[];
}

export type QueryData =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'scalar'; result: Point }
  | { resultType: 'string'; result: { t: number; v: string } };

export interface QueryResult<T = QueryData> {
  data: T;
  warnings: string[];
}

export interface BuildInfo {
  version: string | null;
  revision?: string;
  branch?: string;
  buildDate?: string;
  goVersion?: string;
  /** Whatever else the server reported. */
  raw: Record<string, unknown>;
}

/** The server answered with a Prometheus error object: {"status":"error","errorType":…,"error":…}. */
export class PromApiError extends ScrapeError {
  constructor(
    kind: ScrapeErrorKind,
    message: string,
    readonly errorType: string,
    readonly httpStatus: number,
    readonly detail: string,
  ) {
    super(kind, message);
    this.name = 'PromApiError';
  }
}

/** A non-200 answer that was not a Prometheus error object. */
export class HttpStatusError extends ScrapeError {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super('http', message);
    this.name = 'HttpStatusError';
  }
}

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Prometheus refuses range queries with more points per series than this. */
export const MAX_RANGE_POINTS = 11_000;
/** Above this URL length queries go as a POST form (every Prometheus-API server accepts both). */
const MAX_GET_URL = 4000;

/** Parses a sample value as the API encodes it: a string, possibly "NaN", "+Inf", "-Inf". */
export function parseSampleValue(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return NaN;
  switch (raw) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
    case 'inf':
    case '+inf':
      return Infinity;
    case '-Inf':
    case '-inf':
      return -Infinity;
  }
  const n = Number(raw);
  return raw.trim() === '' ? NaN : n;
}

/** API time parameter: seconds since epoch with ms precision. */
export function apiTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Base URL with a trailing slash; a pasted …/api/v1/… or …/graph path is cut back to the server root. */
export function normalizeBaseUrl(raw: string): URL {
  const u = validateUrl(raw.trim());
  u.hash = '';
  u.search = '';
  let p = u.pathname.replace(/\/api\/v1(\/.*)?$/, '/').replace(/\/(graph|query|alerts|targets)\/?$/, '/');
  if (!p.endsWith('/')) p += '/';
  u.pathname = p;
  return u;
}

function describeBody(contentType: string, text: string): string {
  const t = text.trim();
  if (/text\/html/i.test(contentType) || /^<(!doctype|html)/i.test(t)) return 'an HTML page';
  if (!t) return 'an empty body';
  if (/^#\s*(HELP|TYPE)\s/m.test(t) || /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?\s+[-+0-9.eEinfNa]+(\s|$)/m.test(t)) return 'metrics exposition text (a /metrics endpoint, not a Prometheus server)';
  return `${contentType || 'no content type'}: ${JSON.stringify(t.slice(0, 80))}`;
}

export class PromClient {
  readonly base: URL;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  constructor(private readonly opts: PromClientOptions) {
    this.base = normalizeBaseUrl(opts.url);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  get url(): string {
    return this.base.toString();
  }

  /** Instant query at `timeMs` (default: the server's now). */
  async query(expr: string, timeMs?: number): Promise<QueryResult> {
    const params: [string, string][] = [['query', expr]];
    if (timeMs !== undefined) params.push(['time', apiTime(timeMs)]);
    const res = await this.call('api/v1/query', params, expr);
    return { data: parseQueryData(res.data, expr), warnings: res.warnings };
  }

  /** Instant query expected to return a vector (a scalar comes back as one unlabeled sample). */
  async queryVector(expr: string, timeMs?: number): Promise<InstantSample[]> {
    const { data } = await this.query(expr, timeMs);
    if (data.resultType === 'vector') return data.result;
    if (data.resultType === 'scalar') return [{ metric: {}, ...data.result }];
    throw new ScrapeError('not-metrics', `query \`${expr}\` returned a ${data.resultType}, expected a vector`);
  }

  /** Range query; start/end in ms since epoch, step in seconds. */
  async queryRange(expr: string, startMs: number, endMs: number, stepSeconds: number): Promise<RangeSeries[]> {
    if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) throw new ScrapeError('parse', `range query step must be a positive number of seconds (got ${stepSeconds})`);
    if (!(endMs >= startMs)) throw new ScrapeError('parse', 'range query end is before its start');
    const points = Math.floor((endMs - startMs) / 1000 / stepSeconds) + 1;
    if (points > MAX_RANGE_POINTS) {
      throw new ScrapeError('parse', `range query would return ${points} points per series (the server allows ${MAX_RANGE_POINTS}); use a step of at least ${Math.ceil((endMs - startMs) / 1000 / (MAX_RANGE_POINTS - 1))} s`);
    }
    const res = await this.call(
      'api/v1/query_range',
      [
        ['query', expr],
        ['start', apiTime(startMs)],
        ['end', apiTime(endMs)],
        ['step', String(stepSeconds)],
      ],
      expr,
    );
    const data = parseQueryData(res.data, expr);
    if (data.resultType !== 'matrix') throw new ScrapeError('not-metrics', `range query \`${expr}\` returned a ${data.resultType}, expected a matrix`);
    return data.result;
  }

  async buildInfo(): Promise<BuildInfo> {
    const res = await this.call('api/v1/status/buildinfo', [], undefined);
    const d = res.data;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw notPromApi(this.endpoint('api/v1/status/buildinfo'), 'buildinfo data is not an object');
    const o = d as Record<string, unknown>;
    const s = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] ? (o[k] as string) : undefined);
    const info: BuildInfo = { version: s('version') ?? null, raw: o };
    for (const k of ['revision', 'branch', 'buildDate', 'goVersion'] as const) {
      const v = s(k);
      if (v) info[k] = v;
    }
    return info;
  }

  /** Values of one label over the series matching any of `match` (e.g. label "__name__": metric names). */
  async labelValues(label: string, match: readonly string[], startMs?: number, endMs?: number): Promise<string[]> {
    const res = await this.call(`api/v1/label/${encodeURIComponent(label)}/values`, [...match.map((m): [string, string] => ['match[]', m]), ...range(startMs, endMs)], match.join(' '));
    return stringList(res.data, this.endpoint('api/v1/label/…/values'));
  }

  /** Label names used by the series matching any of `match`. */
  async labelNames(match: readonly string[], startMs?: number, endMs?: number): Promise<string[]> {
    const res = await this.call('api/v1/labels', [...match.map((m): [string, string] => ['match[]', m]), ...range(startMs, endMs)], match.join(' '));
    return stringList(res.data, this.endpoint('api/v1/labels'));
  }

  /** Label sets of the series matching any of `match`. Can be large: prefer count() queries for numbers. */
  async series(match: readonly string[], startMs?: number, endMs?: number): Promise<Labels[]> {
    const res = await this.call('api/v1/series', [...match.map((m): [string, string] => ['match[]', m]), ...range(startMs, endMs)], match.join(' '));
    if (!Array.isArray(res.data)) throw notPromApi(this.endpoint('api/v1/series'), 'series data is not a list');
    return res.data.filter((x): x is Labels => x !== null && typeof x === 'object');
  }

  private endpoint(path: string): string {
    return new URL(path, this.base).toString();
  }

  /** One API call: GET (POST form when long), JSON envelope checked, errors described. */
  private async call(path: string, params: [string, string][], expr: string | undefined): Promise<{ data: unknown; warnings: string[] }> {
    const url = new URL(path, this.base);
    const form = new URLSearchParams(params).toString();
    const usePost = form.length + url.toString().length > MAX_GET_URL;
    if (!usePost && form) url.search = form;
    const target = url.toString();
    const timeoutMs = this.timeoutMs;
    let status = 0;
    let contentType = '';
    let text: string;
    try {
      const res = await request(target, {
        method: usePost ? 'POST' : 'GET',
        headers: {
          accept: 'application/json',
          'accept-encoding': 'gzip, deflate',
          'user-agent': 'pulse-vscode',
          ...(usePost ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.opts.headers,
        },
        ...(usePost ? { body: form } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
      } as Parameters<typeof request>[1]);
      status = res.statusCode;
      contentType = String(res.headers['content-type'] ?? '');
      const declared = Number(res.headers['content-length']);
      if (declared > this.maxBytes) {
        res.body.destroy();
        throw new ScrapeError('too-large', `answer of ${formatBytes(declared)} from ${shortPath(url)} exceeds the ${formatBytes(this.maxBytes)} limit`);
      }
      text = await readText(decodeBody(res.body, String(res.headers['content-encoding'] ?? '')), this.maxBytes, url);
    } catch (err) {
      throw describeError(err, target, timeoutMs);
    }
    let json: unknown;
    let jsonOk = true;
    try {
      json = JSON.parse(text);
    } catch {
      jsonOk = false;
    }
    const env = jsonOk && json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    if (env && env.status === 'error') {
      const errorType = typeof env.errorType === 'string' ? env.errorType : 'unknown';
      const detail = typeof env.error === 'string' ? env.error : JSON.stringify(env.error ?? null);
      const kind: ScrapeErrorKind = errorType === 'timeout' || errorType === 'canceled' ? 'timeout' : errorType === 'unavailable' ? 'unreachable' : 'http';
      const what = expr ? ` for \`${clip(expr, 200)}\`` : '';
      throw new PromApiError(kind, `${this.base.host} rejected the query${what} (HTTP ${status}, ${errorType}): ${detail}`, errorType, status, detail);
    }
    if (status !== 200) {
      const hint =
        status === 401 || status === 403
          ? ' (set an auth header with "Pulse: Set Endpoint Auth Header…")'
          : status === 404
            ? ' (is this the base URL of a Prometheus server, e.g. http://127.0.0.1:9090?)'
            : '';
      const body = text.trim() ? `: ${clip(text.trim().split('\n')[0]!, 160)}` : '';
      throw new HttpStatusError(`HTTP ${status} from ${shortPath(url)}${hint}${body}`, status);
    }
    if (!env || env.status !== 'success' || !('data' in env)) {
      throw notPromApi(shortPath(url), jsonOk ? `unexpected JSON ${clip(text.trim(), 80)}` : `answered with ${describeBody(contentType, text)}`);
    }
    const warnings = Array.isArray(env.warnings) ? env.warnings.filter((w): w is string => typeof w === 'string') : [];
    return { data: env.data, warnings };
  }
}

export function notPromApi(where: string, why: string): ScrapeError {
  return new ScrapeError('not-metrics', `not a Prometheus HTTP API: ${where} ${why}`);
}

function shortPath(u: URL): string {
  return `${u.origin}${u.pathname}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function range(startMs: number | undefined, endMs: number | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (startMs !== undefined) out.push(['start', apiTime(startMs)]);
  if (endMs !== undefined) out.push(['end', apiTime(endMs)]);
  return out;
}

function stringList(data: unknown, where: string): string[] {
  if (data === null) return []; // some servers answer null for "none"
  if (!Array.isArray(data)) throw notPromApi(where, 'answered a non-list');
  return data.filter((x): x is string => typeof x === 'string');
}

function labelsOf(m: unknown): Labels {
  const out: Labels = {};
  if (m && typeof m === 'object') for (const [k, v] of Object.entries(m as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** [<unix seconds>, "<value>"] */
function pointOf(p: unknown, expr: string): Point {
  if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number') throw new ScrapeError('not-metrics', `malformed sample in the answer to \`${clip(expr, 120)}\`: ${clip(JSON.stringify(p), 80)}`);
  return { t: Math.round(p[0] * 1000), v: parseSampleValue(p[1]) };
}

/** The `data` of a query/query_range answer. Native-histogram samples (no float value) read as NaN. */
export function parseQueryData(data: unknown, expr = ''): QueryData {
  if (!data || typeof data !== 'object') throw notPromApi('the query endpoint', 'answered without result data');
  const d = data as { resultType?: unknown; result?: unknown };
  switch (d.resultType) {
    case 'vector': {
      if (!Array.isArray(d.result)) break;
      return {
        resultType: 'vector',
        result: d.result.map((s: { metric?: unknown; value?: unknown; histogram?: unknown }) => {
          const p = s.value !== undefined ? pointOf(s.value, expr) : Array.isArray(s.histogram) ? { t: Math.round(Number(s.histogram[0]) * 1000), v: NaN } : pointOf(s.value, expr);
          return { metric: labelsOf(s.metric), ...p };
        }),
      };
    }
    case 'matrix': {
      if (!Array.isArray(d.result)) break;
      return {
        resultType: 'matrix',
        result: d.result.map((s: { metric?: unknown; values?: unknown; histograms?: unknown }) => {
          const points: Point[] = Array.isArray(s.values) ? s.values.map((p) => pointOf(p, expr)) : [];
          if (Array.isArray(s.histograms)) for (const h of s.histograms) if (Array.isArray(h)) points.push({ t: Math.round(Number(h[0]) * 1000), v: NaN });
          return { metric: labelsOf(s.metric), points };
        }),
      };
    }
    case 'scalar':
      return { resultType: 'scalar', result: pointOf(d.result, expr) };
    case 'string': {
      const r = d.result;
      if (Array.isArray(r) && typeof r[0] === 'number') return { resultType: 'string', result: { t: Math.round(r[0] * 1000), v: String(r[1]) } };
      break;
    }
  }
  throw notPromApi('the query endpoint', `answered an unknown result ${clip(JSON.stringify(data), 80)}`);
}


async function readText(body: Readable, maxBytes: number, url: URL): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > maxBytes) {
      body.destroy();
      throw new ScrapeError('too-large', `answer from ${shortPath(url)} exceeds the ${formatBytes(maxBytes)} limit`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
