// Time-series chart cards on uPlot: every chart shares the x range (the visible window), the
// cursor (uPlot cursor.sync: one crosshair across charts, exact values and time in each legend),
// the brushed range, and draws its targets as dashed horizontal lines. A card with nothing to show
// says why instead of drawing an empty canvas.

import uPlot from 'uplot';
import { h, setHidden, setText } from './dom';
import { fmtClock, fmtClockShort } from './format';
import type { Column } from './history';
import { lowerBound } from './history';
import { rgba, type Palette } from './theme';

export const SYNC_KEY = 'pulse';
export const PLOT_HEIGHT = 190;
const LEFT_AXIS = 60;
const RIGHT_AXIS = 56;

export interface Range {
  from: number;
  to: number;
}

/** What every chart reads from the dashboard. */
export interface ChartContext {
  /** The visible x range, updated in place by the dashboard. */
  readonly view: Range;
  palette(): Palette;
  times(): readonly number[];
  /** The brushed range drawn on every chart, or null. */
  brushed(): Range | null;
  onBrush(from: number, to: number): void;
  onClearBrush(): void;
  /** The load test's time span, shaded on the service charts (null: no run shown). */
  loadBand?(): LoadBand | null;
}

export interface LoadBand extends Range {
  /** Still running: the band has no end edge yet. */
  running: boolean;
}

export interface Threshold {
  scale: string;
  value: number | null;
  label: string;
}

export interface SeriesDef {
  label: string;
  scale: string;
  color(p: Palette): string;
  width?: number;
  dash?: number[];
  /** Area fill (to zero, or to the series below when banded). */
  fill?(p: Palette): string;
  /** Step line (counts such as pool connections). */
  stepped?: boolean;
  fmt(v: number | null): string;
  data(): Column;
  /** Values shown in the legend when they differ from the drawn ones (stacked series). */
  raw?(): Column;
}

export interface AxisDef {
  scale: string;
  side: 'left' | 'right';
  fmt(v: number): string;
  /** y range from the visible data's min/max (either may be null when nothing is visible). */
  range(min: number | null, max: number | null): [number, number];
}

export interface ChartDef {
  id: string;
  title: string;
  series: SeriesDef[];
  axes: AxisDef[];
  /** Grid drawn over the series (for opaque stacked areas). */
  gridOnTop?: boolean;
  thresholds?(): Threshold[];
  /** Extra drawing under the series (after grid), e.g. pool saturation. */
  drawUnder?(u: uPlot, p: Palette): void;
  /** Why the chart cannot be drawn (shown instead of it), or null. */
  empty(): string | null;
}

/** A card: title, tools slot, plot (uPlot is created on first data and on theme change). */
export class Card {
  readonly el: HTMLElement;
  readonly head: HTMLElement;
  readonly tools: HTMLElement;
  protected readonly plotEl: HTMLElement;
  protected readonly emptyEl: HTMLElement;
  protected u: uPlot | null = null;
  protected width = 0;
  /** Height of plot + axes (CSS px; the legend comes below). */
  protected readonly height: number;
  /** Off screen (with a margin), a card only notes that it is stale and draws when scrolled to. */
  protected visible = true;
  protected stale = false;
  private readonly ro: ResizeObserver;
  private readonly io: IntersectionObserver;

