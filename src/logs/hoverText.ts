// The hover of a slow-request line, as Markdown (no vscode import: unit-tested in Node).

import type { EndpointStats, LogHit } from '../core/logs';
import { fmtMs } from '../core/format';

const FORMAT_NAME: Record<string, string> = {
  text: 'application "SLOW REQUEST" line',
  json: 'JSON log line',
  combined: 'access log (combined, with request time)',
  uvicorn: 'uvicorn access log',
  inline: 'request log line (Go / Express style)',
  gin: 'Gin access log',
};

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function times(a: number, b: number | null): string {
  if (b === null || !(b > 0)) return '';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

/** Markdown for a slow hit, compared with its endpoint's numbers in the same file. */
export function slowHoverMarkdown(hit: LogHit, endpoint: EndpointStats | undefined, source = 'this file'): string {
  const what = [hit.method, hit.rawPath ?? hit.path].filter(Boolean).join(' ') || 'request';
  const rows: [string, string][] = [];
  if (hit.durationMs !== null) {
    const over = times(hit.durationMs, hit.thresholdMs);
    rows.push(['Duration', `**${fmtMs(hit.durationMs)}**${over ? ` — ${over} the ${fmtMs(hit.thresholdMs)} threshold` : ''}`]);
  } else rows.push(['Threshold', fmtMs(hit.thresholdMs)]);
  if (hit.status !== null) rows.push(['Status', String(hit.status)]);
  if (endpoint && endpoint.p95Ms !== null) {
    rows.push([`Endpoint in ${source}`, `p50 ${fmtMs(endpoint.p50Ms)} · p95 ${fmtMs(endpoint.p95Ms)} · max ${fmtMs(endpoint.maxMs)} (${endpoint.requests.toLocaleString('en-US')} request${endpoint.requests === 1 ? '' : 's'}, ${endpoint.slow.toLocaleString('en-US')} slow)`]);
    if (hit.durationMs !== null) {
      const vs = times(hit.durationMs, endpoint.p95Ms);
      const only = endpoint.requests === endpoint.slow ? ' (the file logs only slow requests of it)' : '';
      rows.push(['This line', `${vs} the endpoint's p95${only}`]);
    }
  }
  rows.push(['Format', FORMAT_NAME[hit.format] ?? `custom pattern (${hit.format})`]);
  return [`**Slow request** \`${what.replace(/`/g, "'")}\``, '', '| | |', '|:--|:--|', ...rows.map(([k, v]) => `| ${escapeMd(k)} | ${v} |`)].join('\n');
}
