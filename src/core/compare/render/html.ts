// A comparison report as ONE self-contained HTML document: no scripts, no network, charts as
// inline SVG, styles in one <style> (carrying the nonce when given) with colours from VS Code's
// theme variables and fallbacks, so the same HTML shows in a webview under
// `default-src 'none'; style-src 'nonce-…'; img-src data:` and opens from disk as an exported
// file. Every string from a record goes through esc(). No vscode import.

import { createHash } from 'node:crypto';
import type { ComparisonReport } from '../report';
import type { TargetRow } from '../targets';
import { BASIS_LABEL, describeSide, fmtChange, fmtCI, fmtMs, fmtP, fmtSignedPct, fmtTarget, fmtValue } from './format';
import { cdfChart, esc, lineChart } from './svg';

const CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #222); background: var(--vscode-editor-background, #fff); margin: 16px 24px; max-width: 1000px; }
h1 { font-size: 1.4em; margin: 0 0 4px; } h2 { font-size: 1.1em; margin: 24px 0 8px; }
.muted { color: var(--vscode-descriptionForeground, #666); }
.verdict { font-weight: 600; padding: 2px 8px; border-radius: 4px; border: 1px solid currentColor; }
.regressed, .fail { color: var(--vscode-testing-iconFailed, #c62828); }
.improved, .pass { color: var(--vscode-testing-iconPassed, #2e7d32); }
.same { color: var(--vscode-descriptionForeground, #666); }
table { border-collapse: collapse; margin: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--vscode-panel-border, #ddd); text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.pass { background: var(--vscode-diffEditor-insertedTextBackground, rgba(46, 125, 50, 0.12)); }
td.fail { background: var(--vscode-diffEditor-removedTextBackground, rgba(198, 40, 40, 0.12)); }
ul.warnings li { color: var(--vscode-editorWarning-foreground, #9a6700); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { width: 100%; max-width: 640px; height: auto; }
svg .grid { stroke: var(--vscode-panel-border, #ddd); stroke-width: 1; }
svg .axis { fill: var(--vscode-descriptionForeground, #666); font-size: 11px; }
svg .line { fill: none; stroke-width: 2; }
svg .base, .key.base { stroke: var(--vscode-charts-blue, #1f77b4); color: var(--vscode-charts-blue, #1f77b4); }
svg .cur, .key.cur { stroke: var(--vscode-charts-orange, #ff7f0e); color: var(--vscode-charts-orange, #ff7f0e); }
.key { font-weight: 600; }
`;

// An exported file has no nonce: its one <style> is allowed by hash instead.
const CSS_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

const cls = (m: boolean | null) => (m === null ? '' : m ? ' class="pass"' : ' class="fail"');
const dirCls = (d: TargetRow['direction']) => (d === 'better' ? 'improved' : d === 'worse' ? 'regressed' : 'same');

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (s: string, attrs = '') => `<td${attrs}>${esc(s)}</td>`;

export interface HtmlOptions {
  /** CSP nonce for the <style> element (a webview); omit for a file on disk. */
  nonce?: string;
  /** Document title (default: "Pulse comparison: <baseline> vs <current>"). */
  title?: string;
}

export function renderHtml(r: ComparisonReport, o: HtmlOptions = {}): string {
  const title = o.title ?? `Pulse comparison: ${r.baseline.name} vs ${r.current.name}`;
  const nonce = o.nonce !== undefined ? ` nonce="${esc(o.nonce)}"` : '';
  const body: string[] = [];
  body.push(`<h1>Pulse comparison <span class="verdict ${r.verdict === '~' ? 'same' : r.verdict}">${esc(r.verdict === '~' ? '~ no significant regression' : r.verdict)}</span></h1>`);
  body.push(`<p>${esc(r.summary)}</p>`);
  body.push(`<p class="muted"><span class="key base">Baseline</span> ${esc(describeSide(r.baseline))}<br><span class="key cur">Current</span> ${esc(describeSide(r.current))}</p>`);
  if (r.warnings.length) body.push(`<h2>Warnings</h2><ul class="warnings">${r.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>`);

  body.push('<h2>Targets</h2>');
  body.push(table(['Metric', 'Baseline', 'Target', 'Current', 'Change'], r.targets.map((t) => [td(t.label), td(fmtValue(t.unit, t.baseline), cls(t.baselineMeets)), td(fmtTarget(t, t.target)), td(fmtValue(t.unit, t.current), cls(t.currentMeets)), td(fmtChange(t), ` class="${dirCls(t.direction)}"`)])));

  body.push(`<h2>Latency</h2><p class="muted">Baseline: ${esc(BASIS_LABEL[r.baseline.latencyBasis])}${r.baseline.samples !== null ? `, n = ${r.baseline.samples}` : ''}. Current: ${esc(BASIS_LABEL[r.current.latencyBasis])}${r.current.samples !== null ? `, n = ${r.current.samples}` : ''}.</p>`);
  const l = r.latency;
  if (l.kind === 'distribution') {
    const c = l.comparison;
    const vcls = (v: string) => ` class="${v === '~' ? 'same' : v}"`;
    body.push(table(['', 'Baseline', 'Current', 'Change', `${Math.round(c.confidence * 100)} % CI`, 'p', 'Verdict'], c.metrics.map((m) => [td(m.metric), td(fmtMs(m.baseline)), td(fmtMs(m.current)), td(fmtSignedPct(m.changePct)), td(fmtCI(m.changeCI)), td(fmtP(m.p)), td(`${m.verdict}${m.tooFewSamples ? ' (too few samples)' : ''}`, vcls(m.verdict))])));
  } else if (l.kind === 'percentiles') {
    body.push(table(['', 'Baseline', 'Current', 'Change', 'Verdict'], l.rows.map((m) => [td(m.metric), td(fmtMs(m.baseline)), td(fmtMs(m.current)), td(fmtSignedPct(m.changePct)), td('no test')])));
  }
  for (const n of l.notes) body.push(`<p class="muted">${esc(n)}</p>`);

  body.push(`<h2>Rules <span class="muted">(${esc(r.rules.from)})</span></h2><ul>${r.rules.results.map((x) => `<li class="${x.fired ? 'fail' : 'pass'}">${esc(x.message)}</li>`).join('')}</ul>`);

  const tl = r.charts.timeline;
  const series = (k: 'p95' | 'rps') => [
    { cls: 'base' as const, points: tl.baseline.map((p) => ({ x: p.t, y: p[k] ?? NaN })) },
    { cls: 'cur' as const, points: tl.current.map((p) => ({ x: p.t, y: p[k] ?? NaN })) },
  ];
  body.push('<h2>Charts</h2><div class="charts">');
  body.push(cdfChart(r.charts.cdf.baseline, r.charts.cdf.current));
  body.push(lineChart({ title: 'p95 latency per second', xLabel: `seconds since start (${tl.source.baseline === 'load' && tl.source.current === 'load' ? 'load generator' : 'service timeline'})`, yLabel: 'p95 (ms)', series: series('p95') }));
  body.push(lineChart({ title: 'Throughput per second', xLabel: 'seconds since start', yLabel: 'req/s', series: series('rps') }));
  body.push('</div>');

  if (r.endpoints.rows.length) {
    const pair = (a: number | null, b: number | null) => `${fmtMs(a)} → ${fmtMs(b)}`;
    body.push('<h2>Endpoints</h2>');
    body.push(table(['Endpoint', 'p50', 'p95', 'p99', 'p95 change'], r.endpoints.rows.map((e) => [td(`${e.key}${e.source === 'load' ? ' (runner)' : ''}`), td(pair(e.baseline.p50, e.current.p50)), td(pair(e.baseline.p95, e.current.p95)), td(pair(e.baseline.p99, e.current.p99)), td(fmtSignedPct(e.changePct.p95))])));
  }
  const only = [...r.endpoints.onlyBaseline.map((k) => `only in the baseline: ${k}`), ...r.endpoints.onlyCurrent.map((k) => `only in the current run: ${k}`)];
  if (only.length) body.push(`<p class="muted">${only.map(esc).join('<br>')}</p>`);
  body.push(`<p class="muted">Generated ${esc(r.createdAt)} by Pulse.</p>`);

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${o.nonce !== undefined ? `'nonce-${esc(o.nonce)}'` : `'${CSS_HASH}'`}; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style${nonce}>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
