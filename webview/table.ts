// The per-endpoint table: live (the stats window) or for a brushed range. Rows are keyed by
// endpoint and updated in place; they are moved only when the order changes. Headers are buttons.

import type { EndpointRow, Thresholds } from '../src/dashboard/protocol';
import { h, setAttr, setHidden, setText, toggleClass } from './dom';
import { fmtRange } from './format';
import { COLUMNS, keysToKeep, rowTexts, sameOrder, sortRows, truncationNote, type Sort } from './table-model';

export type TableMode = { kind: 'live' } | { kind: 'range'; from: number; to: number; loading: boolean; error?: string };

interface RowEls {
  tr: HTMLTableRowElement;
  cells: HTMLElement[];
  bar: HTMLElement;
  /** What the cells show, so an update touches only the cells whose text changed. */
  texts: string[];
  flags: string;
  width: string;
}

export interface TableHandlers {
  sort(): Sort;
  thresholds(): Thresholds | null;
  onSort(column: keyof EndpointRow): void;
  onPickRoute(key: string): void;
  onClearRange(): void;
}

export class EndpointTable {
  readonly el: HTMLElement;
  private readonly tbody = h('tbody');
  private readonly heads: { th: HTMLTableCellElement; ind: HTMLElement }[] = [];
  private readonly chip: HTMLElement;
  private readonly chipText = h('span');
  private readonly note = h('span', { class: 'muted table-note' });
  private readonly status = h('p', { class: 'table-status', hidden: true });
  private readonly rows = new Map<string, RowEls>();
  private order: string[] = [];
  private rowsIn: EndpointRow[] = [];
  private truncated = 0;
  private mode: TableMode = { kind: 'live' };
  private selectedRoute: string | null = null;
  /** Off screen, the rows are only kept; they are drawn when the table scrolls into view. */
  private visible = true;
  private stale = false;

