#!/usr/bin/env node
// Host-side cost of one dashboard tick with 50 routes × 3 percentiles and one hour of history:
// ingest one scrape into the store, compute the signals over the 60 s window, shape the point,
// table and tiles, and serialize the tick message (what postMessage copies). Target < 5 ms.
//
//   node bench/dashboard-host.mjs [--ticks 300]
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench/.data');
mkdirSync(DATA, { recursive: true });
const entry = join(DATA, 'dashboard-host-entry.ts');
writeFileSync(entry, `
export { SeriesStore, ScrapeBatch } from '${join(ROOT, 'src/core/store')}';
export { computeSignals } from '${join(ROOT, 'src/core/signals')}';
export { HealthEvaluator, DEFAULT_THRESHOLDS } from '${join(ROOT, 'src/core/health')}';
export { pointFromSignals, tableRows, tiles, panelState } from '${join(ROOT, 'src/dashboard/shape')}';
export { PointHistory } from '${join(ROOT, 'src/dashboard/history')}';
`);
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(DATA, 'dashboard-host.mjs'), logLevel: 'warning' });
const m = await import(pathToFileURL(join(DATA, 'dashboard-host.mjs')).href);

const ticksArg = process.argv.indexOf('--ticks');
const TICKS = ticksArg > 0 ? Number(process.argv[ticksArg + 1]) : 300;
const ROUTES = 50;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];
const HISTORY = 3600;

// Cumulative state of a fake service: per route and status, bucket counts that grow each second.
const routes = Array.from({ length: ROUTES }, (_, i) => ({ key: `method="${i % 3 ? 'GET' : 'POST'}",endpoint="/api/v1/r${i}"`, base: 0.01 + (i % 10) * 0.02 }));
const counts = new Map();
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

function scrape(t) {
  const b = new m.ScrapeBatch();
  b.onFamily({ name: 'http_request_duration_seconds', type: 'histogram' });
  for (const r of routes) {
    for (const status of ['200', '500']) {
      const id = `${r.key},status="${status}"`;
      let c = counts.get(id);
      if (!c) counts.set(id, (c = { buckets: new Array(BOUNDS.length).fill(0), sum: 0, total: 0 }));
      const n = status === '200' ? 5 : rnd() < 0.1 ? 1 : 0;
      for (let k = 0; k < n; k++) {
        const v = r.base * Math.exp(rnd() * 2);
        c.sum += v;
        c.total++;
        for (let j = 0; j < BOUNDS.length; j++) if (v <= BOUNDS[j]) c.buckets[j]++;
      }
      BOUNDS.forEach((le, j) => b.onSample('http_request_duration_seconds_bucket', `${id},le="${le === Infinity ? '+Inf' : le}"`, c.buckets[j], undefined));
      b.onSample('http_request_duration_seconds_sum', id, c.sum, undefined);
      b.onSample('http_request_duration_seconds_count', id, c.total, undefined);
      b.onSample('http_requests_total', id, c.total, undefined);
    }
  }
  b.onSample('cache_hits_total', '', t / 10, undefined);
  b.onSample('cache_misses_total', '', t / 40, undefined);
  b.onSample('db_connection_pool_size', '', 13, undefined);
  b.onSample('db_connection_pool_active', '', Math.floor(rnd() * 13), undefined);
  b.onSample('process_cpu_seconds_total', '', t / 4000, undefined);
  b.onSample('process_resident_memory_bytes', '', 200e6, undefined);
  return b;
}

const store = new m.SeriesStore({ capacity: HISTORY + 1 });
const history = new m.PointHistory(HISTORY * 1000);
const evaluator = new m.HealthEvaluator(m.DEFAULT_THRESHOLDS);
let t = 1_700_000_000_000;
function tick() {
  t += 1000;
  store.commit(t, scrape(t));
  const s = m.computeSignals(store, { windowSeconds: 60 });
  const point = m.pointFromSignals(s, t);
  history.push(point);
  const table = m.tableRows(s.endpoints);
  const msg = { type: 'tick', connection: 'x', points: [point], state: { kind: 'live', url: 'x', lastScrape: t }, tiles: m.tiles(s, evaluator.evaluate(s, t)), table: table.rows, tableTruncated: table.truncated, notices: [] };
  return JSON.stringify(msg).length;
}

// Fill one hour of history first (not measured).
const fill0 = performance.now();
for (let i = 0; i < HISTORY; i++) tick();
const fillMs = performance.now() - fill0;

const times = [];
let bytes = 0;
for (let i = 0; i < TICKS; i++) {
  const a = performance.now();
  bytes = tick();
  times.push(performance.now() - a);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
const result = { date: new Date().toISOString(), routes: ROUTES, series: store.series.size, historyPoints: history.size, ticks: TICKS, median_ms: q(0.5), p95_ms: q(0.95), max_ms: times.at(-1), tick_message_bytes: bytes, fill_hour_ms: fillMs, target_ms: 5 };
console.log(`host tick, ${ROUTES} routes × 3 percentiles, ${store.series.size} series, ${history.size} points of history:`);
console.log(`  median ${result.median_ms.toFixed(2)} ms, p95 ${result.p95_ms.toFixed(2)} ms, max ${result.max_ms.toFixed(2)} ms (target < 5 ms: ${(result.median_ms / 5).toFixed(2)}× the budget); tick message ${(bytes / 1024).toFixed(1)} kB`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/dashboard-host.json'), JSON.stringify(result, null, 2));
