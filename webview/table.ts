// The per-endpoint table: live (the stats window) or for a brushed range. Headers are buttons.
// Updated in place, never rebuilt: row i of the DOM shows the i-th row in sort order, and only the
// cells whose text changed are touched, so a reshuffled ranking moves no DOM nodes. It is an ARIA
// table of fixed-height grid rows rather than a <table>: each row is laid out on its own (CSS
// containment), so new numbers in 50 rows do not re-run the layout of a whole table.

import type { EndpointRow, Thresholds } from '../src/dashboard/protocol';
import { h, setAttr, setHidden, setText, toggleClass } from './dom';
import { fmtRange } from './format';
import { COLUMNS, rowTexts, sortRows, truncationNote, type Sort } from './table-model';

export type TableMode = { kind: 'live' } | { kind: 'range'; from: number; to: number; loading: boolean; error?: string };

interface RowEls {
  tr: HTMLElement;
  pick: HTMLButtonElement;
  /** The endpoint this row shows now. */
  key: string;
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
  private readonly tbody = h('div', { role: 'rowgroup', class: 'erows' });
  private readonly heads: { th: HTMLElement; ind: HTMLElement }[] = [];
  private readonly chip: HTMLElement;
  private readonly chipText = h('span');
  private readonly note = h('span', { class: 'muted table-note' });
  private readonly status = h('p', { class: 'table-status', hidden: true });
  private readonly rows: RowEls[] = [];
  private rowsIn: EndpointRow[] = [];
  private truncated = 0;
  private mode: TableMode = { kind: 'live' };
  private selectedRoute: string | null = null;
  /** Off screen, the rows are only kept; they are drawn when the table scrolls into view. */
  private visible = true;
  private stale = false;

  constructor(private readonly handlers: TableHandlers) {
    const headRow = h('div', { role: 'row', class: 'erow ehead' });
    for (const c of COLUMNS) {
      const ind = h('span', { class: 'sort-ind', 'aria-hidden': 'true' });
      // The arrow goes on the outer side, so labels line up with their column's text.
      const btn = h('button', { type: 'button', class: 'th-btn', title: `Sort by ${c.label}` }, ...(c.numeric ? [ind, c.label] : [c.label, ind]));
      btn.addEventListener('click', () => handlers.onSort(c.id));
      const th = h('div', { role: 'columnheader', class: c.numeric ? 'ecell num' : 'ecell' }, btn);
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
      h('div', { class: 'table-wrap' }, h('div', { class: 'endpoints', role: 'table', 'aria-labelledby': 'title-endpoints' }, h('div', { role: 'rowgroup' }, headRow), this.tbody)),
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
    this.selectedRoute = key;
    for (const r of this.rows) toggleClass(r.tr, 'selected', r.key === key);
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
    setText(this.note, truncationNote(sorted.length, this.truncated) ?? '');

    let status: string | null = null;
    if (m.kind === 'range' && m.loading) status = 'Loading the range…';
    else if (m.kind === 'range' && m.error) status = m.error;
    else if (!sorted.length) status = m.kind === 'range' ? 'No requests in this range.' : 'No endpoints yet — the request metrics have no route label, or no requests arrived.';
    setHidden(this.status, status === null);
    if (status !== null) setText(this.status, status);
    toggleClass(this.el, 'is-loading', m.kind === 'range' && m.loading);
    // Off screen, rows wait until scrolled to; the first rows are drawn at once (the page reads whole).
    this.stale = !this.visible && this.rows.length > 0;
    if (!this.stale) this.renderRows(sorted);
  }

  private renderRows(sorted: readonly EndpointRow[]): void {
    while (this.rows.length < sorted.length) {
      const els = this.makeRow();
      this.rows.push(els);
      this.tbody.append(els.tr);
    }
    while (this.rows.length > sorted.length) this.rows.pop()!.tr.remove();

    const thr = this.handlers.thresholds();
    let maxP95 = 0;
    for (const r of sorted) if (r.p95 !== null && Number.isFinite(r.p95) && r.p95 > maxP95) maxP95 = r.p95;

    sorted.forEach((r, i) => {
      const els = this.rows[i]!;
      if (els.key !== r.key) {
        els.key = r.key;
        setText(els.pick, r.key);
        els.pick.title = `Show ${r.key} in the route chart`;
        toggleClass(els.tr, 'selected', r.key === this.selectedRoute);
      }
      const texts = rowTexts(r);
      for (let c = 1; c < texts.length; c++) {
        if (els.texts[c] === texts[c]) continue;
        setText(els.cells[c]!, texts[c]!);
        els.texts[c] = texts[c]!;
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
    });
  }

  private makeRow(): RowEls {
    const pick = h('button', { type: 'button', class: 'link' });
    // p95 carries a bar (relative to the slowest row) behind its text.
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
    const p95 = h('span', { class: 'val' });
    const cell = (cls: string, ...kids: Node[]) => h('div', { role: 'cell', class: `ecell ${cls}` }, ...kids);
    const tds = [cell('key', pick), cell('num'), cell('num'), cell('num'), cell('num with-bar', bar, p95), cell('num')];
    const tr = h('div', { role: 'row', class: 'erow' }, ...tds);
    const els: RowEls = { tr, pick, key: '', cells: [tds[0]!, tds[1]!, tds[2]!, tds[3]!, p95, tds[5]!], bar, texts: [], flags: '00', width: '' };
    pick.addEventListener('click', () => this.handlers.onPickRoute(els.key));
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