  constructor(private readonly handlers: TableHandlers) {
    const headRow = h('tr');
    for (const c of COLUMNS) {
      const ind = h('span', { class: 'sort-ind', 'aria-hidden': 'true' });
      const btn = h('button', { type: 'button', class: 'th-btn', title: `Sort by ${c.label}` }, c.label, ind);
      btn.addEventListener('click', () => handlers.onSort(c.id));
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, btn);
      this.heads.push({ th, ind });
      headRow.append(th);
    }
    const clear = h('button', { type: 'button', class: 'chip-clear', 'aria-label': 'Clear the time range and show live values' }, 'clear');
    clear.addEventListener('click', () => handlers.onClearRange());
    this.chip = h('span', { class: 'chip', hidden: true }, this.chipText, h('span', { class: 'chip-sep', 'aria-hidden': 'true' }, '·'), clear);
    const hint = h('span', { class: 'muted hint' }, 'Drag across a chart to see a time range');
    this.el = h(
      'section',
      { class: 'card wide table-card', 'aria-labelledby': 'title-endpoints' },
      h('header', { class: 'card-head' }, h('h2', { class: 'card-title', id: 'title-endpoints' }, 'Endpoints'), this.chip, this.note, hint),
      h('div', { class: 'table-wrap' }, h('table', { class: 'endpoints', 'aria-labelledby': 'title-endpoints' }, h('thead', null, headRow), this.tbody)),
      this.status,
    );
    this.renderHeads();
    new IntersectionObserver(
      (entries) => {
        this.visible = entries[entries.length - 1]!.isIntersecting;
        if (this.visible && this.stale) this.render();
      },
      { rootMargin: '300px 0px' },
    ).observe(this.el);
  }

  setRows(rows: readonly EndpointRow[], truncated: number, mode: TableMode): void {
    this.rowsIn = rows.slice();
    this.truncated = truncated;
    this.mode = mode;
    this.render();
  }

  setMode(mode: TableMode): void {
    this.mode = mode;
    this.render();
  }

  /** The route shown in the route chart (its row is marked). */
  setSelectedRoute(key: string | null): void {
    if (key === this.selectedRoute) return;
    const prev = this.selectedRoute !== null ? this.rows.get(this.selectedRoute) : undefined;
    if (prev) toggleClass(prev.tr, 'selected', false);
    this.selectedRoute = key;
    const cur = key !== null ? this.rows.get(key) : undefined;
    if (cur) toggleClass(cur.tr, 'selected', true);
  }

  /** Endpoint keys in displayed order (the order they have, or get when scrolled into view). */
  keys(): string[] {
    return sortRows(this.rowsIn, this.handlers.sort()).map((r) => r.key);
  }

  render(): void {
    this.renderHeads();
    const m = this.mode;
    setHidden(this.chip, m.kind !== 'range');
    if (m.kind === 'range') setText(this.chipText, `range ${fmtRange(m.from, m.to)}`);
    toggleClass(this.el, 'is-range', m.kind === 'range');

    const sorted = sortRows(this.rowsIn, this.handlers.sort());
    const keys = sorted.map((r) => r.key);
    setText(this.note, truncationNote(sorted.length, this.truncated) ?? '');

    let status: string | null = null;
    if (m.kind === 'range' && m.loading) status = 'Loading the range…';
    else if (m.kind === 'range' && m.error) status = m.error;
    else if (!sorted.length) status = m.kind === 'range' ? 'No requests in this range.' : 'No endpoints yet — the request metrics have no route label, or no requests arrived.';
    setHidden(this.status, status === null);
    if (status !== null) setText(this.status, status);
    toggleClass(this.el, 'is-loading', m.kind === 'range' && m.loading);
    // Off screen, rows wait until scrolled to; the first rows are drawn at once (the page reads whole).
    this.stale = !this.visible && this.rows.size > 0;
    if (!this.stale) this.renderRows(sorted, keys);
  }

  private renderRows(sorted: readonly EndpointRow[], keys: readonly string[]): void {

    const thr = this.handlers.thresholds();
    let maxP95 = 0;
    for (const r of sorted) if (r.p95 !== null && Number.isFinite(r.p95) && r.p95 > maxP95) maxP95 = r.p95;

    const seen = new Set<string>();
    for (const r of sorted) {
      seen.add(r.key);
      let els = this.rows.get(r.key);
      if (!els) {
        els = this.makeRow(r.key);
        this.rows.set(r.key, els);
      }
      const texts = rowTexts(r);
      for (let i = 1; i < texts.length; i++) {
        if (els.texts[i] === texts[i]) continue;
        els.cells[i]!.textContent = texts[i]!;
        els.texts[i] = texts[i]!;
      }
      const badErr = thr !== null && r.err !== null && r.err > thr.errorRate;
      const badP95 = thr !== null && r.p95 !== null && r.p95 > thr.p95Ms;
      const flags = `${+badErr}${+badP95}`;
      if (flags !== els.flags) {
        toggleClass(els.cells[2]!, 'bad', badErr);
        toggleClass(els.cells[4]!, 'bad', badP95);
        els.flags = flags;
      }
      const w = maxP95 > 0 && r.p95 !== null && Number.isFinite(r.p95) ? Math.max(0, Math.min(100, (r.p95 / maxP95) * 100)) : 0;
      const wText = `${w.toFixed(0)}%`;
      if (els.width !== wText) {
        els.bar.style.setProperty('--w', wText);
        els.width = wText;
      }
    }
    for (const [key, els] of this.rows) {
      if (seen.has(key)) continue;
      els.tr.remove();
      this.rows.delete(key);
    }
    if (!sameOrder(this.order, keys)) {
      // Rows in the longest already-ordered run stay; the rest (and new rows) are inserted, back to front.
      const keep = keysToKeep(this.order.filter((k) => seen.has(k)), keys);
      let anchor: Node | null = null;
      for (let i = keys.length - 1; i >= 0; i--) {
        const tr = this.rows.get(keys[i]!)!.tr;
        if (!keep.has(keys[i]!) || tr.parentNode !== this.tbody) this.tbody.insertBefore(tr, anchor);
        anchor = tr;
      }
      this.order = keys.slice();
    }
  }

  private makeRow(key: string): RowEls {
    const pick = h('button', { type: 'button', class: 'link', title: `Show ${key} in the route chart` }, key);
    pick.addEventListener('click', () => this.handlers.onPickRoute(key));
    // p95 carries a bar (relative to the slowest row) behind its text.
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
    const p95 = h('span', { class: 'val' });
    const tds = [h('td', { class: 'key' }, pick), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num with-bar' }, bar, p95), h('td', { class: 'num' })];
    const tr = h('tr', null, ...tds);
    const els: RowEls = { tr, cells: [tds[0]!, tds[1]!, tds[2]!, tds[3]!, p95, tds[5]!], bar, texts: [key], flags: '00', width: '' };
    toggleClass(tr, 'selected', key === this.selectedRoute);
    return els;
  }

  private renderHeads(): void {
    const sort = this.handlers.sort();
    COLUMNS.forEach((c, i) => {
      const hd = this.heads[i]!;
      const active = sort.column === c.id;
      setAttr(hd.th, 'aria-sort', active ? (sort.descending ? 'descending' : 'ascending') : null);
      setText(hd.ind, active ? (sort.descending ? '▼' : '▲') : '');
      toggleClass(hd.th, 'sorted', active);
    });
  }
}
