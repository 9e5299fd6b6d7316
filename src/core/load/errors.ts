// What went wrong with one request, in the five kinds a load result counts:
//   connect  the connection could not be made: refused, connect timeout, unreachable, DNS
//   timeout  the request got no complete response within the request timeout
//   reset    the connection broke mid-request: ECONNRESET, EPIPE, the peer closed the socket
//   http     the response was a server error (status ≥ 500). 4xx responses are NOT errors here:
//            they are the service answering as designed (auth, validation, not found). Every
//            status, 4xx included, is counted in the result's statusCodes.
//   other    anything else (TLS failures, protocol errors, …)

import type { ErrorKind } from './types';

export const ERROR_KINDS: readonly ErrorKind[] = ['connect', 'timeout', 'reset', 'http', 'other'];

/** The engine's own request timeout (undici's per-phase timeouts are off). */
export class RequestTimeoutError extends Error {
  readonly code = 'PULSE_REQUEST_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
  }
}

const CONNECT = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT = new Set(['PULSE_REQUEST_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

function codesOf(e: unknown, out: string[], depth = 0): string[] {
  if (depth > 4 || e === null || typeof e !== 'object') return out;
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof o.code === 'string') out.push(o.code);
  if (o.cause !== undefined) codesOf(o.cause, out, depth + 1);
  if (Array.isArray(o.errors)) for (const x of o.errors) codesOf(x, out, depth + 1);
  return out;
}

/** Kind of a request that failed without a usable response. */
export function classifyError(e: unknown): ErrorKind {
  const codes = codesOf(e, []);
  // The outermost specific code wins; a connect failure wrapped in a socket error is a connect.
  for (const c of codes) {
    if (TIMEOUT.has(c)) return 'timeout';
    if (CONNECT.has(c)) return 'connect';
  }
  for (const c of codes) if (RESET.has(c)) return 'reset';
  return 'other';
}

/** Kind of a response by its status: 'http' for server errors, undefined otherwise. */
export function classifyStatus(status: number): ErrorKind | undefined {
  return status >= 500 ? 'http' : undefined;
}

export function emptyErrorCounts(): Record<ErrorKind, number> {
  return { connect: 0, timeout: 0, reset: 0, http: 0, other: 0 };
}
