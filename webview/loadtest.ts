// The live load-test section at the top of the dashboard: the run's name, state and progress, its
// totals and status codes, and two charts on the service charts' time axis (same visible window,
// same synced crosshair and brushing): achieved vs target rate, and the load generator's latency.
// Built once; a second of load updates texts in place and sets the two charts' data once each.

import type { Thresholds } from '../src/dashboard/protocol';
import { ChartCard, type AxisDef, type ChartContext, type ChartDef, type SeriesDef } from './charts';
import { h, setAttr, setHidden, setText, toggleClass } from './dom';
import { fmtClock, fmtCompact, fmtMs, fmtMsAxis, fmtRange, fmtRate } from './format';
import { fmtCodeShare, fmtCount, progress, STATE_LABEL, summarizeStatus, totalsText, type LoadModel, type StatusSummary } from './loadtest-model';
import { zeroBased } from './scales';
import { rgba, type Palette } from './theme';

export interface LoadSectionDeps {
  model: LoadModel;
  /** The dashboard's chart context (view, palette, brushing); the load charts read their own times. */
  ctx: ChartContext;
  thresholds(): Thresholds | null;
  paused(): boolean;
  onDismiss(): void;
}

const fmtConn = (v: number | null) => (v === null ? '—' : String(Math.round(v)));

/** The two load charts; the rate chart's target is req/s (open model) or connections (closed). */
export function loadChartDefs(model: LoadModel, ctx: Pick<ChartContext, 'view'>, th: () => Thresholds | null, paused: () => boolean): { rate: ChartDef; latency: ChartDef } {
  const empty = (): string | null => {
    const run = model.run;
    if (!run) return 'No load test.';
    if (model.length === 0) return run.state === 'running' ? 'Waiting for the first second of load…' : 'The run ended before a full second was recorded.';
    const first = model.first!;
    const last = model.last!;
    if (last < ctx.view.from - 1000 || first > ctx.view.to) return `The run (${fmtRange(first, last)}) is outside the visible time range${paused() ? ' — resume to follow it' : ' — choose a longer window'}.`;
    return null;
  };
  const rate: ChartDef = { id: 'load-rate', title: 'Load: achieved vs target', series: [], axes: [], empty };
  setRateModel(rate, model, 'open');
  const latency: ChartDef = {
    id: 'load-latency',
    title: 'Load: latency (load generator)',
    series: [
      { label: 'p50', scale: 'ms', color: (p) => p.blue, fmt: fmtMs, data: () => model.p50 },
      { label: 'p95', scale: 'ms', color: (p) => p.orange, width: 2, fmt: fmtMs, data: () => model.p95 },
      { label: 'p99', scale: 'ms', color: (p) => p.purple, fmt: fmtMs, data: () => model.p99 },
    ],
    axes: [{ scale: 'ms', side: 'left', fmt: fmtMsAxis, range: (_min, max) => zeroBased(max, { target: th()?.p95Ms ?? null }) }],
    thresholds: () => [{ scale: 'ms', value: th()?.p95Ms ?? null, label: `p95 target ${fmtMs(th()?.p95Ms ?? null)}` }],
    empty,
  };
  return { rate, latency };
}

/** Series and axes of the rate chart for a load model (the chart is rebuilt when it changes). */
export function setRateModel(def: ChartDef, model: LoadModel, kind: 'open' | 'closed'): void {
  const achieved: SeriesDef = { label: 'achieved', scale: 'rps', color: (p) => p.green, width: 2, fill: (p) => rgba(p.green, 0.12), fmt: fmtRate, data: () => model.achieved };
  const errors: SeriesDef = { label: 'errors', scale: 'rps', color: (p) => p.red, width: 1, fmt: fmtRate, data: () => model.errors };
  const targetColor = (p: Palette) => rgba(p.fg, 0.8);
  const rpsAxis: AxisDef = { scale: 'rps', side: 'left', fmt: (v) => `${fmtCompact(v)}/s`, range: (_min, max) => zeroBased(max) };
  if (kind === 'open') {
    def.series = [achieved, { label: 'target', scale: 'rps', color: targetColor, width: 1.5, dash: [6, 4], stepped: true, fmt: fmtRate, data: () => model.target }, errors];
    def.axes = [rpsAxis];
  } else {
    def.series = [achieved, errors, { label: 'connections', scale: 'conn', color: targetColor, width: 1.5, dash: [6, 4], stepped: true, fmt: fmtConn, data: () => model.target }];
    def.axes = [rpsAxis, { scale: 'conn', side: 'right', fmt: (v) => (Number.isInteger(v) ? `${v} conn` : ''), range: (_min, max) => zeroBased(max, { floor: 2 }) }];
  }
}