  constructor(readonly id: string, title: string, extraClass = '', height = PLOT_HEIGHT) {
    this.height = height;
    this.tools = h('div', { class: 'card-tools' });
    this.head = h('header', { class: 'card-head' }, h('h2', { class: 'card-title', id: `title-${id}` }, title), this.tools);
    this.plotEl = h('div', { class: 'plot', role: 'figure', 'aria-labelledby': `title-${id}` });
    this.emptyEl = h('p', { class: 'card-empty', hidden: true });
    this.el = h('section', { class: `card ${extraClass}`.trim(), 'data-chart': id }, this.head, this.plotEl, this.emptyEl);
    this.ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[entries.length - 1]!.contentRect.width);
      if (w > 0 && w !== this.width) {
        this.width = w;
        this.u?.setSize({ width: w, height: this.height });
      }
    });
    this.ro.observe(this.plotEl);
    this.io = new IntersectionObserver(
      (entries) => {
        this.visible = entries[entries.length - 1]!.isIntersecting;
        if (this.visible && this.stale) this.update();
      },
      { rootMargin: '300px 0px' },
    );
    this.io.observe(this.el);
  }

  /** Redraws from the current data (subclasses draw; this base only tracks visibility). */
  update(): void {}

  /** True when the caller should draw now; otherwise remembers to draw once visible. */
  protected shouldDraw(): boolean {
    this.stale = !this.visible;
    return this.visible;
  }

  /** Shows `reason` instead of the plot (null: show the plot). Returns whether the plot is shown. */
  protected showEmpty(reason: string | null): boolean {
    setHidden(this.emptyEl, reason === null);
    if (reason !== null) setText(this.emptyEl, reason);
    setHidden(this.plotEl, reason !== null);
    this.el.classList.toggle('is-empty', reason !== null);
    return reason === null;
  }

  protected plotWidth(): number {
    if (this.width <= 0) this.width = Math.floor(this.plotEl.getBoundingClientRect().width) || 300;
    return this.width;
  }

  /** Drops the uPlot instance; the next update builds it again (new theme colours). */
  rebuild(): void {
    this.u?.destroy();
    this.u = null;
  }

  /** The uPlot instance, for tests and the debug hooks. */
  get plot(): uPlot | null {
    return this.u;
  }
}

export class ChartCard extends Card {
  private data: uPlot.AlignedData = [[]];

  constructor(
    readonly def: ChartDef,
    private readonly ctx: ChartContext,
  ) {
    super(def.id, def.title);
  }

  /** Re-reads the data (the same arrays, appended to) and redraws: one setData per tick. */
  override update(): void {
    if (!this.showEmpty(this.def.empty()) || !this.shouldDraw()) return;
    const d = this.def;
    const data: uPlot.AlignedData = [this.ctx.times() as number[], ...d.series.map((s) => s.data())];
    this.data = data;
    if (!this.u) this.u = new uPlot(this.options(), data, this.plotEl);
    else this.u.setData(data, true);
  }

  /** Redraws without new data (the view or the brushed range moved). */
  redraw(): void {
    if (this.u && !this.plotEl.hidden && this.shouldDraw()) this.u.setData(this.data, true);
  }

  private options(): uPlot.Options {
    const d = this.def;
    const ctx = this.ctx;
    const pal = ctx.palette();
    const hasRight = d.axes.some((a) => a.side === 'right');
    const lastIdx = () => lowerBound(ctx.times() as number[], ctx.view.to + 1) - 1;
    const series: uPlot.Series[] = [
      {
        label: 'Time',
        value: (_u, v, _s, idx) => {
          if (idx === null) {
            const t = ctx.times()[lastIdx()];
            return t === undefined ? '—' : `${fmtClock(t)} (latest)`;
          }
          return fmtClock(v);
        },
      },
    ];
    for (const s of d.series) {
      const color = s.color(pal);
      const opt: uPlot.Series = {
        label: s.label,
        scale: s.scale,
        stroke: color,
        width: s.width ?? 1.5,
        points: { show: false },
        value: (_u, v, _si, idx) => {
          const raw = s.raw?.();
          if (idx === null) {
            const i = lastIdx();
            return s.fmt(i < 0 ? null : ((raw ?? s.data())[i] ?? null));
          }
          return s.fmt(raw ? (raw[idx] ?? null) : v);
        },
      };
      if (s.dash) opt.dash = s.dash;
      if (s.stepped) opt.paths = steppedWhenSparse();
      if (s.fill) opt.fill = s.fill(pal);
      series.push(opt);
    }
    const scales: uPlot.Scales = { x: { time: true, range: () => [ctx.view.from, ctx.view.to] } };
    const axes: uPlot.Axis[] = [xAxis(pal)];
    for (const a of d.axes) {
      scales[a.scale] = { range: (_u, min, max) => a.range(Number.isFinite(min) ? min : null, Number.isFinite(max) ? max : null) };
      axes.push(yAxis(pal, a.scale, a.side, a.fmt));
    }
    const opts = baseOptions(ctx, pal, this.plotWidth(), this.height, hasRight);
    opts.series = series;
    opts.scales = scales;
    opts.axes = axes;
    if (d.gridOnTop) opts.drawOrder = ['series', 'axes'] as uPlot.DrawOrderKey[];
    opts.hooks = {
      ...opts.hooks,
      drawAxes: [(u) => drawLoadBand(u, ctx, pal, true), (u) => drawBrushed(u, ctx, pal), ...(d.drawUnder ? [(u: uPlot) => d.drawUnder!(u, pal)] : [])],
      draw: [(u) => d.thresholds && drawThresholds(u, d.thresholds(), pal)],
    };
    return opts;
  }
}

