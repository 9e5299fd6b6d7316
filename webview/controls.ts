// Header controls (connection, time window, pause, export), the connection status, the banners
// that explain what cannot be shown, and the route picker of the route chart.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { ConnectionInfo, Notice, PanelState } from '../src/dashboard/protocol';
import { h, setAttr, setHidden, setText, toggleClass } from './dom';
import { fmtAgo, fmtClock, fmtWindow } from './format';
import { VIEW_WINDOWS } from './state';

type Select = HTMLElementTagNameMap['vscode-single-select'];

export interface HeaderHandlers {
  onSelect(connection: string): void;
  onWindow(seconds: number): void;
  onPause(): void;
  onExport(): void;
}

export type ExportStatus = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; path: string } | { kind: 'error'; message: string };

export class Header {
  readonly el: HTMLElement;
  private readonly select: Select;
  private readonly status = h('span', { class: 'status', role: 'status' });
  private readonly statusDot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  private readonly statusText = h('span');
  private readonly windowBtns = new Map<number, HTMLButtonElement>();
  private readonly pauseBtn: HTMLElementTagNameMap['vscode-button'];
  private readonly exportBtn: HTMLElementTagNameMap['vscode-button'];
  private readonly exportMsg = h('span', { class: 'export-msg', role: 'status', hidden: true });
  private connKey = '';
  private exportTimer = 0;

  constructor(private readonly handlers: HeaderHandlers) {
    this.select = h('vscode-single-select', { class: 'conn-select', 'aria-label': 'Connection' });
    this.select.addEventListener('change', () => {
      const v = this.select.value;
      if (v) handlers.onSelect(v);
    });
    this.status.append(this.statusDot, this.statusText);

    const seg = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Visible time range' });
    for (const s of VIEW_WINDOWS) {
      const b = h('button', { type: 'button', 'aria-pressed': 'false', title: `Show the last ${fmtWindow(s).replace('m', ' min').replace('h', ' h')}` }, fmtWindow(s));
      b.addEventListener('click', () => handlers.onWindow(s));
      this.windowBtns.set(s, b);
      seg.append(b);
    }
    this.pauseBtn = h('vscode-button', { secondary: true, title: 'Freeze the charts; updates are kept and applied on resume' }, 'Pause');
    this.pauseBtn.addEventListener('click', () => handlers.onPause());
    this.exportBtn = h('vscode-button', { secondary: true, title: 'Save the visible range as CSV' }, 'Export CSV');
    this.exportBtn.addEventListener('click', () => handlers.onExport());

    this.el = h(
      'header',
      { class: 'top' },
      h('div', { class: 'top-left' }, h('h1', { class: 'brand' }, 'Pulse'), this.select, this.status),
      h('div', { class: 'top-right' }, seg, this.pauseBtn, this.exportBtn),
      this.exportMsg,
    );
  }

  setConnections(conns: readonly ConnectionInfo[], selected: string | null): void {
    const key = JSON.stringify([conns.map((c) => [c.id, c.label, c.url]), selected]);
    setHidden(this.select, conns.length === 0);
    if (key === this.connKey) return;
    this.connKey = key;
    this.select.options = conns.map((c) => ({ label: c.label || c.url, value: c.id, description: c.url, selected: c.id === selected, disabled: false }));
    if (selected !== null) this.select.value = selected;
    this.select.title = conns.find((c) => c.id === selected)?.url ?? '';
  }

  setWindow(seconds: number): void {
    for (const [s, b] of this.windowBtns) {
      setAttr(b, 'aria-pressed', String(s === seconds));
      toggleClass(b, 'on', s === seconds);
    }
  }

  setPaused(paused: boolean, waiting: number): void {
    setText(this.pauseBtn, paused ? (waiting > 0 ? `Resume (${waiting} new)` : 'Resume') : 'Pause');
    this.pauseBtn.secondary = !paused;
    setAttr(this.pauseBtn, 'aria-pressed', String(paused));
    toggleClass(this.el, 'paused', paused);
  }

  setStatus(state: PanelState | null, paused: boolean, pausedAt: number | null, now: number): void {
    let kind = 'idle';
    let text = 'Not connected';
    switch (state?.kind) {
      case 'connecting':
        kind = 'connecting';
        text = 'Connecting…';
        break;
      case 'live':
        kind = 'live';
        text = `Live · ${fmtClock(state.lastScrape)}`;
        break;
      case 'noData':
        kind = 'nodata';
        text = 'No data';
        break;
      case 'down':
        kind = 'down';
        text = `Down · ${fmtAgo(now - state.since)}`;
        break;
      default:
    }
    if (paused) {
      kind += ' paused';
      text = `Paused${pausedAt !== null ? ` at ${fmtClock(pausedAt)}` : ''}`;
    }
    setAttr(this.status, 'data-kind', kind);
    setText(this.statusText, text);
  }

