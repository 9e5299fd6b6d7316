// Finds metrics endpoints on loopback with no configuration: a handful of common ports and
// paths probed at once, answered within a second.

import { Agent, request } from './http';
import type { EndpointKind } from './scrape';

export const DEFAULT_PORTS = [8000, 8080, 3000, 5000, 9090, 9100, 8888, 4000];
export const DEFAULT_PATHS = ['/metrics', '/prometheus', '/api/v1/metrics', '/actuator/prometheus'];

export interface Discovered {
  url: string;
  kind: Exclude<EndpointKind, 'auto'> | 'prometheus-server';
  /** What was seen, for the quick pick: "Prometheus text, 182 series" etc. */
  detail: string;
}

export interface DiscoveryOptions {
  host?: string;
  ports?: readonly number[];
  paths?: readonly string[];
  timeoutMs?: number;
}

export async function discover(opts: DiscoveryOptions = {}): Promise<Discovered[]> {
  const host = opts.host ?? '127.0.0.1';
  const ports = opts.ports ?? DEFAULT_PORTS;
  const paths = opts.paths ?? DEFAULT_PATHS;
  const timeoutMs = opts.timeoutMs ?? 800;
  const agent = new Agent({ connectTimeout: timeoutMs, connections: 4 });
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const probes: Promise<Discovered | undefined>[] = [];
    for (const port of ports) {
      const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      probes.push(probeServer(agent, base, deadline));
      for (const path of paths) probes.push(probe(agent, base + path, deadline));
    }
    const found = (await Promise.all(probes)).filter((d): d is Discovered => d !== undefined);
    return found;
  } finally {
    void agent.destroy().catch(() => {});
  }
}

async function probe(agent: Agent, url: string, signal: AbortSignal): Promise<Discovered | undefined> {
  try {
    const res = await request(url, { dispatcher: agent, signal, headers: { accept: 'text/plain;version=0.0.4;q=0.9,application/json;q=0.5,*/*;q=0.1' } });
    const ct = String(res.headers['content-type'] ?? '');
    // Only the head is needed to tell what it is.
    const head = await readHead(res.body, 4096);
    if (res.statusCode !== 200) return undefined;
    const text = head.toString('utf8');
    if (/json/i.test(ct) || /^\s*\{/.test(text)) {
      return /"(system|database|cache)"\s*:/.test(text) ? { url, kind: 'json', detail: 'JSON stats (system / database / cache)' } : undefined;
    }
    if (/^(# (HELP|TYPE) |[a-zA-Z_:][a-zA-Z0-9_:]*(\{| ))/m.test(text) && !/<html|<!doctype/i.test(text)) {
      const om = /openmetrics/i.test(ct);
      return { url, kind: 'prometheus', detail: om ? 'OpenMetrics' : 'Prometheus text format' };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

async function probeServer(agent: Agent, base: string, signal: AbortSignal): Promise<Discovered | undefined> {
  try {
    const res = await request(`${base}/api/v1/status/buildinfo`, { dispatcher: agent, signal });
    const body = (await readHead(res.body, 4096)).toString('utf8');
    if (res.statusCode !== 200) return undefined;
    const info = JSON.parse(body) as { status?: string; data?: { version?: string } };
    if (info.status !== 'success') return undefined;
    return { url: base, kind: 'prometheus-server', detail: `Prometheus server ${info.data?.version ?? ''}`.trim() };
  } catch {
    return undefined;
  }
}

async function readHead(body: AsyncIterable<Buffer> & { destroy(): void }, cap: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    parts.push(chunk);
    n += chunk.length;
    if (n >= cap) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, cap);
}
