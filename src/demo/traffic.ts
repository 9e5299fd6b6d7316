// Built-in synthetic traffic: real HTTP requests over loopback against the
// service itself, so a new user sees metrics move without any load tool.
// Poisson arrivals at the configured rate, a realistic endpoint mix, a hard cap
// on requests in flight (excess arrivals are dropped, not queued).

import * as http from 'node:http';
import { CITIES, MAX_USER_ID, SKUS } from './routes';
import { pick, poisson, randInt, type Rng } from './latency';

export interface PlannedRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const SEARCH_TERMS = ['rain', 'heatwave', 'forecast accuracy', 'invoice', 'refund', 'api key', 'latency', 'pricing'];
const CHAT_PROMPTS = [
  'Will it rain in Berlin tomorrow?',
  'Summarise last week\'s demand forecast.',
  'Compare the three scenarios for Q3.',
  'Why did the forecast change since yesterday?',
];

/** One request from the endpoint mix (weights roughly what a forecast/chat API sees). */
export function planRequest(rng: Rng): PlannedRequest {
  const r = rng.next();
  if (r < 0.45) {
    return { method: 'GET', path: `/api/v1/forecast?city=${pick(rng, CITIES)}&days=${randInt(rng, 1, 7)}` };
  }
  if (r < 0.68) {
    // Zipf-like ids (a few hot users), 3 % unknown ids -> 404.
    const id = rng.next() < 0.03 ? randInt(rng, MAX_USER_ID + 1, 99_999) : Math.ceil(Math.exp(rng.next() * Math.log(MAX_USER_ID)));
    return { method: 'GET', path: `/api/v1/users/${id}` };
  }
  if (r < 0.84) {
    return { method: 'GET', path: `/api/v1/search?q=${encodeURIComponent(pick(rng, SEARCH_TERMS))}&limit=${pick(rng, [10, 20, 50])}` };
  }
  if (r < 0.95) {
    const items = Array.from({ length: randInt(rng, 1, 3) }, () => ({ sku: pick(rng, SKUS), qty: randInt(rng, 1, 4) }));
    return { method: 'POST', path: '/api/v1/orders', body: JSON.stringify({ user_id: randInt(rng, 1, MAX_USER_ID), items }) };
  }
  if (r < 0.985) {
    return { method: 'POST', path: '/api/v1/chat', body: JSON.stringify({ message: pick(rng, CHAT_PROMPTS) }) };
  }
  return { method: 'GET', path: '/api/v1/forcast' }; // a typo'd client: unmatched 404
}

export interface TrafficOptions {
  baseUrl: string;
  ratePerSecond: number;
  rng: Rng;
  maxInFlight?: number;
  tickMs?: number;
  requestTimeoutMs?: number;
}

export interface TrafficStats {
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
}

export class TrafficGenerator {
  private readonly agent: http.Agent;
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly counts: TrafficStats = { sent: 0, completed: 0, failed: 0, dropped: 0 };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly url: URL;

  constructor(private readonly o: TrafficOptions) {
    this.url = new URL(o.baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  }

  start(): void {
    if (this.timer || this.stopped || this.o.ratePerSecond <= 0) return;
    const tickMs = this.o.tickMs ?? 50;
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
    this.timer.unref(); // the server keeps the process alive, not the traffic
  }

  stats(): TrafficStats {
    return { ...this.counts };
  }

  /** Stops arrivals and aborts requests in flight; resolves once they are gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const req of this.inFlight) req.destroy();
    this.agent.destroy();
    const deadline = Date.now() + 300;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }

  private tick(tickMs: number): void {
    const n = poisson(this.o.rng, (this.o.ratePerSecond * tickMs) / 1000);
    const cap = this.o.maxInFlight ?? 256;
    for (let i = 0; i < n; i++) {
      if (this.inFlight.size >= cap) {
        this.counts.dropped += n - i;
        return;
      }
      this.send(planRequest(this.o.rng));
    }
  }

  private send(p: PlannedRequest): void {
    if (this.stopped) return;
    const headers: http.OutgoingHttpHeaders = { 'user-agent': 'pulse-demo-traffic/1' };
    if (p.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(p.body);
    }
    const req = http.request({
      agent: this.agent,
      host: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port,
      method: p.method,
      path: p.path,
      headers,
      timeout: this.o.requestTimeoutMs ?? 30_000,
    });
    this.counts.sent++;
    this.inFlight.add(req);
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      this.inFlight.delete(req);
      if (ok) this.counts.completed++;
      else this.counts.failed++;
    };
    req.on('response', (res) => {
      res.resume(); // drain so the keep-alive socket can be reused
      res.on('end', () => done(true));
      res.on('error', () => done(false));
      res.on('close', () => done(res.complete));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.on('close', () => done(false));
    req.end(p.body);
  }
}