/**
 * Steps while each point has pixels to itself; a plain (decimating) line once points outnumber
 * pixels, where steps would look the same and cost a segment pair per point.
 */
function steppedWhenSparse(): uPlot.Series.PathBuilder {
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const linear = uPlot.paths.linear!();
  return (u, si, i0, i1) => (i1 - i0 > u.bbox.width / uPlot.pxRatio / 2 ? linear : stepped)(u, si, i0, i1);
}

/** Options every chart shares: size, time in ms, synced cursor, drag-to-brush, padding that lines up the plots. */
export function baseOptions(ctx: ChartContext, pal: Palette, width: number, height: number, hasRightAxis: boolean): uPlot.Options {
  return {
    width,
    height,
    ms: 1,
    series: [],
    // Charts without a right axis keep its room, so every plot area starts and ends at the same x.
    padding: [10, hasRightAxis ? 4 : RIGHT_AXIS + 4, 0, 4],
    legend: { show: true, live: true, markers: { width: 2 } },
    cursor: {
      sync: {
        key: SYNC_KEY,
        setSeries: false,
        scales: ['x', null],
        // Brushing stays on the chart dragged on; the brushed range is then drawn on all of them.
        filters: { pub: (type) => type !== 'mousedown' && type !== 'mouseup' },
      },
      drag: { x: true, y: false, setScale: false, dist: 4 },
      y: false,
      points: { size: 7, width: 2, fill: pal.bg },
      focus: { prox: -1 },
      bind: {
        dblclick: () => () => {
          ctx.onClearBrush();
          return null;
        },
      },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      setSelect: [
        (u) => {
          const { left, width } = u.select;
          if (width < 4) return;
          const from = u.posToVal(left, 'x');
          const to = u.posToVal(left + width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          ctx.onBrush(Math.round(from), Math.round(to));
        },
      ],
    },
  };
}

export function xAxis(pal: Palette): uPlot.Axis {
  return {
    scale: 'x',
    stroke: pal.axis,
    font: `11px ${pal.font}`,
    grid: { stroke: pal.grid, width: 1 },
    ticks: { stroke: pal.grid, width: 1, size: 4 },
    space: 56,
    size: 28,
    values: (_u, splits, _ai, _space, incr) => splits.map((v) => (v === null ? '' : incr >= 60_000 ? fmtClockShort(v) : fmtClock(v))),
  };
}

export function yAxis(pal: Palette, scale: string, side: 'left' | 'right', fmt: (v: number) => string): uPlot.Axis {
  return {
    scale,
    side: side === 'left' ? 3 : 1,
    size: side === 'left' ? LEFT_AXIS : RIGHT_AXIS,
    stroke: pal.axis,
    font: `11px ${pal.font}`,
    grid: side === 'left' ? { stroke: pal.grid, width: 1 } : { show: false },
    ticks: { show: false },
    space: 28,
    gap: 4,
    values: (_u, splits) => splits.map((v) => (v === null ? '' : fmt(v))),
  };
}

/** The brushed range, shaded under the series of every chart. */
export function drawBrushed(u: uPlot, ctx: ChartContext, pal: Palette): void {
  const r = ctx.brushed();
  if (!r) return;
  const { left, top, width, height } = u.bbox;
  const x0 = Math.max(left, u.valToPos(r.from, 'x', true));
  const x1 = Math.min(left + width, u.valToPos(r.to, 'x', true));
  if (!(x1 > x0)) return;
  const c = u.ctx;
  c.save();
  c.fillStyle = rgba(pal.selection, pal.dark ? 0.4 : 0.3);
  c.fillRect(x0, top, x1 - x0, height);
  c.fillStyle = rgba(pal.fg, 0.5);
  const px = uPlot.pxRatio;
  c.fillRect(x0, top, px, height);
  c.fillRect(x1 - px, top, px, height);
  c.restore();
}

/**
 * The load test's span: a translucent band (when `fill`) with a strip along the top, a solid edge
 * where the run started and a dashed one where it ended, and a small "load test" label.
 */
export function drawLoadBand(u: uPlot, ctx: ChartContext, pal: Palette, fill: boolean): void {
  const b = ctx.loadBand?.();
  if (!b) return;
  const { left, top, width, height } = u.bbox;
  const px = uPlot.pxRatio;
  const xs = u.valToPos(b.from, 'x', true);
  const xe = u.valToPos(b.to, 'x', true);
  if (!(xe >= left) || !(xs <= left + width)) return;
  const x0 = Math.max(left, xs);
  const x1 = Math.min(left + width, Math.max(xe, xs + px));
  const c = u.ctx;
  c.save();
  if (fill) {
    c.fillStyle = rgba(pal.load, pal.dark ? 0.1 : 0.08);
    c.fillRect(x0, top, x1 - x0, height);
  }
  c.fillStyle = rgba(pal.load, 0.7);
  c.fillRect(x0, top, x1 - x0, 2 * px);
  c.strokeStyle = rgba(pal.load, 0.8);
  c.lineWidth = px;
  if (xs >= left) {
    const x = Math.round(xs) + 0.5;
    c.beginPath();
    c.moveTo(x, top);
    c.lineTo(x, top + height);
    c.stroke();
  }
  if (!b.running && xe <= left + width) {
    const x = Math.round(xe) - 0.5;
    c.setLineDash([3 * px, 3 * px]);
    c.beginPath();
    c.moveTo(x, top);
    c.lineTo(x, top + height);
    c.stroke();
  }
  const label = 'load test';
  c.font = `${Math.round(10 * px)}px ${pal.font}`;
  const tw = c.measureText(label).width;
  if (x1 - x0 > tw + 10 * px) {
    c.fillStyle = pal.load;
    c.textAlign = 'left';
    c.textBaseline = 'top';
    c.fillText(label, x0 + 4 * px, top + 4 * px);
  }
  c.restore();
}

/** Targets as dashed lines with a label; a target off the top of the scale gets a marker at the edge. */
export function drawThresholds(u: uPlot, thresholds: readonly Threshold[], pal: Palette): void {
  const { left, top, width, height } = u.bbox;
  const c = u.ctx;
  const px = uPlot.pxRatio;
  c.save();
  c.font = `${Math.round(10 * px)}px ${pal.font}`;
  c.textAlign = 'right';
  for (const th of thresholds) {
    if (th.value === null || !Number.isFinite(th.value)) continue;
    const sc = u.scales[th.scale];
    if (!sc || sc.min === undefined || sc.max === undefined) continue;
    const color = pal.error;
    if (th.value > sc.max!) {
      c.fillStyle = color;
      c.textBaseline = 'top';
      c.fillText(`↑ ${th.label}`, left + width - 4 * px, top + 2 * px);
      continue;
    }
    if (th.value < sc.min!) continue;
    const y = Math.round(u.valToPos(th.value, th.scale, true)) + 0.5;
    c.strokeStyle = color;
    c.lineWidth = px;
    c.setLineDash([5 * px, 4 * px]);
    c.beginPath();
    c.moveTo(left, y);
    c.lineTo(left + width, y);
    c.stroke();
    // The label sits on a patch of background so lines crossing it do not hide it.
    const above = y - top > 14 * px;
    const tw = c.measureText(th.label).width;
    const ty = above ? y - 13 * px : y + 1 * px;
    c.fillStyle = rgba(pal.bg, 0.85);
    c.fillRect(left + width - tw - 7 * px, ty, tw + 7 * px, 12 * px);
    c.fillStyle = color;
    c.textBaseline = 'top';
    c.fillText(th.label, left + width - 4 * px, ty + 1 * px);
  }
  c.restore();
}
