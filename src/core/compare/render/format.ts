// Number and label formatting shared by the comparison renderers (text, Markdown, HTML), so the
// three say the same thing the same way. No vscode import.

import type { Verdict } from '../compare';
import type { RunSide } from '../report';
import type { Target, TargetRow } from '../targets';

export function fmtMs(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (v >= 10_000) return `${(v / 1000).toFixed(2)} s`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
}

/** A value in a target row's unit. */
export function fmtValue(unit: TargetRow['unit'], v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'ms':
      return fmtMs(v);
    case 'req/s':
      return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} req/s`;
    case 'ratio': {
      const p = v * 100;
      return `${p !== 0 && Math.abs(p) < 1 ? p.toFixed(2) : p.toFixed(1)} %`;
    }
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'MB':
      return `${v.toFixed(0)} MB`;
  }
}

const OP_TEXT: Record<Target['op'], string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

export function fmtTarget(row: Pick<TargetRow, 'unit'>, t: Target | null): string {
  return t ? `${OP_TEXT[t.op]} ${fmtValue(row.unit, t.value)}` : '—';
}

export function fmtSignedPct(v: number | null, digits = 1): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)} %`;
}

/** A row's change: percentage points for ratios (a rate's relative change misleads), else relative. */
export function fmtChange(row: TargetRow): string {
  if (row.unit === 'ratio') return row.diff === null ? '—' : `${row.diff >= 0 ? '+' : '−'}${Math.abs(row.diff * 100).toFixed(2)} pp`;
  return fmtSignedPct(row.changePct);
}

export function fmtP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

export function fmtCI(ci: [number, number]): string {
  return `[${fmtSignedPct(ci[0])}, ${fmtSignedPct(ci[1])}]`;
}

export function verdictWord(v: Verdict): string {
  return v === '~' ? '~ (no significant change)' : v;
}

/** "name (run "x", 2026-01-23 14:30, git abc1234 on main, dirty)". */
export function describeSide(s: RunSide): string {
  const parts = [s.createdAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')];
  if (s.runName !== s.name) parts.unshift(`run “${s.runName}”`);
  if (s.git) parts.push(`git ${s.git.commit.slice(0, 7)}${s.git.branch ? ` on ${s.git.branch}` : ''}${s.git.dirty ? ', dirty' : ''}`);
  parts.push(s.machine);
  return `${s.name} (${parts.join(', ')})`;
}

export const BASIS_LABEL: Record<RunSide['latencyBasis'], string> = {
  histogram: 'load generator’s HDR histogram',
  heat: 'service’s histogram buckets',
  percentiles: 'percentiles only',
  none: 'no latency data',
};
