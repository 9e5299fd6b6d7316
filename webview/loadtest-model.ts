// The load test the dashboard shows: the run's seconds held column by column (like History, so the
// load charts hand uPlot the same arrays every second), the status codes summed over the run, the
// texts of the summary strip, and the time span shaded on the service charts. Pure (no DOM),
// unit-tested.

import type { LoadRunView, LoadSecondView, LoadTestMessage } from '../src/dashboard/protocol';
import { finite, fmtMs, fmtRate } from './format';
import type { Column } from './history';

/** A time range in ms (the same shape as the charts' Range; this module stays free of the DOM). */
export interface Range {
  from: number;
  to: number;
}

/** Seconds held at most (one day, as the host keeps); the oldest go first. */
export const MAX_LOAD_SECONDS = 86_400;

export type LoadState = LoadRunView['state'];

export interface LoadModelOptions {
  maxSeconds?: number;
  /** Drop expired seconds only once this many have piled up (amortizes the splice). */
  trimSlack?: number;
}

/** What one `loadTest` message changed. */
export interface LoadApplied {
  /** The held seconds were replaced (a reset, or another run than the one held). */
  replaced: boolean;
  /** A run with another id than before (the section shows again after a dismiss). */
  newRun: boolean;
  /** Seconds appended (after a replace: how many are held). */
  added: number;
  /** The run's state changed (running → done, …). */
  stateChanged: boolean;
}

export class LoadModel {
  run: LoadRunView | null = null;
  readonly t: number[] = [];
  readonly achieved: Column = [];
  readonly target: Column = [];
  readonly errors: Column = [];
  readonly p50: Column = [];
  readonly p95: Column = [];
  readonly p99: Column = [];
  /** HTTP status code → responses, over every second of the run received (trimmed ones too). */
  readonly status = new Map<string, number>();
  /** Id of the run the user dismissed; the section stays hidden until another run starts. */
  private dismissedId: string | null = null;
  private readonly maxSeconds: number;
  private readonly trimSlack: number;

  constructor(opts: LoadModelOptions = {}) {
    this.maxSeconds = Math.max(1, opts.maxSeconds ?? MAX_LOAD_SECONDS);
    this.trimSlack = Math.max(0, opts.trimSlack ?? 600);
  }

  get length(): number {
    return this.t.length;
  }

  get first(): number | undefined {
    return this.t[0];
  }

  get last(): number | undefined {
    return this.t[this.t.length - 1];
  }

  /** A run is held and the user has not dismissed it. */
  get visible(): boolean {
    return this.run !== null && this.run.id !== this.dismissedId;
  }

  dismiss(): void {
    if (this.run) this.dismissedId = this.run.id;
  }

  apply(m: Pick<LoadTestMessage, 'run' | 'seconds' | 'reset'>): LoadApplied {
    const run = sanitizeRun(m.run);
    if (!run) return { replaced: false, newRun: false, added: 0, stateChanged: false };
    const prev = this.run;
    const newRun = prev?.id !== run.id;
    // A delta for another run than the one held (its first message was missed) replaces it too.
    const replaced = m.reset === true || newRun;
    const stateChanged = prev?.state !== run.state || newRun;
    this.run = run;
    if (replaced) this.clear();
    const added = this.append(Array.isArray(m.seconds) ? m.seconds : []);
    return { replaced, newRun, added: replaced ? this.length : added, stateChanged };
  }

  /** Seconds oldest first; those not newer than the last held are skipped (x strictly increasing). */
  private append(seconds: readonly LoadSecondView[]): number {
    let added = 0;
    for (const s of seconds) {
      const t = finite(s?.t);
      if (t === null) continue;
      const lastT = this.last;
      if (lastT !== undefined && t <= lastT) continue;
      this.t.push(t);
      this.achieved.push(finite(s.achieved));
      this.target.push(finite(s.target));
      this.errors.push(finite(s.errors));
      this.p50.push(finite(s.p50));
      this.p95.push(finite(s.p95));
      this.p99.push(finite(s.p99));
      const st = s.status;
      if (st && typeof st === 'object') {
        for (const code in st) {
          const n = finite(st[code]);
          if (n !== null && n > 0) this.status.set(code, (this.status.get(code) ?? 0) + n);
        }
      }
      added++;
    }
    if (added) this.trim();
    return added;
  }

  private columns(): (number[] | Column)[] {
    return [this.t, this.achieved, this.target, this.errors, this.p50, this.p95, this.p99];
  }

  private clear(): void {
    for (const c of this.columns()) c.length = 0;
    this.status.clear();
  }

