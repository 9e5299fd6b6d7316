// An endpoint as the user configures it, validated without vscode so the CLI shares it.

import { isIP } from 'node:net';
import type { EndpointKind } from './scrape';

export type SourceKind = EndpointKind | 'prometheus-server';

export interface EndpointConfig {
  url: string;
  name?: string;
  kind: SourceKind;
  /** For a Prometheus server: the selector of the service's series, e.g. {job="api"}. */
  selector?: string;
  /** Header that carries the secret stored in SecretStorage (default Authorization). */
  authHeaderName?: string;
}

const KINDS: readonly SourceKind[] = ['auto', 'prometheus', 'json', 'prometheus-server'];

export function validateEndpoint(item: unknown): EndpointConfig | string {
  if (typeof item === 'string') item = { url: item };
  if (item === null || typeof item !== 'object') return 'expected an object like {"url": "http://127.0.0.1:8000/metrics"}';
  const o = item as Record<string, unknown>;
  if (typeof o.url !== 'string' || !o.url.trim()) return 'missing "url"';
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    return `"${o.url}" is not a valid URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"${o.url}" must be http or https`;
  const kind = (o.kind ?? 'auto') as SourceKind;
  if (!KINDS.includes(kind)) return `kind must be one of ${KINDS.join(', ')} (got ${JSON.stringify(o.kind)})`;
  if (u.username || u.password) return 'put credentials in SecretStorage with "Pulse: Set Endpoint Auth Header…", not in the URL';
  const out: EndpointConfig = { url: u.toString(), kind };
  if (typeof o.name === 'string' && o.name.trim()) out.name = o.name.trim();
  if (typeof o.selector === 'string' && o.selector.trim()) out.selector = o.selector.trim();
  if (typeof o.authHeaderName === 'string' && o.authHeaderName.trim()) out.authHeaderName = o.authHeaderName.trim();
  return out;
}

export function endpointLabel(e: EndpointConfig): string {
  return e.name ?? e.url;
}

/** Loopback hosts: the only ones Pulse sends load to without asking. */
export function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    // 127.x must be a literal address: a name like 127.0.0.1.example.com resolves anywhere.
    return h === 'localhost' || h === '::1' || h.endsWith('.localhost') || (isIP(h) === 4 && h.startsWith('127.'));
  } catch {
    return false;
  }
}
