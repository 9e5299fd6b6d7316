// Wires the demo service together: HTTP server, instrumentation, admin API,
// synthetic traffic. startDemoService() is what main.ts runs and what tests
// start in-process.

import * as http from 'node:http';
import { DEFAULT_OPTIONS, slowThresholdFor, type DemoOptions } from './args';
import { SimCache } from './cache';
import { FaultInjector, FaultValidationError, parseFaultRequest, type Fault, type FaultState } from './faults';
import { RecentOutcomes, evaluateHealth } from './health';
import { HttpError, readJson, send, sendJson } from './http';
import { createRng } from './latency';
import { DemoMetrics } from './metrics';
import { ConnectionPool, PoolClosedError, PoolTimeoutError } from './pool';
import { API_ROUTES, matchRoute, resolveTemplate, type RouteContext, type RouteResult } from './routes';
import { ServiceLog } from './slowlog';
import { CpuSampler, buildSnapshot, type MetricsSnapshot } from './snapshot';
import { ShutdownError, Sleeper } from './timing';
import { TrafficGenerator, type TrafficStats } from './traffic';

export const VERSION = '0.1.0';
/** Unprovoked 500s on successful API requests: a small, realistic background error rate. */
export const BASE_ERROR_RATE = 0.002;
/** How long (simulated) a request waits for a DB connection before failing, like SQLAlchemy's pool_timeout. */
export const POOL_TIMEOUT_SIM_MS = 10_000;
/** endpoint label for paths that match no route (FastAPI would 404 them). */
export const UNMATCHED_ENDPOINT = 'unmatched';

export interface StartOptions extends Partial<DemoOptions> {
  /** Receives every log line (the CLI prints them to stdout). */
  echo?: (line: string) => void;
  /** Called once listening, before the startup log lines (the CLI prints PULSE_DEMO_LISTENING here). */
  onListening?: (url: string) => void;
}

export interface DemoServiceHandle {
  url: string;
  port: number;
  host: string;
  /** Date.now() when the service started (cache warm-up counts from here). */
  startedAt: number;
  options: Readonly<DemoOptions>;
  close(): Promise<void>;
  /** Same as POST /admin/inject (omitted fields keep their value); endpoint is a route template or concrete path. */
  inject(fault: { latencyMs?: number; errorRate?: number; endpoint?: string }): FaultState;
  /** Same as POST /admin/reset. */
  reset(): FaultState;
  state(): FaultState;
  snapshot(): MetricsSnapshot;
  stats(): { poolMaxActive: number; poolWaiting: number; inProgress: number; traffic: TrafficStats | null };
}

