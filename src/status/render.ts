// The status bar as a pure function of the monitor state (no vscode import: unit-tested in Node).

import type { MonitorState } from '../core/monitor';
import type { RuleStatus, SignalName } from '../core/health';
import { fmtAgo, fmtMs, fmtPct, fmtRate, fmtTime } from '../core/format';

export type StatusInput = { kind: 'idle' } | MonitorState;

export interface StatusView {
  text: string;
  /** Markdown table. */
  tooltip: string;
  /** Which theme background: none, warning or error. */
  level: 'none' | 'warning' | 'error';
}

const LABEL: Record<SignalName, string> = { p95Ms: 'p95 latency', errorRate: 'Error rate', cacheHitRate: 'Cache hit-rate', poolUtilization: 'DB pool utilization' };

function fmtSignal(name: SignalName, v: number | null): string {
  return name === 'p95Ms' ? fmtMs(v) : fmtPct(v);
}

function stateWord(r: RuleStatus, now: number): string {
  const held = fmtAgo(now - r.since).replace(' ago', '');
  switch (r.state) {
    case 'unknown':
      return 'not exposed';
    case 'ok':
      return '✓ ok';
    case 'pending':
      return `past target for ${held} (waiting)`;
    case 'firing':
      return `✗ past target (${held})`;
    case 'resolving':
      return `recovering (${held})`;
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** What other features add to the indicator: followed logs' slow lines, the last baseline verdict. */
export interface StatusExtras {
  /** Slow lines per minute over the followed log files (null: nothing followed). */
  slowPerMinute?: { count: number; files: number } | null;
  /** The last run compared with the default baseline. */
  compare?: { verdict: 'improved' | '~' | 'regressed'; baseline: string; detail: string } | null;
}

const VERDICT_TEXT = { improved: '$(arrow-down) faster', '~': '~ baseline', regressed: '$(arrow-up) regressed' } as const;

export function renderStatus(s: StatusInput, now: number, extras: StatusExtras = {}): StatusView {
  const v = renderHealth(s, now);
  const text: string[] = [v.text];
  const tips: string[] = [];
  const slow = extras.slowPerMinute;
  if (slow) {
    text.push(`${slow.count} slow/min`);
    tips.push(`**Slow requests**: ${slow.count} per minute in ${slow.files} followed log file${slow.files === 1 ? '' : 's'}`);
  }
  const cmp = extras.compare;
  if (cmp) {
    text.push(VERDICT_TEXT[cmp.verdict]);
    tips.push(`**Last run vs baseline "${escapeMd(cmp.baseline)}"**: ${cmp.verdict === '~' ? 'no significant change' : cmp.verdict} — ${escapeMd(cmp.detail)}`);
  }
  if (text.length === 1) return v;
  const level = v.level === 'none' && cmp?.verdict === 'regressed' ? 'warning' : v.level;
  return { text: text.join(' · '), tooltip: [v.tooltip, '', ...tips].join('\n'), level };
}

function renderHealth(s: StatusInput, now: number): StatusView {
  switch (s.kind) {
    case 'idle':
      return { text: '$(pulse) Pulse', tooltip: '**Pulse** — not connected.\n\nClick to see details, or run *Pulse: Connect to Metrics Endpoint…*', level: 'none' };
    case 'connecting':
      return { text: '$(loading~spin) Pulse: connecting…', tooltip: `**Pulse** — connecting to ${escapeMd(s.url)}…`, level: 'none' };
    case 'down': {
      const last = s.lastOk ? `last good scrape ${fmtAgo(now - s.lastOk)}` : 'no successful scrape yet';
      return {
        text: `$(debug-disconnect) Pulse: down — ${short(s.reason)}`,
        tooltip: `**Pulse** — endpoint down since ${fmtTime(s.since)}\n\n${escapeMd(s.url)}\n\n**${escapeMd(s.reason)}**\n\n${last}; ${s.failures} failed scrape${s.failures === 1 ? '' : 's'}. Retrying at the scrape interval.`,
        level: 'error',
      };
    }
    case 'noData':
      return { text: '$(pulse) Pulse: no data yet', tooltip: `**Pulse** — ${escapeMd(s.url)}\n\n${escapeMd(s.reason)}\n\nLast scrape ${fmtTime(s.last.at)}.`, level: 'none' };
    case 'ok': {
      const sig = s.signals;
      const parts: string[] = [];
      if (sig.p95Ms !== null) parts.push(`p95 ${fmtMs(sig.p95Ms)}`);
      else if (sig.meanMs !== null) parts.push(`avg ${fmtMs(sig.meanMs)}`);
      if (sig.errorRate !== null) parts.push(`${fmtPct(sig.errorRate)} err`);
      if (sig.cacheHitRate !== null) parts.push(`hit ${fmtPct(sig.cacheHitRate, 0)}`);
      if (sig.poolUtilization !== null) parts.push(`pool ${fmtPct(sig.poolUtilization, 0)}`);
      const icon = s.evaluation.level === 'ok' ? '$(pulse)' : s.evaluation.level === 'error' ? '$(error)' : '$(warning)';
      const rows = s.evaluation.rules.map((r) => `| ${LABEL[r.signal]} | ${fmtSignal(r.signal, r.value)} | ${r.direction === 'max' ? '≤' : '≥'} ${fmtSignal(r.signal, r.target)} | ${stateWord(r, now)} |`);
      const extra = [
        sig.p50Ms !== null ? `p50 ${fmtMs(sig.p50Ms)}` : '',
        sig.p99Ms !== null ? `p99 ${fmtMs(sig.p99Ms)}` : '',
        sig.requestRate !== null ? `${fmtRate(sig.requestRate)} requests` : '',
      ].filter(Boolean);
      const tooltip = [
        `**Pulse** — ${escapeMd(s.url)}`,
        '',
        '| Signal | Now | Target | State |',
        '|:--|--:|--:|:--|',
        ...rows,
        '',
        extra.length ? `${extra.join(' · ')} over ${sig.windowSeconds} s\n` : '',
        `Last scrape ${fmtTime(s.last.at)} (${fmtAgo(now - s.last.at)}), ${s.last.durationMs.toFixed(0)} ms, ${s.last.seriesCount} series`,
      ].join('\n');
      return { text: `${icon} ${parts.length ? parts.join(' · ') : 'Pulse: no signals'}`, tooltip, level: s.evaluation.level === 'ok' ? 'none' : s.evaluation.level };
    }
  }
}

function short(reason: string): string {
  const r = reason.replace(/ \(.*\)$/, '');
  return r.length > 48 ? `${r.slice(0, 47)}…` : r;
}