  /** Drops the oldest seconds past the bound once enough have piled up (or now, with force). */
  trim(force = false): number {
    const k = this.t.length - this.maxSeconds;
    if (k <= 0 || (!force && k < this.trimSlack)) return 0;
    for (const c of this.columns()) c.splice(0, k);
    return k;
  }

  /** The run's time span to shade on the service charts, or null (no run, or dismissed). */
  band(now: number): Range | null {
    return this.visible ? bandRange(this.run!, this.last, now) : null;
  }

  /** The load charts' series (what debugState reports; names as the host's LoadSecondView). */
  debugSeries(): Record<string, { t: number[]; v: (number | null)[] }> {
    if (!this.run) return {};
    const t = this.t.slice();
    return {
      'load:achieved': { t, v: this.achieved.slice() },
      'load:target': { t, v: this.target.slice() },
      'load:p95': { t, v: this.p95.slice() },
    };
  }
}

function sanitizeRun(r: LoadRunView | null | undefined): LoadRunView | null {
  if (!r || typeof r !== 'object' || typeof r.id !== 'string') return null;
  const state: LoadState = r.state === 'done' || r.state === 'cancelled' || r.state === 'failed' ? r.state : 'running';
  return {
    id: r.id,
    name: typeof r.name === 'string' && r.name ? r.name : 'Load test',
    startedAt: finite(r.startedAt) ?? 0,
    durationS: Math.max(0, finite(r.durationS) ?? 0),
    model: r.model === 'closed' ? 'closed' : 'open',
    state,
    requests: Math.max(0, finite(r.requests) ?? 0),
    rps: Math.max(0, finite(r.rps) ?? 0),
    p95: finite(r.p95),
    errors: Math.max(0, finite(r.errors) ?? 0),
  };
}

/**
 * From the run's start to its end: now while it runs (the band grows with time), else the end of
 * its last second (the start when it ended before a second was over).
 */
export function bandRange(run: LoadRunView, lastSecond: number | undefined, now: number): Range {
  const from = run.startedAt;
  const last = lastSecond ?? from;
  const to = run.state === 'running' ? Math.max(now, last) : last;
  return { from, to: Math.max(from, to) };
}

// ── the visible time window ───────────────────────────────────────────────────

export interface ViewInput {
  spanMs: number;
  historyFirst: number | undefined;
  historyLast: number | undefined;
  /** The load run's seconds held (undefined: no run, or it is not shown). */
  loadFirst: number | undefined;
  loadLast: number | undefined;
  /** The service's scrape interval. */
  intervalMs: number;
  /** Where the user paused (null: live). */
  pausedAt: number | null;
  now: number;
}

/**
 * Where the data end, for the visible window: the service's newest point, so a load second does
 * not move the window (the service charts would have to redraw every second to stay aligned).
 * The load test leads only when the service has fallen behind it by more than two scrapes
 * (down, not connected, or the load took it out), so a run is never drawn off the right edge.
 */
export function dataEnd(v: Omit<ViewInput, 'spanMs' | 'pausedAt'>): number {
  const stale = Math.max(2 * v.intervalMs, 2000);
  const h = v.historyLast;
  const l = v.loadLast;
  if (h === undefined) return l ?? v.now;
  if (l !== undefined && l - h > stale) return l;
  return h;
}

/**
 * The visible range: the window ending where the data end (or where the user paused). While the
 * data are shorter than the window, it starts at the first point instead, so lines grow from the
 * left. The load run counts as data when it is recent (within a window of the service's end).
 */
export function viewRange(v: ViewInput): Range {
  const span = v.spanMs;
  let end = v.pausedAt ?? dataEnd(v);
  let first = v.historyFirst;
  if (v.loadFirst !== undefined && v.loadLast !== undefined && v.loadLast >= end - span) first = first === undefined ? v.loadFirst : Math.min(first, v.loadFirst);
  if (first !== undefined && end - first < span) end = first + span;
  return { from: end - span, to: end };
}

// ── texts ─────────────────────────────────────────────────────────────────────

const DASH = '—';
const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtCount(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? DASH : grouping.format(Math.round(v));
}

/** Seconds as m:ss, or h:mm:ss from an hour. */
export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface LoadTotals {
  requests: string;
  rps: string;
  p95: string;
  errors: string;
  /** Whether any request failed (the errors total is then highlighted). */
  hasErrors: boolean;
}

export function totalsText(run: LoadRunView): LoadTotals {
  const share = run.requests > 0 && run.errors > 0 ? ` (${fmtShare(run.errors / run.requests)})` : '';
  return {
    requests: fmtCount(run.requests),
    rps: fmtRate(run.rps),
    p95: fmtMs(run.p95),
    errors: `${fmtCount(run.errors)}${share}`,
    hasErrors: run.errors > 0,
  };
}

