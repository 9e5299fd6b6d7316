// `pulse health <url>`: scrape for a while, then print the signals.

import { EndpointSource, type SignalSource } from '../core/source';
import { Monitor } from '../core/monitor';
import { DEFAULT_THRESHOLDS } from '../core/health';
import { validateEndpoint } from '../core/endpoints';
import { PrometheusServerSource } from '../core/promserver/source';
import { fmtMs, fmtPct, fmtRate } from '../core/format';
import type { Signals } from '../core/types';
import { parseArgs, parseDuration, UsageError } from './args';

export const HEALTH_USAGE = `pulse health <url> [--json] [--window 60s] [--duration 10s] [--interval 1s]
                   [--kind auto|prometheus|json|prometheus-server] [--selector '{job="api"}'] [--timeout 5s]`;

export function signalsJson(s: Signals): Record<string, unknown> {
  const endpoints: Record<string, unknown> = {};
  for (const e of s.endpoints) {
    endpoints[e.key] = { method: e.method, route: e.route, request_rate: e.requestRate, error_rate: e.errorRate, p50_ms: e.p50Ms, p95_ms: e.p95Ms, p99_ms: e.p99Ms, mean_ms: e.meanMs };
  }
  return {
    p50_ms: s.p50Ms,
    p95_ms: s.p95Ms,
    p99_ms: s.p99Ms,
    mean_ms: s.meanMs,
    request_rate: s.requestRate,
    error_rate: s.errorRate,
    cache_hit_rate: s.cacheHitRate,
    pool_utilization: s.poolUtilization,
    pool_active: s.poolActive,
    pool_size: s.poolSize,
    cpu_percent: s.cpuPercent,
    memory_mb: s.memoryMb,
    window_seconds: s.windowSeconds,
    latency_source: s.latencySource,
    endpoints,
  };
}

export async function health(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['window', 'duration', 'interval', 'kind', 'selector', 'timeout']);
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError(`usage: ${HEALTH_USAGE}`);
  const windowMs = parseDuration(String(flags.get('window') ?? '60s'), '--window');
  const durationMs = parseDuration(String(flags.get('duration') ?? '10s'), '--duration');
  const intervalMs = parseDuration(String(flags.get('interval') ?? '1s'), '--interval');
  const timeoutMs = parseDuration(String(flags.get('timeout') ?? '5s'), '--timeout');
  if (intervalMs < 100) throw new UsageError('--interval must be at least 100ms');
  const e = validateEndpoint({ url, kind: flags.get('kind') ?? 'auto', selector: flags.get('selector') });
  if (typeof e === 'string') throw new UsageError(e);
  const windowSeconds = windowMs / 1000;
  const source: SignalSource =
    e.kind === 'prometheus-server'
      ? new PrometheusServerSource({ url: e.url, selector: e.selector ?? '', windowSeconds, timeoutMs })
      : new EndpointSource({ url: e.url, kind: e.kind, timeoutMs }, { windowSeconds, historySeconds: Math.max(windowSeconds, durationMs / 1000) + 60, intervalMs });
  const monitor = new Monitor(source, { intervalMs, thresholds: DEFAULT_THRESHOLDS });
  // Scrape at the interval for the duration (at least twice, so rates exist).
  const started = Date.now();
  let polls = 0;
  let state = await monitor.pollOnce();
  polls++;
  while (Date.now() - started + intervalMs <= durationMs || polls < 2) {
    await new Promise((r) => setTimeout(r, intervalMs));
    state = await monitor.pollOnce();
    polls++;
  }
  monitor.stop();
  if (state.kind === 'down') {
    if (flags.has('json')) out(JSON.stringify({ error: state.reason, kind: state.errorKind }));
    else out(`pulse: ${url}: ${state.reason}`);
    return 1;
  }
  const signals = state.kind === 'ok' ? state.signals : state.kind === 'noData' ? state.last.signals : undefined;
  if (!signals) return 1;
  if (flags.has('json')) {
    out(JSON.stringify(signalsJson(signals), null, 2));
    return 0;
  }
  out(`${url} — ${polls} scrapes over ${((Date.now() - started) / 1000).toFixed(1)} s, window ${windowSeconds} s`);
  out(`  latency   p50 ${fmtMs(signals.p50Ms)}  p95 ${fmtMs(signals.p95Ms)}  p99 ${fmtMs(signals.p99Ms)}  mean ${fmtMs(signals.meanMs)}${signals.latencySource ? `  (${signals.latencySource.metric})` : ''}`);
  out(`  requests  ${fmtRate(signals.requestRate)}  errors ${fmtPct(signals.errorRate)}`);
  out(`  cache     hit-rate ${fmtPct(signals.cacheHitRate)}`);
  out(`  db pool   ${fmtPct(signals.poolUtilization)}${signals.poolSize !== null ? ` (${signals.poolActive ?? '—'} of ${signals.poolSize})` : ''}`);
  if (signals.endpoints.length) {
    out('');
    const w = Math.max(8, ...signals.endpoints.map((x) => x.key.length));
    out(`  ${'endpoint'.padEnd(w)}  ${'req/s'.padStart(8)}  ${'err'.padStart(6)}  ${'p50'.padStart(8)}  ${'p95'.padStart(8)}  ${'p99'.padStart(8)}`);
    for (const x of signals.endpoints) {
      out(`  ${x.key.padEnd(w)}  ${fmtRate(x.requestRate).padStart(8)}  ${fmtPct(x.errorRate).padStart(6)}  ${fmtMs(x.p50Ms).padStart(8)}  ${fmtMs(x.p95Ms).padStart(8)}  ${fmtMs(x.p99Ms).padStart(8)}`);
    }
  }
  return 0;
}
