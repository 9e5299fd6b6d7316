// The simulated API: FastAPI-style "forecast / chat" service. Each handler
// spends simulated time (cache, DB pool, model / LLM / payment calls) drawn from
// per-route distributions, so the metrics look like a real service's.

import type { SimCache } from './cache';
import { validationError } from './http';
import { drawLatency, pick, randInt, type LatencyProfile, type Rng } from './latency';

export interface RouteContext {
  url: URL;
  params: Record<string, string>;
  rng: Rng;
  /** Simulated wait (divided by --speed). */
  sleep(simMs: number): Promise<void>;
  cache: SimCache;
  /** Runs fn holding one DB connection; queues when the pool is exhausted. */
  withDb<T>(fn: () => Promise<T>): Promise<T>;
  readJson(): Promise<unknown>;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  /** FastAPI-style path template; also the `endpoint` metric label. */
  template: string;
  handle(ctx: RouteContext): Promise<RouteResult>;
}

/** Latency profiles in simulated ms. */
export const PROFILES = {
  forecastCached: { medianMs: 3, sigma: 0.35, tail: { probability: 0.01, medianMs: 25, sigma: 0.5 } },
  forecastQuery: { medianMs: 8, sigma: 0.4, tail: { probability: 0.01, medianMs: 120, sigma: 0.5 } },
  forecastModel: { medianMs: 30, sigma: 0.45, tail: { probability: 0.02, medianMs: 400, sigma: 0.5 } },
  chatLlm: { medianMs: 800, sigma: 0.45, tail: { probability: 0.03, medianMs: 3300, sigma: 0.25 }, maxMs: 15_000 },
  chatSave: { medianMs: 4, sigma: 0.4 },
  userCached: { medianMs: 2, sigma: 0.35 },
  userQuery: { medianMs: 12, sigma: 0.5, tail: { probability: 0.01, medianMs: 300, sigma: 0.4 } },
  searchQuery: { medianMs: 60, sigma: 0.6, tail: { probability: 0.02, medianMs: 700, sigma: 0.4 } },
  searchRank: { medianMs: 25, sigma: 0.4 },
  orderQuery: { medianMs: 10, sigma: 0.4 },
  orderPayment: { medianMs: 70, sigma: 0.5, tail: { probability: 0.02, medianMs: 900, sigma: 0.4 } },
} satisfies Record<string, LatencyProfile>;

export const CITIES = ['berlin', 'paris', 'london', 'madrid', 'rome', 'vienna', 'oslo', 'lisbon', 'prague', 'warsaw', 'dublin', 'zurich'];
export const MAX_USER_ID = 5000;
export const SKUS = ['SKU-1001', 'SKU-1002', 'SKU-2040', 'SKU-3300', 'SKU-4711', 'SKU-5150'];
const REPLIES = [
  'Based on the forecast, expect light rain in the afternoon.',
  'Demand should peak on Thursday; consider scaling up before then.',
  'I could not find anything unusual in last week\'s numbers.',
  'Here is a short summary of the three scenarios you asked about.',
];

async function wait(ctx: RouteContext, p: LatencyProfile): Promise<void> {
  await ctx.sleep(drawLatency(ctx.rng, p));
}

function intParam(raw: string | null, loc: (string | number)[], dflt: number, min: number, max: number): number {
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw validationError(loc, 'value is not a valid integer', 'type_error.integer');
  if (n < min || n > max) throw validationError(loc, `ensure this value is between ${min} and ${max}`, 'value_error.number');
  return n;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

const forecast: Route = {
  method: 'GET',
  template: '/api/v1/forecast',
  async handle(ctx) {
    const city = (ctx.url.searchParams.get('city') ?? 'berlin').toLowerCase();
    const days = intParam(ctx.url.searchParams.get('days'), ['query', 'days'], 3, 1, 14);
    const cached = ctx.cache.lookup();
    if (cached) {
      await wait(ctx, PROFILES.forecastCached);
    } else {
      await ctx.withDb(() => wait(ctx, PROFILES.forecastQuery)); // load history
      await wait(ctx, PROFILES.forecastModel); // run the model outside the DB connection
    }
    const base = 8 + ctx.rng.next() * 12;
    return {
      status: 200,
      body: {
        city,
        days,
        cached,
        model: 'prophet-lite-2.3',
        forecast: Array.from({ length: days }, (_, i) => ({
          date: isoDay(i + 1),
          temp_c: Math.round((base + (ctx.rng.next() - 0.5) * 6) * 10) / 10,
          precip_mm: Math.round(Math.max(0, ctx.rng.next() * 8 - 3) * 10) / 10,
        })),
      },
    };
  },
};

const chat: Route = {
  method: 'POST',
  template: '/api/v1/chat',
  async handle(ctx) {
    const body = await ctx.readJson();
    const message = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).message : undefined;
    if (typeof message !== 'string' || message.trim() === '') {
      throw validationError(['body', 'message'], 'field required', 'value_error.missing');
    }
    await wait(ctx, PROFILES.chatLlm); // upstream LLM call: slow, long tail
    await ctx.withDb(() => wait(ctx, PROFILES.chatSave)); // store the conversation turn
    const completion = randInt(ctx.rng, 40, 400);
    return {
      status: 200,
      body: {
        id: `chat_${Math.floor(ctx.rng.next() * 1e12).toString(36)}`,
        model: 'demo-llm-small',
        reply: pick(ctx.rng, REPLIES),
        usage: { prompt_tokens: Math.ceil(message.length / 4) + 120, completion_tokens: completion },
      },
    };
  },
};

