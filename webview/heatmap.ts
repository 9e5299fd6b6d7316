// The latency heatmap (Grafana style): a uPlot frame for the shared time axis, synced crosshair and
// brushing, with the cells painted by us: histogram buckets as equal rows, one column per point
// spanning back to the previous point, colour by count on a theme ramp. Cells are accumulated at
// the plot's pixel width and blitted in one drawImage, at most once per animation frame.

import uPlot from 'uplot';
import { baseOptions, Card, drawBrushed, drawLoadBand, xAxis, yAxis, type ChartContext } from './charts';
import { h, setHidden, setText } from './dom';
import { fmtBound, fmtClock } from './format';
import { accumulate, buildRamp, colorize, rowAt, rowLabel } from './heat';
import { lowerBound, type History } from './history';
import type { Palette } from './theme';

const LEVELS = 64;
const HEIGHT = 250;

export class HeatmapCard extends Card {
  private bounds: (number | null)[] = [];
  private raf = 0;
  private ramp: Uint8ClampedArray = new Uint8ClampedArray(0);
  private acc = new Float32Array(0);
  private img: ImageData | null = null;
  private readonly off = document.createElement('canvas');
  private readonly offCtx = this.off.getContext('2d')!;
  private readonly tip = h('div', { class: 'heat-tip', role: 'tooltip', hidden: true });
  private readonly legendCanvas = h('canvas', { class: 'heat-ramp', width: 96, height: 8, 'aria-hidden': 'true' });
  private readonly maxLabel = h('span', { class: 'heat-max' });
  private readonly legend = h('span', { class: 'heat-legend', hidden: true }, h('span', { class: 'muted' }, 'fewer'), this.legendCanvas, h('span', { class: 'muted' }, 'more'), this.maxLabel);
  private nulls: (number | null)[] = [];

  constructor(
    private readonly ctx: ChartContext,
    private readonly history: History,
    private readonly intervalMs: () => number,
  ) {
    super('heatmap', 'Latency distribution', 'wide', HEIGHT);
    this.tools.append(this.legend);
    this.plotEl.append(this.tip);
  }

  setBounds(bounds: (number | null)[] | null | undefined): void {
    const b = bounds ?? [];
    if (b.length === this.bounds.length && b.every((v, i) => v === this.bounds[i])) return;
    this.bounds = b.slice();
    this.rebuild();
  }

