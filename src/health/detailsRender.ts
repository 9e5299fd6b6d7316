// "Show Health Details" as Markdown: everything the status bar summarises, plus per-endpoint
// numbers and why a signal is missing. Pure (no vscode) so it is unit-tested.

import type { StatusInput } from '../status/render';
import { fmtAgo, fmtMs, fmtPct, fmtRate, fmtTime } from '../core/format';
import type { RuleState, Thresholds } from '../core/health';

export interface DetailsInput {
  state: StatusInput;
  label?: string;
  thresholds: Thresholds;
  problems: readonly string[];
  demoUrl?: string | undefined;
  now: number;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

const STATE_TEXT: Record<RuleState, string> = {
  unknown: 'not exposed',
  ok: '✓ ok',
  pending: 'past target, waiting out the hold',
  firing: '✗ past target',
  resolving: 'back within target, waiting out the hold',
};

export function renderDetails(d: DetailsInput): string {
  const out: string[] = ['# Pulse — health details', ''];
  const s = d.state;
  if (d.problems.length) out.push('## Settings problems', '', ...d.problems.map((p) => `- ${p}`), '');
  if (d.demoUrl) out.push(`Demo service running at ${d.demoUrl}`, '');
  switch (s.kind) {
    case 'idle':
      out.push('Not connected. Run **Pulse: Connect to Metrics Endpoint…** (it looks for endpoints on this machine) or **Pulse: Start Demo Service**.');
      return out.join('\n');
    case 'connecting':
      out.push(`Connecting to \`${s.url}\` since ${fmtTime(s.since)}…`);
      return out.join('\n');
    case 'down':
      out.push(
        `**Endpoint down**: \`${s.url}\``,
        '',
        `- Reason: ${s.reason}`,
        `- Kind: ${s.errorKind}`,
        `- Down since ${fmtTime(s.since)} (${fmtAgo(d.now - s.since)}), ${s.failures} failed scrape(s)`,
        `- Last good scrape: ${s.lastOk ? `${fmtTime(s.lastOk)} (${fmtAgo(d.now - s.lastOk)})` : 'never'}`,
        '',
        'Pulse keeps retrying at the scrape interval and recovers by itself.',
      );
      return out.join('\n');
    case 'noData':
      out.push(`Connected to \`${s.url}\` (${s.last.format}), last scrape ${fmtTime(s.last.at)}.`, '', `**No data yet**: ${s.reason}`);
      return out.join('\n');
    case 'ok':
      break;
  }
  const sig = s.signals;
  const t = d.thresholds;
  out.push(
    `Endpoint: \`${s.url}\`${d.label && d.label !== s.url ? ` (${d.label})` : ''} · format ${s.last.format} · ${s.last.seriesCount} series`,
    '',
    `Last scrape ${fmtTime(s.last.at)} (${fmtAgo(d.now - s.last.at)}) in ${s.last.durationMs.toFixed(1)} ms · window ${sig.windowSeconds} s · hold ${t.forSeconds} s`,
    '',
    '| Signal | Now | Target | State |',
    '|:--|--:|--:|:--|',
  );
  for (const r of s.evaluation.rules) {
    const f = r.signal === 'p95Ms' ? fmtMs : (v: number | null) => fmtPct(v);
    const name = { p95Ms: 'p95 latency', errorRate: 'Error rate (5xx)', cacheHitRate: 'Cache hit-rate', poolUtilization: 'DB pool utilization' }[r.signal];
    out.push(`| ${name} | ${f(r.value)} | ${r.direction === 'max' ? '≤' : '≥'} ${f(r.target)} | ${STATE_TEXT[r.state]} since ${fmtTime(r.since)} |`);
  }
  out.push(
    '',
    `- Latency: p50 ${fmtMs(sig.p50Ms)}, p95 ${fmtMs(sig.p95Ms)}, p99 ${fmtMs(sig.p99Ms)}, mean ${fmtMs(sig.meanMs)}${sig.latencySource ? ` — from \`${sig.latencySource.metric}\` (${sig.latencySource.kind})` : ' — no latency metric found (set pulse.metrics.latency)'}`,
    `- Requests: ${fmtRate(sig.requestRate)}, errors ${fmtPct(sig.errorRate)}`,
    `- DB pool: ${sig.poolActive ?? '—'} active of ${sig.poolSize ?? '—'}`,
    `- Process: CPU ${sig.cpuPercent === null ? '—' : `${sig.cpuPercent.toFixed(1)}%`}, memory ${sig.memoryMb === null ? '—' : `${sig.memoryMb.toFixed(0)} MB`}`,
  );
  if (sig.endpoints.length) {
    out.push('', '## Endpoints (slowest first)', '', '| Endpoint | Req/s | Errors | p50 | p95 | p99 |', '|:--|--:|--:|--:|--:|--:|');
    for (const e of sig.endpoints.slice(0, 50)) {
      out.push(`| ${cell(e.key)} | ${fmtRate(e.requestRate)} | ${fmtPct(e.errorRate)} | ${fmtMs(e.p50Ms)} | ${fmtMs(e.p95Ms)} | ${fmtMs(e.p99Ms)} |`);
    }
    if (sig.endpoints.length > 50) out.push('', `…and ${sig.endpoints.length - 50} more.`);
  }
  return out.join('\n');
}