const user: Route = {
  method: 'GET',
  template: '/api/v1/users/{id}',
  async handle(ctx) {
    const id = intParam(ctx.params.id ?? null, ['path', 'id'], 0, -Infinity, Infinity);
    const exists = id >= 1 && id <= MAX_USER_ID;
    // Unknown users are never in the cache: always a miss, then a DB lookup.
    if (ctx.cache.lookup(!exists)) {
      await wait(ctx, PROFILES.userCached);
    } else {
      await ctx.withDb(() => wait(ctx, PROFILES.userQuery));
    }
    if (!exists) return { status: 404, body: { detail: 'User not found' } };
    return {
      status: 200,
      body: { id, name: `user-${id}`, email: `user${id}@example.com`, plan: id % 7 === 0 ? 'pro' : 'free' },
    };
  },
};

const search: Route = {
  method: 'GET',
  template: '/api/v1/search',
  async handle(ctx) {
    const q = ctx.url.searchParams.get('q');
    if (q === null || q.trim() === '') throw validationError(['query', 'q'], 'field required', 'value_error.missing');
    const limit = intParam(ctx.url.searchParams.get('limit'), ['query', 'limit'], 10, 1, 100);
    await ctx.withDb(() => wait(ctx, PROFILES.searchQuery)); // full-text query
    await wait(ctx, PROFILES.searchRank);
    const n = Math.min(limit, randInt(ctx.rng, 0, 25));
    return {
      status: 200,
      body: {
        query: q,
        total: n,
        results: Array.from({ length: n }, (_, i) => ({ id: randInt(ctx.rng, 1, 99_999), score: Math.round((1 - i / 30) * 1000) / 1000 })),
      },
    };
  },
};

interface OrderItem {
  sku: string;
  qty: number;
}

function parseOrder(body: unknown): { userId: number; items: OrderItem[] } {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof b.user_id !== 'number' || !Number.isInteger(b.user_id)) {
    throw validationError(['body', 'user_id'], 'value is not a valid integer', 'type_error.integer');
  }
  if (!Array.isArray(b.items) || b.items.length === 0) {
    throw validationError(['body', 'items'], 'ensure this value has at least 1 items', 'value_error.list.min_items');
  }
  const items = b.items.map((raw: unknown, i): OrderItem => {
    const it = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    if (typeof it.sku !== 'string' || typeof it.qty !== 'number' || !Number.isInteger(it.qty) || it.qty < 1) {
      throw validationError(['body', 'items', i], 'invalid item: needs sku (string) and qty (integer >= 1)', 'value_error');
    }
    return { sku: it.sku, qty: it.qty };
  });
  return { userId: b.user_id, items };
}

const orders: Route = {
  method: 'POST',
  template: '/api/v1/orders',
  async handle(ctx) {
    const order = parseOrder(await ctx.readJson());
    // One transaction that keeps its connection through the payment call — the
    // classic way a small pool saturates under load.
    await ctx.withDb(async () => {
      await wait(ctx, PROFILES.orderQuery); // check stock
      await wait(ctx, PROFILES.orderPayment); // payment provider
      await wait(ctx, PROFILES.orderQuery); // insert order
    });
    const total = order.items.reduce((sum, it) => sum + it.qty * (5 + (it.sku.length % 7) * 3.5), 0);
    return {
      status: 201,
      body: {
        order_id: `ord_${Math.floor(ctx.rng.next() * 1e12).toString(36)}`,
        user_id: order.userId,
        status: 'confirmed',
        items: order.items.length,
        total: Math.round(total * 100) / 100,
      },
    };
  },
};

export const API_ROUTES: readonly Route[] = [forecast, chat, user, search, orders];

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  paramNames: string[];
}

const COMPILED: CompiledRoute[] = API_ROUTES.map((route) => {
  const paramNames: string[] = [];
  const source = route.template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m?.[1]) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(m[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), paramNames };
});

export type RouteMatch =
  | { kind: 'ok'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; template: string }
  | { kind: 'not-found' };

export function matchRoute(method: string, pathname: string): RouteMatch {
  let wrongMethod: string | null = null;
  for (const c of COMPILED) {
    const m = c.pattern.exec(pathname);
    if (!m) continue;
    if (c.route.method !== method) {
      wrongMethod = c.route.template;
      continue;
    }
    const params: Record<string, string> = {};
    c.paramNames.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1] ?? '');
    });
    return { kind: 'ok', route: c.route, params };
  }
  return wrongMethod !== null ? { kind: 'method-not-allowed', template: wrongMethod } : { kind: 'not-found' };
}

/** Route template for a template or concrete path (any method), or null. */
export function resolveTemplate(pathOrTemplate: string): string | null {
  const exact = API_ROUTES.find((r) => r.template === pathOrTemplate);
  if (exact) return exact.template;
  const c = COMPILED.find((x) => x.pattern.test(pathOrTemplate));
  return c ? c.route.template : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