interface Stat {
  root: HTMLElement;
  value: HTMLElement;
}

export class LoadSection {
  readonly el: HTMLElement;
  readonly charts: ChartCard[];
  private readonly rateDef: ChartDef;
  private kind: 'open' | 'closed' = 'open';
  private readonly name = h('span', { class: 'load-name' });
  private readonly badge = h('span', { class: 'load-badge', role: 'status' });
  private readonly badgeText = h('span');
  private readonly prog = h('span', { class: 'load-progress' });
  private readonly fill = h('span', { class: 'load-fill' });
  private readonly elapsed = h('span', { class: 'load-elapsed' });
  private readonly modelNote = h('span', { class: 'load-model muted' });
  private readonly stats: Record<'requests' | 'rps' | 'p95' | 'errors', Stat>;
  private readonly codeBar = h('div', { class: 'load-codebar', role: 'img' });
  private readonly codeList = h('ul', { class: 'load-codelist' });
  private readonly codesEl: HTMLElement;
  private codeKey = '';
  private codeEls: { count: HTMLElement; share: HTMLElement }[] = [];
  private readonly segEls = new Map<string, HTMLElement>();
  private moreEl: HTMLElement | null = null;

  constructor(private readonly deps: LoadSectionDeps) {
    const m = deps.model;
    const ctx: ChartContext = { ...deps.ctx, times: () => m.t, loadBand: () => null };
    const defs = loadChartDefs(m, deps.ctx, deps.thresholds, deps.paused);
    this.rateDef = defs.rate;
    this.charts = [new ChartCard(defs.rate, ctx), new ChartCard(defs.latency, ctx)];

    const stat = (label: string, cls: string): Stat => {
      const value = h('span', { class: 'load-stat-value' });
      return { root: h('div', { class: `load-stat ${cls}` }, h('span', { class: 'load-stat-label' }, label), value), value };
    };
    this.stats = { requests: stat('Requests', 'requests'), rps: stat('Achieved', 'rps'), p95: stat('p95', 'p95'), errors: stat('Errors', 'errors') };

    this.badge.append(h('span', { class: 'dot', 'aria-hidden': 'true' }), this.badgeText);
    this.prog.append(h('span', { class: 'load-track', 'aria-hidden': 'true' }, this.fill), this.elapsed);
    const dismiss = h('button', { type: 'button', class: 'load-dismiss', title: 'Hide the load test until the next run' }, 'Dismiss');
    dismiss.addEventListener('click', () => deps.onDismiss());
    this.codesEl = h('div', { class: 'load-codes' }, h('span', { class: 'load-stat-label' }, 'Status codes'), this.codeBar, this.codeList);

    const summary = h(
      'div',
      { class: 'card wide load-summary' },
      h('div', { class: 'load-row load-title-row' }, h('h2', { class: 'card-title', id: 'title-load' }, 'Load test'), this.name, this.badge, this.prog, this.modelNote, dismiss),
      h('div', { class: 'load-row load-stats' }, ...Object.values(this.stats).map((s) => s.root), this.codesEl),
    );
    this.el = h('section', { class: 'load-section', 'aria-labelledby': 'title-load', hidden: true }, summary, h('div', { class: 'grid load-grid' }, ...this.charts.map((c) => c.el)));
  }

