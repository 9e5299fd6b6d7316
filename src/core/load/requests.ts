// The request mix, prepared once before a run: origins resolved and checked against the
// loopback rule, templates compiled, bodies encoded, and, for requests without placeholders,
// one dispatch-options object built up front and reused for every send.

import { isLoopback } from '../endpoints';
import type { Dispatcher } from '../http';
import { compileTemplate, hasPlaceholders, type Template } from './template';
import type { LoadConfig, RequestSpec } from './types';

export class LoadConfigError extends Error {}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface PreparedRequest {
  /** Index into PreparedMix.origins. */
  origin: number;
  method: string;
  /** Options reused for every send when nothing is templated. */
  fixed: Dispatcher.DispatchOptions | null;
  path: Template;
  headers: [name: string, value: Template][];
  body: Template | null;
}

export interface PreparedMix {
  origins: string[];
  requests: PreparedRequest[];
  /** Cumulative weights, for a weighted pick. */
  cumulative: Float64Array;
  total: number;
}

function splitAbsolute(path: string, where: string): { origin: string; rest: string } | undefined {
  const m = /^(https?:\/\/[^/?#]*)(.*)$/i.exec(path);
  if (!m) return undefined;
  if (m[1]!.includes('{{')) throw new LoadConfigError(`${where}: the host of an absolute URL cannot be templated (${path})`);
  let origin: string;
  try {
    origin = new URL(m[1]!).origin;
  } catch {
    throw new LoadConfigError(`${where}: "${path}" is not a valid URL`);
  }
  const rest = m[2] || '/';
  return { origin, rest: rest.startsWith('/') ? rest : `/${rest}` };
}

function prepareOne(spec: RequestSpec, i: number, base: URL, variables: Record<string, string>, origins: string[]): PreparedRequest {
  const where = `request ${i + 1}${spec.name ? ` (${spec.name})` : ''}`;
  const method = (spec.method || 'GET').toUpperCase();
  if (!TOKEN.test(method)) throw new LoadConfigError(`${where}: invalid method "${spec.method}"`);
  if (typeof spec.path !== 'string' || !spec.path) throw new LoadConfigError(`${where}: missing path`);
  let origin = base.origin;
  let pathText: string;
  const abs = splitAbsolute(spec.path, where);
  if (abs) {
    origin = abs.origin;
    pathText = abs.rest;
  } else {
    if (!spec.path.startsWith('/')) throw new LoadConfigError(`${where}: path must start with "/" or be an absolute http(s) URL (got "${spec.path}")`);
    const prefix = base.pathname.replace(/\/+$/, '');
    pathText = prefix + spec.path;
  }
  if (/[\s]/.test(pathText) && !hasPlaceholders(pathText)) throw new LoadConfigError(`${where}: path contains whitespace (encode it as %20)`);
  let oi = origins.indexOf(origin);
  if (oi < 0) oi = origins.push(origin) - 1;

  const path = compileTemplate(pathText, variables, `${where} path`);
  // No default User-Agent (like wrk): every header is bytes the service parses per request.
  const headers: [string, Template][] = [];
  for (const [k, v] of Object.entries(spec.headers ?? {})) {
    if (!TOKEN.test(k)) throw new LoadConfigError(`${where}: invalid header name "${k}"`);
    const lk = k.toLowerCase();
    if (lk === 'host' || lk === 'content-length' || lk === 'connection' || lk === 'transfer-encoding') {
      throw new LoadConfigError(`${where}: header "${k}" is set by Pulse and cannot be overridden`);
    }
    headers.push([k, compileTemplate(String(v), variables, `${where} header ${k}`)]);
  }
  const body = spec.body !== undefined && spec.body !== '' ? compileTemplate(spec.body, variables, `${where} body`) : null;

  const constant = path.constant && headers.every(([, t]) => t.constant) && (!body || body.constant);
  const prepared: PreparedRequest = { origin: oi, method, fixed: null, path, headers, body };
  if (constant) prepared.fixed = render(prepared);
  return prepared;
}

/** Builds the dispatch options for one send (templated parts rendered now). */
export function render(r: PreparedRequest): Dispatcher.DispatchOptions {
  let headers: string[] | null = null;
  if (r.headers.length) {
    headers = [];
    for (const [k, t] of r.headers) headers.push(k, t.render());
  }
  const body = r.body ? Buffer.from(r.body.render()) : null;
  return { path: r.path.render(), method: r.method as Dispatcher.HttpMethod, headers, body };
}

/** Resolves and checks the mix; throws LoadConfigError with a message a user can act on. */
export function prepareMix(config: Pick<LoadConfig, 'target' | 'requests' | 'variables'>, allowNonLoopback: boolean): PreparedMix {
  let base: URL;
  try {
    base = new URL(config.target);
  } catch {
    throw new LoadConfigError(`target "${config.target}" is not a valid URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new LoadConfigError(`target "${config.target}" must be http or https`);
  if (base.username || base.password) throw new LoadConfigError('put credentials in a header, not in the target URL');
  if (!Array.isArray(config.requests) || !config.requests.length) throw new LoadConfigError('the request mix is empty');
  const origins: string[] = [];
  const variables = config.variables ?? {};
  const requests = config.requests.map((s, i) => prepareOne(s, i, base, variables, origins));
  for (const o of origins) {
    if (!allowNonLoopback && !isLoopbackOrigin(o)) {
      throw new LoadConfigError(`refusing to send load to ${o}: only loopback hosts (localhost, 127.x.x.x, ::1) are allowed without explicit permission`);
    }
  }
  const cumulative = new Float64Array(requests.length);
  let total = 0;
  for (const [i, s] of config.requests.entries()) {
    const w = s.weight ?? 1;
    if (!(Number.isFinite(w) && w >= 0)) throw new LoadConfigError(`request ${i + 1}: weight must be a finite number ≥ 0 (got ${w})`);
    total += w;
    cumulative[i] = total;
  }
  if (!(total > 0)) throw new LoadConfigError('every request has weight 0');
  return { origins, requests, cumulative, total };
}

/** Loopback origins (see isLoopback: a 127.x host must be a literal address). */
export function isLoopbackOrigin(origin: string): boolean {
  return isLoopback(origin);
}

/** A weighted pick from the mix (index). */
export function pick(mix: PreparedMix): number {
  const c = mix.cumulative;
  if (c.length === 1) return 0;
  const x = Math.random() * mix.total;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < c[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