  setExport(s: ExportStatus): void {
    window.clearTimeout(this.exportTimer);
    this.exportBtn.disabled = s.kind === 'busy';
    setHidden(this.exportMsg, s.kind === 'idle');
    setAttr(this.exportMsg, 'data-kind', s.kind);
    if (s.kind === 'busy') setText(this.exportMsg, 'Exporting CSV…');
    else if (s.kind === 'done') setText(this.exportMsg, `CSV saved: ${s.path}`);
    else if (s.kind === 'error') setText(this.exportMsg, `Export failed: ${s.message}`);
    if (s.kind === 'done' || s.kind === 'error') this.exportTimer = window.setTimeout(() => setHidden(this.exportMsg, true), 12_000);
  }
}

/** The route picker of the route chart (filterable: there can be 50 routes). */
export class RoutePicker {
  readonly el: Select;
  private key = '';

  constructor(onChange: (route: string) => void) {
    this.el = h('vscode-single-select', { class: 'route-select', combobox: true, 'aria-label': 'Route', filter: 'contains' });
    this.el.addEventListener('change', () => {
      const v = this.el.value;
      if (v) onChange(v);
    });
  }

  set(routes: readonly string[], selected: string | null): void {
    const key = JSON.stringify([routes, selected]);
    if (key === this.key) return;
    this.key = key;
    setHidden(this.el, routes.length === 0);
    this.el.options = routes.map((r) => ({ label: r, value: r, description: '', selected: r === selected, disabled: false }));
    if (selected !== null) this.el.value = selected;
  }
}

export interface BannerInput {
  state: PanelState | null;
  notices: readonly Notice[];
  hasHistory: boolean;
  now: number;
}

/**
 * What cannot be shown and what to do about it: a full-page message when there is nothing at all
 * (idle, connecting), banners above the charts otherwise (down, no data, notices).
 */
export class Banners {
  readonly el = h('div', { class: 'banners' });
  readonly blank = h('div', { class: 'blank', hidden: true });
  private key = '';

  update(inp: BannerInput): void {
    const s = inp.state;
    const parts: { kind: 'error' | 'warning' | 'info'; title: string; text: string }[] = [];
    let blank: { title: string; text: string[] } | null = null;
    if (!s || s.kind === 'idle') {
      blank = {
        title: 'Not connected',
        text: ['Run **Pulse: Connect to Metrics Endpoint…** from the Command Palette to choose a metrics endpoint (Pulse looks for endpoints on this machine).', 'Or run **Pulse: Start Demo Service** to try the dashboard with simulated traffic.'],
      };
    } else if (s.kind === 'connecting' && !inp.hasHistory) {
      blank = { title: 'Connecting…', text: [`Waiting for the first scrape of ${s.url}.`] };
    } else if (s.kind === 'down') {
      parts.push({ kind: 'error', title: `Can't reach ${s.url}`, text: `${s.reason} — down since ${fmtClock(s.since)} (${fmtAgo(inp.now - s.since)}). Pulse keeps retrying at the scrape interval; the charts show the history kept so far.` });
    } else if (s.kind === 'noData') {
      parts.push({ kind: 'warning', title: `No data from ${s.url}`, text: s.reason });
    } else if (s.kind === 'connecting') {
      parts.push({ kind: 'info', title: 'Reconnecting…', text: `Waiting for a scrape of ${s.url}.` });
    }
    for (const n of inp.notices) parts.push({ kind: 'warning', title: '', text: n });

    const key = JSON.stringify([parts, blank]);
    if (key === this.key) return;
    this.key = key;
    this.el.replaceChildren(
      ...parts.map((p) =>
        h('div', { class: `banner ${p.kind}`, role: p.kind === 'error' ? 'alert' : 'status' }, h('span', { class: 'banner-icon', 'aria-hidden': 'true' }, p.kind === 'error' ? '✕' : p.kind === 'warning' ? '!' : 'i'), h('div', null, p.title ? h('strong', null, p.title) : null, p.title ? ' ' : null, p.text)),
      ),
    );
    setHidden(this.blank, blank === null);
    if (blank) this.blank.replaceChildren(h('h2', null, blank.title), ...blank.text.map((t) => h('p', null, ...emphasis(t))));
    document.body.classList.toggle('is-blank', blank !== null);
  }
}

/** "Run **Pulse: Start Demo Service**" → text and <strong> nodes (no HTML parsing). */
function emphasis(text: string): (string | HTMLElement)[] {
  return text.split('**').map((part, i) => (i % 2 ? h('strong', { class: 'cmd' }, part) : part));
}
