// Stat tiles: the headline value of each signal over the stats window, coloured by the host's
// severity, with its target and a sparkline of the visible range. Built once, updated in place.

import type { Thresholds, Tiles } from '../src/dashboard/protocol';
import { h, setAttr, setText } from './dom';
import { lowerBound, type Column, type History, type SeriesName } from './history';
import { rgba, type Palette } from './theme';
import { tileTexts, tileViews, TILE_ORDER, type TileId, type TileView } from './tiles-model';

const SPARK: Record<TileId, SeriesName> = { p95: 'p95', rps: 'rps', err: 'err', hit: 'hit', pool: 'pool', cpu: 'cpu', memMb: 'memMb' };

interface TileEls {
  root: HTMLElement;
  value: HTMLElement;
  target: HTMLElement;
  spark: HTMLCanvasElement;
}

export class TileRow {
  readonly el = h('div', { class: 'tiles', role: 'list', 'aria-label': 'Current values' });
  private readonly els = new Map<TileId, TileEls>();
  private views: TileView[] = tileViews(null, null);
  /** CSS size of each sparkline, kept by a ResizeObserver (reading it per tick would force a layout). */
  private readonly sizes = new WeakMap<Element, { w: number; h: number }>();
  private readonly ro = new ResizeObserver((entries) => {
    for (const e of entries) this.sizes.set(e.target, { w: e.contentRect.width, h: e.contentRect.height });
    this.redrawSparks();
  });
  private last: { view: { from: number; to: number } } | null = null;

  constructor(
    private readonly history: History,
    private readonly palette: () => Palette,
  ) {
    for (const id of TILE_ORDER) {
      const value = h('div', { class: 'tile-value' });
      const target = h('div', { class: 'tile-target' });
      const spark = h('canvas', { class: 'spark', 'aria-hidden': 'true' });
      const view = this.views.find((v) => v.id === id)!;
      const root = h('div', { class: 'tile', role: 'listitem', 'data-tile': id }, h('div', { class: 'tile-label' }, view.label), value, spark, target);
      this.els.set(id, { root, value, target, spark });
      this.el.append(root);
      this.ro.observe(spark);
    }
  }

  update(tiles: Tiles | null, thr: Thresholds | null, view: { from: number; to: number }): void {
    this.views = tileViews(tiles, thr);
    this.last = { view: { ...view } };
    for (const v of this.views) {
      const e = this.els.get(v.id)!;
      setText(e.value, v.text);
      setText(e.target, v.target || '\u00a0');
      setAttr(e.root, 'data-level', v.level);
      setAttr(e.root, 'aria-label', `${v.label}: ${v.text}${v.status ? `, ${v.status}` : ''}${v.target ? ` (${v.target})` : ''}`);
    }
    this.redrawSparks();
  }

  /** Sparklines only (the visible range moved, or the theme changed). */
  redrawSparks(view?: { from: number; to: number }): void {
    if (view) this.last = { view: { ...view } };
    if (!this.last) return;
    const pal = this.palette();
    for (const v of this.views) {
      const e = this.els.get(v.id)!;
      this.drawSpark(e.spark, this.history.series[SPARK[v.id]], this.last.view, sparkColor(v, pal));
    }
  }

  /** What each tile shows (for debugState). */
  texts(): Record<string, string> {
    return tileTexts(this.views);
  }

  private drawSpark(canvas: HTMLCanvasElement, col: Column, view: { from: number; to: number }, color: string): void {
    const dpr = window.devicePixelRatio || 1;
    const size = this.sizes.get(canvas);
    if (!size || !size.w || !size.h) return;
    const cssW = size.w;
    const cssH = size.h;
    const w = Math.round(cssW * dpr);
    const hgt = Math.round(cssH * dpr);
    if (canvas.width !== w || canvas.height !== hgt) {
      canvas.width = w;
      canvas.height = hgt;
    }
    const c = canvas.getContext('2d');
    if (!c) return;
    c.clearRect(0, 0, w, hgt);
    const t = this.history.t;
    const i0 = lowerBound(t, view.from);
    const i1 = lowerBound(t, view.to + 1) - 1;
    if (i1 <= i0) return;
    let max = -Infinity;
    let min = Infinity;
    for (let i = i0; i <= i1; i++) {
      const v = col[i];
      if (v === null || v === undefined) continue;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    if (max === -Infinity) return;
    // From zero, unless the values sit far from it (memory): then the wiggle is what matters.
    min = min > max * 0.6 ? min - (max - min) * 0.5 : Math.min(0, min);
    const span = max - min || 1;
    const span_t = view.to - view.from || 1;
    const pad = dpr;
    const x = (ti: number) => ((ti - view.from) / span_t) * w;
    const y = (v: number) => hgt - pad - ((v - min) / span) * (hgt - 2 * pad);
    c.lineWidth = 1.25 * dpr;
    c.strokeStyle = color;
    c.fillStyle = rgba(color, 0.15);
    // One vertex per pixel column at most (min and max of the points in it), one path per run of values.
    const line = new Path2D();
    const area = new Path2D();
    let runStart = -1;
    let lastX = 0;
    let px = -1;
    let lo = 0;
    let hi = 0;
    const emit = () => {
      if (px < 0) return;
      if (runStart < 0) {
        runStart = px;
        line.moveTo(px, y(hi));
        area.moveTo(px, hgt);
        area.lineTo(px, y(hi));
      } else line.lineTo(px, y(hi));
      area.lineTo(px, y(hi));
      if (lo !== hi) {
        line.lineTo(px, y(lo));
        area.lineTo(px, y(lo));
      }
      lastX = px;
    };
    const endRun = () => {
      emit();
      px = -1;
      if (runStart >= 0) {
        area.lineTo(lastX, hgt);
        area.closePath();
      }
      runStart = -1;
    };
    for (let i = i0; i <= i1; i++) {
      const v = col[i];
      if (v === null || v === undefined) {
        endRun();
        continue;
      }
      const xi = Math.round(x(t[i]!));
      if (xi !== px) {
        emit();
        px = xi;
        lo = hi = v;
      } else {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    endRun();
    c.fill(area);
    c.stroke(line);
  }
}

function sparkColor(v: TileView, p: Palette): string {
  switch (v.level) {
    case 'ok':
      return p.green;
    case 'warning':
      return p.yellow;
    case 'error':
      return p.red;
    default:
      return p.blue;
  }
}