/** A share 0–1 as a percentage that never reads 0 % or 100 % unless it is exactly that. */
export function fmtShare(v: number): string {
  if (!Number.isFinite(v)) return DASH;
  const p = v * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 0.1) return '<0.1%';
  if (p > 99.9) return '>99.9%';
  return `${p.toFixed(p < 10 ? 1 : 0)}%`;
}

/** A status code's share of the responses, short: whole percent, "<1%" for a trickle. */
export function fmtCodeShare(v: number): string {
  if (!Number.isFinite(v)) return DASH;
  const p = v * 100;
  if (p > 0 && p < 1) return '<1%';
  if (p > 99 && p < 100) return '>99%';
  return `${Math.round(p)}%`;
}

export const STATE_LABEL: Record<LoadState, string> = { running: 'Running', done: 'Done', cancelled: 'Cancelled', failed: 'Failed' };

export interface ProgressView {
  /** 0–1, or null when the run has no planned duration. */
  fraction: number | null;
  text: string;
}

/**
 * Elapsed against the planned duration, from the seconds recorded (they arrive once a second, so
 * the text moves with them; the wall clock is not needed and cannot disagree with the data).
 */
export function progress(run: LoadRunView, secondsHeld: number, lastSecond: number | undefined): ProgressView {
  const elapsed = Math.max(0, secondsHeld, lastSecond === undefined ? 0 : (lastSecond - run.startedAt) / 1000);
  const dur = run.durationS;
  if (!(dur > 0)) return { fraction: null, text: fmtDuration(elapsed) };
  const e = Math.min(elapsed, dur);
  const fraction = run.state === 'done' ? 1 : e / dur;
  return { fraction, text: `${fmtDuration(e)} / ${fmtDuration(dur)}` };
}

// ── status codes ──────────────────────────────────────────────────────────────

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other';
export const STATUS_CLASS_ORDER: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'other', '1xx'];

export interface CodeCount {
  /** '200', …, or 'other' (no HTTP status: connection error, timeout). */
  code: string;
  label: string;
  count: number;
  share: number;
  cls: StatusClass;
  /** 5xx and failed requests (highlighted). */
  bad: boolean;
}

export interface StatusSummary {
  total: number;
  /** Per class in stacking order, classes with no responses left out. */
  classes: { cls: StatusClass; count: number; share: number }[];
  /** Codes by code ('other' last), at most `maxCodes`; the rest summed in `more`. */
  codes: CodeCount[];
  more: number;
}

export function statusClass(code: string): StatusClass {
  const n = /^\d{3}$/.test(code) ? Number(code) : NaN;
  if (n >= 100 && n < 200) return '1xx';
  if (n >= 200 && n < 300) return '2xx';
  if (n >= 300 && n < 400) return '3xx';
  if (n >= 400 && n < 500) return '4xx';
  if (n >= 500 && n < 600) return '5xx';
  return 'other';
}

/** Codes in a run, summed by class for the stacked bar, and the busiest codes for the list. */
export function summarizeStatus(counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>, maxCodes = 8): StatusSummary {
  const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
  let total = 0;
  const byClass = new Map<StatusClass, number>();
  const codes: CodeCount[] = [];
  for (const [code, raw] of entries) {
    const count = finite(raw);
    if (count === null || count <= 0) continue;
    total += count;
    const cls = statusClass(code);
    byClass.set(cls, (byClass.get(cls) ?? 0) + count);
    codes.push({ code, label: cls === 'other' ? 'no response' : code, count, share: 0, cls, bad: cls === '5xx' || cls === 'other' });
  }
  for (const c of codes) c.share = c.count / total;
  // The busiest codes are kept; shown in code order, the failed requests last.
  const kept = codes
    .slice()
    .sort((a, b) => b.count - a.count || codeOrder(a.code, b.code))
    .slice(0, Math.max(0, maxCodes))
    .sort((a, b) => codeOrder(a.code, b.code));
  const more = codes.length - kept.length;
  const classes = STATUS_CLASS_ORDER.filter((c) => (byClass.get(c) ?? 0) > 0).map((cls) => ({ cls, count: byClass.get(cls)!, share: byClass.get(cls)! / total }));
  return { total, classes, codes: kept, more };
}

function codeOrder(a: string, b: string): number {
  const na = statusClass(a) === 'other' ? Infinity : Number(a);
  const nb = statusClass(b) === 'other' ? Infinity : Number(b);
  return na - nb || (a < b ? -1 : a > b ? 1 : 0);
}
