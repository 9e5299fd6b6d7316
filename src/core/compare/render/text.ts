// A comparison report as plain text for terminals (`pulse compare`). No vscode import.

import type { ComparisonReport } from '../report';
import { BASIS_LABEL, describeSide, fmtChange, fmtCI, fmtMs, fmtP, fmtSignedPct, fmtTarget, fmtValue, verdictWord } from './format';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd());
}

const mark = (m: boolean | null) => (m === null ? '' : m ? ' ✓' : ' ✗');

export function renderText(r: ComparisonReport): string {
  const out: string[] = [`Pulse comparison: ${r.summary}`, `  baseline  ${describeSide(r.baseline)}`, `  current   ${describeSide(r.current)}`];
  if (r.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w.message}`);
  }
  out.push('', `Latency (baseline: ${BASIS_LABEL[r.baseline.latencyBasis]}${r.baseline.samples !== null ? `, ${r.baseline.samples} samples` : ''}; current: ${BASIS_LABEL[r.current.latencyBasis]}${r.current.samples !== null ? `, ${r.current.samples} samples` : ''}):`);
  const l = r.latency;
  if (l.kind === 'distribution') {
    const c = l.comparison;
    out.push(...table([['metric', 'baseline', 'current', 'change', `${Math.round(c.confidence * 100)} % CI`, 'p', 'verdict'], ...c.metrics.map((m) => [m.metric, fmtMs(m.baseline), fmtMs(m.current), fmtSignedPct(m.changePct), fmtCI(m.changeCI), fmtP(m.p), m.verdict + (m.tooFewSamples ? ' (too few samples)' : '')])]));
  } else if (l.kind === 'percentiles') {
    out.push(...table([['metric', 'baseline', 'current', 'change', ''], ...l.rows.map((m) => [m.metric, fmtMs(m.baseline), fmtMs(m.current), fmtSignedPct(m.changePct), 'no test'])]));
  } else out.push('  (no latency data)');
  out.push('', 'Targets:');
  out.push(...table([['metric', 'baseline', 'target', 'current', 'change'], ...r.targets.map((t) => [t.label, fmtValue(t.unit, t.baseline) + mark(t.baselineMeets), fmtTarget(t, t.target), fmtValue(t.unit, t.current) + mark(t.currentMeets), fmtChange(t)])]));
  out.push('', `Rules (${r.rules.from}):`);
  for (const x of r.rules.results) out.push(`  ${x.fired ? '✗' : '✓'} ${x.message}`);
  if (r.endpoints.rows.length) {
    out.push('', 'Endpoints (p95):');
    out.push(...table([['endpoint', 'baseline', 'current', 'change'], ...r.endpoints.rows.map((e) => [`${e.key}${e.source === 'load' ? ' (runner)' : ''}`, fmtMs(e.baseline.p95), fmtMs(e.current.p95), fmtSignedPct(e.changePct.p95)])]));
  }
  return `${out.join('\n')}\n`;
}
