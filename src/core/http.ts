// The parts of undici Pulse uses, imported from their own modules: the package root also
// loads fetch, WebSocket, caches and mocks (≈530 kB of the bundle, most of activation time).

import type * as Undici from 'undici';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/* eslint-disable @typescript-eslint/no-require-imports */
export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const Pool: typeof Undici.Pool = require('undici/lib/dispatcher/pool');
export const Client: typeof Undici.Client = require('undici/lib/dispatcher/client');
const Dispatcher: typeof Undici.Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api: { request: unknown; stream: unknown; pipeline: unknown; connect: unknown; upgrade: unknown } = require('undici/lib/api');
/* eslint-enable @typescript-eslint/no-require-imports */

// What undici's index does so every dispatcher has .request().
Object.assign(Dispatcher.prototype, api);

export type Agent = Undici.Agent;
export type Pool = Undici.Pool;
export type Client = Undici.Client;
export type { Dispatcher } from 'undici';

let shared: Undici.Agent | undefined;

/** `undici.request` with Pulse's own shared Agent instead of undici's global dispatcher. */
export function request(url: string | URL, opts: { dispatcher?: Undici.Dispatcher } & Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method?: Undici.Dispatcher.HttpMethod } = {}): Promise<Undici.Dispatcher.ResponseData> {
  const u = typeof url === 'string' ? new URL(url) : url;
  const { dispatcher, ...rest } = opts;
  const d = dispatcher ?? (shared ??= new Agent());
  return d.request({ ...rest, origin: u.origin, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET' });
}

/** A response body decoded per its Content-Encoding (gzip, deflate); others pass through. */
export function decodeBody(body: Readable, encoding: string): Readable {
  const e = encoding.trim().toLowerCase();
  let z: Transform | undefined;
  if (e === 'gzip' || e === 'x-gzip') z = createGunzip();
  else if (e === 'deflate') z = createInflate();
  if (!z) return body;
  // pipeline (not pipe) so a broken or aborted body errors the decoder instead of hanging it.
  return pipeline(body, z, () => {});
}