export class DemoListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** URL for clients: a wildcard bind is reached over loopback. */
function clientUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export async function startDemoService(input: StartOptions = {}): Promise<DemoServiceHandle> {
  const { echo, onListening, ...rest } = input;
  const options: DemoOptions = { ...DEFAULT_OPTIONS, slowThresholdsMs: { ...DEFAULT_OPTIONS.slowThresholdsMs } };
  for (const [key, value] of Object.entries(rest) as [keyof DemoOptions, unknown][]) {
    if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  }
  if (!(options.speed > 0)) throw new Error('speed must be > 0');
  if (!Number.isInteger(options.poolSize) || options.poolSize < 1) throw new Error('poolSize must be an integer >= 1');
  const initialFault = parseFaultRequest({ latencyMs: options.injectLatencyMs, errorRate: options.injectErrorRate });

  const log = new ServiceLog(options.logFile, echo);
  const rng = createRng(options.seed);
  const sleeper = new Sleeper(options.speed);
  const pool = new ConnectionPool(options.poolSize);
  const faults = new FaultInjector();
  const outcomes = new RecentOutcomes();
  const cpu = new CpuSampler();
  let inProgress = 0;
  const metrics = new DemoMetrics({
    poolSize: () => pool.size,
    poolActive: () => pool.active,
    poolIdle: () => pool.idle,
    poolWaiting: () => pool.waiting,
    inProgress: () => inProgress,
  });
  const cache = new SimCache({
    warmupSeconds: options.cacheWarmupSeconds,
    rng,
    onLookup: (hit) => metrics.cacheLookup(hit),
  });
  const startedAt = Date.now();
  faults.update(null, initialFault);

  const injectFault = (f: unknown): FaultState => {
    const req = parseFaultRequest(f);
    let endpoint: string | null = null;
    if (req.endpoint !== null) {
      endpoint = resolveTemplate(req.endpoint);
      if (endpoint === null) {
        throw new FaultValidationError(`unknown endpoint "${req.endpoint}" (known: ${API_ROUTES.map((r) => r.template).join(', ')})`);
      }
    }
    faults.update(endpoint, req);
    return faults.state();
  };

  const adminState = (): Record<string, unknown> => ({
    faults: faults.state(),
    speed: options.speed,
    pool_size: pool.size,
    traffic_rps: options.traffic,
    cache_hit_probability: Math.round(cache.hitProbability() * 1000) / 1000,
  });

  // ---- API requests (instrumented) -------------------------------------------------

  async function serveApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const match = matchRoute(method, url.pathname);
    const endpoint = match.kind === 'ok' ? match.route.template : match.kind === 'method-not-allowed' ? match.template : UNMATCHED_ENDPOINT;
    const t0 = performance.now();
    inProgress++;
    let result: RouteResult;
    try {
      if (match.kind === 'ok') {
        const fault: Fault = faults.forEndpoint(endpoint);
        if (fault.latencyMs > 0) await sleeper.sleep(fault.latencyMs);
        const ctx: RouteContext = {
          url,
          params: match.params,
          rng,
          sleep: (ms) => sleeper.sleep(ms),
          cache,
          withDb: (fn) => pool.use(sleeper.real(POOL_TIMEOUT_SIM_MS), fn),
          readJson: () => readJson(req),
        };
        result = await match.route.handle(ctx);
        if (fault.errorRate > 0 && rng.next() < fault.errorRate) {
          result = { status: 500, body: { detail: 'Internal Server Error (injected fault)' } };
        } else if (result.status < 400 && rng.next() < BASE_ERROR_RATE) {
          result = { status: 500, body: { detail: 'Internal Server Error' } };
        }
      } else if (match.kind === 'method-not-allowed') {
        result = { status: 405, body: { detail: 'Method Not Allowed' } };
      } else {
        result = { status: 404, body: { detail: 'Not Found' } };
      }
    } catch (err) {
      if (err instanceof ShutdownError || err instanceof PoolClosedError) {
        res.destroy(); // shutting down: no response, no metrics
        return;
      }
      if (err instanceof HttpError) result = { status: err.status, body: err.body };
      else if (err instanceof PoolTimeoutError) result = { status: 500, body: { detail: err.message } };
      else {
        log.error(`Unhandled error on ${method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
        result = { status: 500, body: { detail: 'Internal Server Error' } };
      }
    } finally {
      inProgress--;
    }
    const tookMs = performance.now() - t0;
    // Record before responding so a client that scrapes right after its response sees it counted.
    metrics.observeRequest(method, endpoint, result.status, tookMs / 1000);
    outcomes.record(result.status >= 500);
    const threshold = slowThresholdFor(options.slowThresholdsMs, endpoint);
    if (match.kind === 'ok' && tookMs > threshold) log.slowRequest(method, url.pathname, tookMs, threshold);
    sendJson(res, result.status, result.body, { 'x-process-time-ms': tookMs.toFixed(1) });
  }

  // ---- operational endpoints (not instrumented, like /metrics in most instrumentators) --

  async function serveAdmin(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (path === '/admin/state') {
      if (req.method !== 'GET') return sendJson(res, 405, { detail: 'Method Not Allowed' });
      return sendJson(res, 200, adminState());
    }
    if (req.method !== 'POST') return sendJson(res, 405, { detail: 'Method Not Allowed' });
    if (path === '/admin/reset') {
      faults.reset();
      log.info('Fault injection reset');
      return sendJson(res, 200, adminState());
    }
    if (path === '/admin/inject') {
      try {
        const body = await readJson(req);
        injectFault(body);
      } catch (err) {
        if (err instanceof FaultValidationError) return sendJson(res, 400, { detail: err.message });
        if (err instanceof HttpError) return sendJson(res, err.status === 422 ? 400 : err.status, err.body);
        throw err;
      }
      log.info(`Fault injection updated: ${JSON.stringify(faults.state())}`);
      return sendJson(res, 200, adminState());
    }
    return sendJson(res, 404, { detail: 'Not Found' });
  }

  async function serveOps(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
    const get = req.method === 'GET' || req.method === 'HEAD';
    switch (path) {
      case '/metrics':
      case '/prometheus': {
        if (!get) {
          sendJson(res, 405, { detail: 'Method Not Allowed' });
          return true;
        }
        const exp = await metrics.render(req.headers.accept);
        send(res, 200, exp.contentType, exp.body);
        return true;
      }
      case '/api/v1/metrics':
        if (!get) sendJson(res, 405, { detail: 'Method Not Allowed' });
        else sendJson(res, 200, snapshot());
        return true;
      case '/health': {
        const h = evaluateHealth(outcomes);
        sendJson(res, h.httpStatus, {
          status: h.status,
          version: VERSION,
          uptime_seconds: Math.round((Date.now() - startedAt) / 100) / 10,
          checks: {
            database: pool.waiting > 0 ? 'saturated' : 'ok',
            cache: 'ok',
            recent_requests: h.recentRequests,
            recent_error_rate: h.recentErrorRate,
          },
        });
        return true;
      }
      case '/':
        sendJson(res, 200, {
          service: 'pulse-demo',
          version: VERSION,
          endpoints: API_ROUTES.map((r) => `${r.method} ${r.template}`),
          metrics: ['/metrics', '/prometheus', '/api/v1/metrics', '/health'],
          admin: ['POST /admin/inject', 'POST /admin/reset', 'GET /admin/state'],
        });
        return true;
    }
    if (path.startsWith('/admin/')) {
      await serveAdmin(req, res, path);
      return true;
    }
    return false;
  }

  const snapshot = (): MetricsSnapshot => buildSnapshot(cpu, pool, cache.stats());

  const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { detail: 'Bad Request' });
      return;
    }
    serveOps(req, res, url.pathname)
      .then((handled) => (handled ? undefined : serveApi(req, res, url)))
      .catch((err: unknown) => {
        log.error(`Error serving ${req.method ?? ''} ${url.pathname}: ${String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { detail: 'Internal Server Error' });
        else res.destroy();
      });
  });

  // ---- listen -----------------------------------------------------------------------

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    log.close();
    const e = err as NodeJS.ErrnoException;
    const message =
      e.code === 'EADDRINUSE'
        ? `Port ${options.port} on ${options.host} is already in use (EADDRINUSE). Stop the process using it, or start the demo with --port <another port> (--port 0 picks a free one).`
        : e.code === 'EACCES'
          ? `Not allowed to listen on port ${options.port} on ${options.host} (EACCES). Use a port above 1024.`
          : `Cannot listen on ${options.host}:${options.port}: ${e.message}`;
    throw new DemoListenError(message, e.code);
  }
  server.on('error', (err) => log.error(`Server error: ${err.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = clientUrl(options.host, port);
  onListening?.(url);
  log.info(`Pulse demo service ${VERSION} listening on ${url} (pid ${process.pid})`);
  log.info(
    `Config: traffic=${options.traffic} req/s, pool_size=${options.poolSize}, cache_warmup=${options.cacheWarmupSeconds}s, ` +
      `speed=${options.speed}, seed=${options.seed ?? 'random'}, log_file=${options.logFile ?? 'none'}`,
  );
  if (options.injectLatencyMs > 0 || options.injectErrorRate > 0) {
    log.warning(`Fault injection active: latency +${options.injectLatencyMs}ms, error rate ${options.injectErrorRate}`);
  }

  const traffic =
    options.traffic > 0 ? new TrafficGenerator({ baseUrl: url, ratePerSecond: options.traffic, rng: createRng(options.seed === null ? null : options.seed + 1) }) : null;
  traffic?.start();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = traffic?.stop();
      sleeper.stop(); // handlers mid-wait give up at once
      pool.close();
      await stopped;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      log.info('Pulse demo service stopped');
      log.close();
    })();
    return closing;
  };

  return {
    url,
    port,
    host: options.host,
    startedAt,
    options,
    close,
    inject: (f) => {
      const state = injectFault(f);
      log.info(`Fault injection updated: ${JSON.stringify(state)}`);
      return state;
    },
    reset: () => {
      faults.reset();
      return faults.state();
    },
    state: () => faults.state(),
    snapshot,
    stats: () => ({ poolMaxActive: pool.maxActive, poolWaiting: pool.waiting, inProgress, traffic: traffic?.stats() ?? null }),
  };
}