  /** Summary texts, badge, progress and status codes (cheap: only what changed is written). */
  render(): void {
    const m = this.deps.model;
    const run = m.run;
    setHidden(this.el, !m.visible);
    toggleClass(document.body, 'has-load', m.visible);
    if (!run || !m.visible) return;
    if (run.model !== this.kind) {
      this.kind = run.model;
      setRateModel(this.rateDef, m, run.model);
      this.charts[0]!.rebuild();
    }
    setText(this.name, run.name);
    setAttr(this.name, 'title', `${run.name} · started ${fmtClock(run.startedAt)}`);
    setAttr(this.badge, 'data-state', run.state);
    setText(this.badgeText, STATE_LABEL[run.state]);
    const pr = progress(run, m.length, m.last);
    setText(this.elapsed, pr.text);
    toggleClass(this.prog, 'no-duration', pr.fraction === null);
    this.fill.style.setProperty('--p', String(pr.fraction ?? 0));
    setText(this.modelNote, run.model === 'open' ? 'open model · target in req/s' : 'closed model · target in connections');
    const tt = totalsText(run);
    setText(this.stats.requests.value, tt.requests);
    setText(this.stats.rps.value, tt.rps);
    setText(this.stats.p95.value, tt.p95);
    setText(this.stats.errors.value, tt.errors);
    toggleClass(this.stats.errors.root, 'bad', tt.hasErrors);
    const p95Target = this.deps.thresholds()?.p95Ms ?? null;
    toggleClass(this.stats.p95.root, 'bad', run.p95 !== null && p95Target !== null && run.p95 > p95Target);
    this.renderCodes(summarizeStatus(m.status));
  }

  private renderCodes(s: StatusSummary): void {
    setHidden(this.codesEl, s.total === 0);
    if (s.total === 0) return;
    const key = JSON.stringify([s.classes.map((c) => c.cls), s.codes.map((c) => c.code), s.more > 0]);
    if (key !== this.codeKey) {
      this.codeKey = key;
      this.segEls.clear();
      this.codeBar.replaceChildren(
        ...s.classes.map((c) => {
          const seg = h('span', { class: 'seg', 'data-cls': c.cls });
          this.segEls.set(c.cls, seg);
          return seg;
        }),
      );
      this.codeEls = [];
      const items: HTMLElement[] = s.codes.map((c) => {
        const count = h('span', { class: 'code-count' });
        const share = h('span', { class: 'code-share muted' });
        this.codeEls.push({ count, share });
        return h('li', { class: c.bad ? 'bad' : null, 'data-cls': c.cls }, h('span', { class: 'code-swatch', 'aria-hidden': 'true' }), h('span', { class: 'code' }, c.label), count, share);
      });
      this.moreEl = s.more > 0 ? h('li', { class: 'muted code-more' }) : null;
      if (this.moreEl) items.push(this.moreEl);
      this.codeList.replaceChildren(...items);
    }
    for (const c of s.classes) this.segEls.get(c.cls)?.style.setProperty('--w', `${(c.share * 100).toFixed(2)}%`);
    s.codes.forEach((c, i) => {
      const els = this.codeEls[i];
      if (!els) return;
      setText(els.count, fmtCount(c.count));
      setText(els.share, fmtCodeShare(c.share));
    });
    if (this.moreEl) setText(this.moreEl, `+${s.more} more`);
    setAttr(this.codeBar, 'aria-label', `Status codes: ${s.classes.map((c) => `${c.cls} ${fmtCodeShare(c.share)}`).join(', ')}`);
  }

  /** New seconds (or a new view): one setData per chart. */
  updateCharts(): void {
    if (!this.deps.model.visible) return;
    for (const c of this.charts) c.update();
  }

  /** Theme change: the charts are built again with the new colours. */
  rebuild(): void {
    for (const c of this.charts) c.rebuild();
    this.updateCharts();
  }
}