  /** Schedules a redraw for the next animation frame (several ticks in one frame draw once). */
  override update(): void {
    if (!this.shouldDraw() || this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.render();
    });
  }

  redraw(): void {
    this.update();
  }

  override rebuild(): void {
    super.rebuild();
    this.ramp = new Uint8ClampedArray(0);
  }

  private render(): void {
    const t0 = performance.now();
    const reason = this.history.length === 0 ? 'Waiting for the first scrape…' : this.bounds.length === 0 || !this.history.hasData('heat') ? 'No latency histogram buckets: the heatmap needs a Prometheus histogram (summaries and JSON stats have none).' : null;
    setHidden(this.legend, reason !== null);
    if (!this.showEmpty(reason)) return;
    const pal = this.ctx.palette();
    if (!this.ramp.length) {
      this.ramp = buildRamp(pal.heatStops, LEVELS);
      this.paintLegend();
    }
    const n = this.history.length;
    if (this.nulls.length !== n) this.nulls = new Array<number | null>(n).fill(null);
    const data: uPlot.AlignedData = [this.history.t, this.nulls];
    if (!this.u) {
      this.u = new uPlot(this.options(pal), data, this.plotEl);
      this.u.over.append(this.tip);
    } else this.u.setData(data, true);
    // For the benchmark: a performance measure (the browser's timeline; nothing is put on window).
    queueMicrotask(() => {
      performance.measure('pulse:heatmap', { start: t0, duration: performance.now() - t0 });
      if (performance.getEntriesByName('pulse:heatmap').length > 500) performance.clearMeasures('pulse:heatmap');
    });
  }

  private options(pal: Palette): uPlot.Options {
    const rows = () => this.bounds.length;
    const opts = baseOptions(this.ctx, pal, this.plotWidth(), this.height, false);
    opts.legend = { show: false };
    opts.series = [{ label: 'Time' }, { label: 'bucket', scale: 'row', stroke: 'transparent', points: { show: false } }];
    opts.scales = {
      x: { time: true, range: () => [this.ctx.view.from, this.ctx.view.to] },
      row: { auto: false, range: () => [0, Math.max(1, rows())] },
    };
    const rowAxis = yAxis(pal, 'row', 'left', () => '');
    rowAxis.splits = (_u, _ai, _min, _max) => {
      const n = rows();
      const step = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(HEIGHT / 20))));
      const out: number[] = [];
      for (let k = 0; k <= n; k += step) out.push(k);
      return out;
    };
    // A split k sits on the boundary between rows k-1 and k: label it with row k-1's upper bound.
    rowAxis.values = (_u, splits) => splits.map((k) => (k === 0 ? '0' : fmtBound(this.bounds[k - 1] ?? null)));
    rowAxis.grid = { show: false };
    opts.axes = [xAxis(pal), rowAxis];
    opts.cursor = { ...opts.cursor, points: { show: false }, y: true };
    opts.hooks = {
      ...opts.hooks,
      drawAxes: [(u) => this.paint(u, pal), (u) => drawLoadBand(u, this.ctx, pal, false), (u) => drawBrushed(u, this.ctx, pal)],
      setCursor: [(u) => this.hover(u)],
    };
    return opts;
  }

  private paint(u: uPlot, pal: Palette): void {
    const rows = this.bounds.length;
    const hist = this.history;
    const xs = u.scales.x;
    if (!rows || !hist.length || xs?.min === undefined || xs.max === undefined) return;
    const { left, top, width, height } = u.bbox;
    const w = Math.max(1, Math.round(width));
    if (!this.img || this.img.width !== w || this.img.height !== rows) {
      this.acc = new Float32Array(w * rows);
      this.off.width = w;
      this.off.height = rows;
      this.img = this.offCtx.createImageData(w, rows);
    }
    const t = hist.t;
    const i0 = lowerBound(t, xs.min);
    const i1 = Math.min(t.length - 1, lowerBound(t, xs.max));
    const max = accumulate({ t, heat: hist.heat, rows, i0, i1, width: w, maxSpanMs: 2.5 * Math.max(250, this.intervalMs()), xPos: (v) => u.valToPos(v, 'x', true) - left }, this.acc);
    colorize(this.acc, w, rows, max, this.ramp, this.img.data);
    this.offCtx.putImageData(this.img, 0, 0);
    const c = u.ctx;
    c.save();
    c.imageSmoothingEnabled = false;
    c.drawImage(this.off, 0, 0, w, rows, left, top, width, height);
    // Thin gaps between rows make the buckets read as cells.
    c.fillStyle = pal.bg;
    const gap = Math.max(1, Math.round(uPlot.pxRatio));
    for (let r = 1; r < rows; r++) c.fillRect(left, Math.round(top + (height * r) / rows), width, gap);
    c.restore();
    setText(this.maxLabel, max > 0 ? `max ${Math.round(max)} / cell` : '');
  }

  private hover(u: uPlot): void {
    const idx = u.cursor.idx;
    const rows = this.bounds.length;
    // Only on the chart under the mouse (uPlot leaves cursor.event null on charts following the sync).
    const direct = !!u.cursor.event && (u.cursor.left ?? -1) >= 0;
    if (this.el.classList.contains('hovered') !== direct) this.el.classList.toggle('hovered', direct);
    if (!direct || idx === null || idx === undefined || !rows) {
      setHidden(this.tip, true);
      return;
    }
    const plotH = u.bbox.height / uPlot.pxRatio;
    const row = rowAt(1 - (u.cursor.top ?? -1) / plotH, rows);
    const col = this.history.heat[idx];
    const t = this.history.t[idx];
    if (row === null || t === undefined) {
      setHidden(this.tip, true);
      return;
    }
    const prev = this.history.t[idx - 1];
    const count = col && col.length === rows ? col[row]! : null;
    const when = prev !== undefined && t - prev <= 2.5 * Math.max(250, this.intervalMs()) ? `${fmtClock(prev)}–${fmtClock(t)}` : fmtClock(t);
    setText(this.tip, `${rowLabel(this.bounds, row)}\n${count === null ? 'no histogram data' : `${Math.round(count)} request${Math.round(count) === 1 ? '' : 's'}`}\n${when}`);
    setHidden(this.tip, false);
    const left = u.cursor.left ?? 0;
    const top = u.cursor.top ?? 0;
    const plotW = u.bbox.width / uPlot.pxRatio;
    const flip = left > plotW - 170;
    this.tip.style.transform = `translate(${Math.round(flip ? left - 12 : left + 12)}px, ${Math.round(Math.min(top + 12, plotH - 60))}px) translateX(${flip ? '-100%' : '0'})`;
  }

  private paintLegend(): void {
    const c = this.legendCanvas.getContext('2d');
    if (!c) return;
    const w = this.legendCanvas.width;
    const img = c.createImageData(w, 1);
    for (let x = 0; x < w; x++) {
      const k = Math.min(LEVELS - 1, Math.floor((x / (w - 1)) * (LEVELS - 1))) * 4;
      img.data.set(this.ramp.subarray(k, k + 4), x * 4);
    }
    for (let y = 0; y < this.legendCanvas.height; y++) c.putImageData(img, 0, y);
  }
}
