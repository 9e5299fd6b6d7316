// A comparison report as Markdown that fits a pull-request comment: the verdict line, the
// targets table, the latency verdicts ("~" when not significant), rules, warnings, and the
// per-endpoint rows folded away. Every string from a record is escaped: Markdown tables break on
// "|", and GitHub renders inline HTML. No vscode import.

import type { ComparisonReport } from '../report';
import { BASIS_LABEL, describeSide, fmtChange, fmtCI, fmtMs, fmtP, fmtSignedPct, fmtTarget, fmtValue } from './format';

/** Text safe inside a Markdown table cell (and as inline text). */
export function mdEscape(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const ICON = { regressed: '🔴', improved: '🟢', '~': '⚪' } as const;
const meetsMark = (m: boolean | null) => (m === null ? '' : m ? ' ✅' : ' ❌');

export function renderMarkdown(r: ComparisonReport): string {
  const out: string[] = [];
  out.push(`### ${ICON[r.verdict]} Pulse: **${r.verdict === '~' ? '~ no significant regression' : r.verdict}**`, '', mdEscape(r.summary), '');
  out.push(`Baseline: ${mdEscape(describeSide(r.baseline))}  `, `Current: ${mdEscape(describeSide(r.current))}`, '');

  out.push(row(['Metric', 'Baseline', 'Target', 'Current', 'Change']), row(['---', '---:', ':---:', '---:', '---:']));
  for (const t of r.targets) out.push(row([t.label, fmtValue(t.unit, t.baseline) + meetsMark(t.baselineMeets), fmtTarget(t, t.target), fmtValue(t.unit, t.current) + meetsMark(t.currentMeets), fmtChange(t)]));
  out.push('');

  const l = r.latency;
  out.push(`**Latency** (baseline: ${BASIS_LABEL[r.baseline.latencyBasis]}${r.baseline.samples !== null ? `, n = ${r.baseline.samples}` : ''}; current: ${BASIS_LABEL[r.current.latencyBasis]}${r.current.samples !== null ? `, n = ${r.current.samples}` : ''})`, '');
  if (l.kind === 'distribution') {
    const c = l.comparison;
    out.push(row(['', 'Baseline', 'Current', 'Change', `${Math.round(c.confidence * 100)} % CI`, 'p', 'Verdict']), row(['---', '---:', '---:', '---:', '---:', '---:', ':---:']));
    for (const m of c.metrics) out.push(row([m.metric, fmtMs(m.baseline), fmtMs(m.current), fmtSignedPct(m.changePct), fmtCI(m.changeCI), fmtP(m.p), `${m.verdict}${m.tooFewSamples ? ' ⚠️' : ''}`]));
  } else if (l.kind === 'percentiles') {
    out.push(row(['', 'Baseline', 'Current', 'Change', 'Verdict']), row(['---', '---:', '---:', '---:', ':---:']));
    for (const m of l.rows) out.push(row([m.metric, fmtMs(m.baseline), fmtMs(m.current), fmtSignedPct(m.changePct), 'no test']));
  } else out.push('_No latency data._');
  out.push('');

  out.push(`**Rules** (${r.rules.from}):`, '');
  for (const x of r.rules.results) out.push(`- ${x.fired ? '❌' : '✅'} ${mdEscape(x.message)}`);
  if (r.warnings.length) {
    out.push('', '**Warnings**', '');
    for (const w of r.warnings) out.push(`- ⚠️ ${mdEscape(w.message)}`);
  }
  if (r.endpoints.rows.length) {
    out.push('', `<details><summary>Endpoints (${r.endpoints.rows.length})</summary>`, '');
    out.push(row(['Endpoint', 'p50', 'p95', 'p99', 'p95 change']), row(['---', '---:', '---:', '---:', '---:']));
    for (const e of r.endpoints.rows) {
      const pair = (a: number | null, b: number | null) => `${fmtMs(a)} → ${fmtMs(b)}`;
      out.push(row([`${mdEscape(e.key)}${e.source === 'load' ? ' (runner)' : ''}`, pair(e.baseline.p50, e.current.p50), pair(e.baseline.p95, e.current.p95), pair(e.baseline.p99, e.current.p99), fmtSignedPct(e.changePct.p95)]));
    }
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
