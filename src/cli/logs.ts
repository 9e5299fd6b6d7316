// `pulse logs <file>`: slow requests in a log file, per endpoint — the scanner the editor uses.

import * as path from 'node:path';
import { analyzeFile, BinaryFileError, compilePatterns, DEFAULT_THRESHOLD_MS, type AnalyzeResult, type EndpointStats } from '../core/logs';
import { parseArgs, parseDuration, UsageError } from './args';

export const LOGS_USAGE = `pulse logs <file> [--threshold 1000ms] [--pattern REGEX] [--json]`;

/** A bare number is milliseconds (the setting's unit); 2s, 500ms also work. */
function thresholdOf(v: string): number {
  const n = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : parseDuration(v, '--threshold');
  if (!(n > 0)) throw new UsageError(`--threshold expects a duration > 0 like 1000 or 1.5s (got "${v}")`);
  return n;
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

/** The one object `--json` prints: {lines, slow, endpoints: [{method, path, count, p50_ms, p95_ms, max_ms}], …}. */
export function logsJson(r: AnalyzeResult, thresholdMs: number): Record<string, unknown> {
  return {
    file: r.file,
    threshold_ms: thresholdMs,
    lines: r.lines,
    bytes: r.bytes,
    requests: r.requests,
    slow: r.slow,
    long_lines: r.longLines,
    // count: slow lines; requests, p50/p95/max: every request line of the endpoint with a duration.
    endpoints: r.endpoints.map((e) => ({ method: e.method, path: e.path, count: e.slow, requests: e.requests, p50_ms: round(e.p50Ms), p95_ms: round(e.p95Ms), max_ms: round(e.maxMs) })),
    slow_per_minute: r.slowPerMinute.map((m) => ({ minute: new Date(m.minute).toISOString(), slow: m.slow })),
  };
}

const int = (n: number) => n.toLocaleString('en-US');
const ms = (v: number | null) => (v === null ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function logsText(r: AnalyzeResult, thresholdMs: number): string[] {
  const out = [`${r.file}: ${int(r.lines)} lines (${(r.bytes / 1e6).toFixed(1)} MB), ${int(r.requests)} request lines, ${int(r.slow)} slow (threshold ${thresholdMs} ms unless a line prints its own)`];
  const shown = r.endpoints.filter((e) => e.slow > 0);
  if (shown.length) {
    const name = (e: EndpointStats) => e.key || '(no endpoint)';
    const w = Math.min(60, Math.max(8, ...shown.map((e) => name(e).length)));
    out.push(`  ${'endpoint'.padEnd(w)}${['slow', 'requests', 'p50 ms', 'p95 ms', 'max ms'].map((h) => h.padStart(10)).join('')}`);
    for (const e of shown) out.push(`  ${name(e).padEnd(w)}${[int(e.slow), int(e.requests), ms(e.p50Ms), ms(e.p95Ms), ms(e.maxMs)].map((c) => c.padStart(10)).join('')}`);
  }
  const quiet = r.endpoints.length - shown.length;
  if (quiet) out.push(`  (${quiet} endpoint${quiet === 1 ? '' : 's'} without slow lines not shown; --json lists them)`);
  if (r.longLines) out.push(`  ${int(r.longLines)} line${r.longLines === 1 ? '' : 's'} longer than 64 kB were scanned up to 64 kB`);
  const peak = r.slowPerMinute.reduce<{ minute: number; slow: number } | null>((a, m) => (!a || m.slow > a.slow ? m : a), null);
  if (peak) out.push(`  busiest minute: ${new Date(peak.minute).toISOString().slice(0, 16).replace('T', ' ')} UTC with ${int(peak.slow)} slow`);
  return out;
}

export async function logs(argv: readonly string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['threshold', 'pattern']);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`usage: ${LOGS_USAGE}`);
  const t = flags.get('threshold');
  const thresholdMs = typeof t === 'string' ? thresholdOf(t) : DEFAULT_THRESHOLD_MS;
  const p = flags.get('pattern');
  const { patterns, errors } = compilePatterns(typeof p === 'string' ? [p] : []);
  if (errors.length) throw new UsageError(errors.join('\n'));
  const json = flags.has('json');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  const live = !json && process.stderr.isTTY;
  const t0 = performance.now();
  let result: AnalyzeResult;
  try {
    result = await analyzeFile(file, {
      thresholdMs,
      patterns,
      // dist/cli.js → dist/logs-worker.js: a big file is scanned in parts on worker threads.
      parallel: { workerFile: path.join(__dirname, 'logs-worker.js') },
      signal: controller.signal,
      onProgress: live ? (read, total) => process.stderr.write(`\r\x1b[K  ${total ? Math.round((100 * read) / total) : 100}%  ${(read / 1e6 / ((performance.now() - t0) / 1000)).toFixed(0)} MB/s`) : undefined,
    });
  } catch (e) {
    if (controller.signal.aborted) {
      err('pulse: cancelled');
      return 130;
    }
    if (e instanceof BinaryFileError) throw new Error(`${file} ${e.message}`);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    if (live) process.stderr.write('\r\x1b[K');
  }
  if (json) out(JSON.stringify(logsJson(result, thresholdMs)));
  else for (const l of logsText(result, thresholdMs)) out(l);
  return 0;
}
