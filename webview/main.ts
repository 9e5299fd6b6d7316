// The Pulse dashboard webview (browser side). The host is the source of truth: this says `ready`,
// draws what `init` sends, appends `tick` deltas, and keeps only small UI state (vscode.setState).
// Nothing here imports `vscode` or host code; the only shared file is the typed protocol.

import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { ConnectionInfo, EndpointRow, HostMessage, InitMessage, LoadTestMessage, Notice, PanelState, PersistedState, Thresholds, TickMessage, Tiles } from '../src/dashboard/protocol';
import { ChartCard, type ChartContext, type Range } from './charts';
import { Banners, Header, RoutePicker, type ExportStatus } from './controls';
import { debugState } from './debug';
import { h } from './dom';
import { HeatmapCard } from './heatmap';
import { History } from './history';
import { LoadSection } from './loadtest';
import { dataEnd, LoadModel, viewRange } from './loadtest-model';
import { panelDefs } from './panels';
import { TickBuffer } from './pause';
import { SlowList } from './slow';
import { restoreState } from './state';
import { EndpointTable, type TableMode } from './table';
import { nextSort } from './table-model';
import { readPalette, watchTheme, type Palette } from './theme';
import { TileRow } from './tiles';
import { post, vscode } from './vscode';

/** The longest visible window; history is kept at least this long (longer if the host sends more). */
const MIN_RETENTION_MS = 3600_000;
const RANGE_TIMEOUT_MS = 15_000;
const EXPORT_TIMEOUT_MS = 120_000;

interface Brushed extends Range {
  requestId: number;
  rows: EndpointRow[] | null;
  truncated: number;
  error?: string;
}

class Dashboard {
  private ui: PersistedState = restoreState(vscode.getState());
  private readonly history = new History({ retentionMs: MIN_RETENTION_MS + 60_000 });
  private readonly load = new LoadModel();
  private readonly buffer = new TickBuffer(20_000);
  private palette: Palette = readPalette();
  private connections: ConnectionInfo[] = [];
  private selected: string | null = null;
  private thresholds: Thresholds | null = null;
  private intervalMs = 2000;
  private panelState: PanelState | null = null;
  private notices: Notice[] = [];
  private tiles: Tiles | null = null;
  private live: { rows: EndpointRow[]; truncated: number } = { rows: [], truncated: 0 };
  private brushed: Brushed | null = null;
  private pausedAt: number | null = null;
  private readonly view: Range = { from: 0, to: 0 };
  private inited = false;
  private nextRequest = 1;
  private exportReq: { id: number; timer: number } | null = null;
  private rangeTimer = 0;
  private autoRoute: string | null = null;

  private readonly header: Header;
  private readonly banners = new Banners();
  private readonly tileRow: TileRow;
  private readonly charts: ChartCard[];
  private readonly heat: HeatmapCard;
  private readonly table: EndpointTable;
  private readonly routePicker: RoutePicker;
  private readonly loadSection: LoadSection;
  private readonly slow = new SlowList();
  private readonly content: HTMLElement;

  constructor(root: HTMLElement) {
    const ctx: ChartContext = {
      view: this.view,
      palette: () => this.palette,
      times: () => this.history.t,
      brushed: () => this.brushed,
      onBrush: (from, to) => this.brush(from, to),
      onClearBrush: () => this.clearBrush(),
      loadBand: () => {
        const b = this.load.band(Date.now());
        return b && { ...b, running: this.load.run?.state === 'running' };
      },
    };
    this.header = new Header({
      onSelect: (id) => this.select(id),
      onWindow: (s) => this.setWindow(s),
      onPause: () => this.togglePause(),
      onExport: () => this.exportCsv(),
    });
    this.tileRow = new TileRow(this.history, () => this.palette);
    this.charts = panelDefs({ history: this.history, thresholds: () => this.thresholds, route: () => this.route() }).map((d) => new ChartCard(d, ctx));
    this.heat = new HeatmapCard(ctx, this.history, () => this.intervalMs);
    this.loadSection = new LoadSection({
      model: this.load,
      ctx,
      thresholds: () => this.thresholds,
      paused: () => this.ui.paused,
      onDismiss: () => this.dismissLoad(),
    });
    this.routePicker = new RoutePicker((r) => this.pickRoute(r));
    this.charts.find((c) => c.id === 'route')?.tools.append(this.routePicker.el);
    this.table = new EndpointTable({
      sort: () => this.ui.sort,
      thresholds: () => this.thresholds,
      onSort: (col) => {
        this.ui.sort = nextSort(this.ui.sort, col);
        this.persist();
        this.table.render();
      },
      onPickRoute: (key) => this.pickRoute(key),
      onClearRange: () => this.clearBrush(),
    });
    this.content = h('div', { class: 'content' }, this.tileRow.el, h('div', { class: 'grid' }, ...this.charts.map((c) => c.el), this.heat.el, this.table.el, this.slow.el));
    root.replaceChildren(this.header.el, h('main', { class: 'dash' }, this.banners.el, this.loadSection.el, this.banners.blank, this.content));

    this.header.setWindow(this.ui.viewSeconds);
    this.header.setPaused(this.ui.paused, 0);
    this.renderStatus();

    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.brushed && !(e.target instanceof Element && e.target.closest('vscode-single-select'))) this.clearBrush();
    });
    watchTheme(() => this.retheme());
    // Relative times ("down 3 min ago") age without ticks.
    window.setInterval(() => this.panelState?.kind === 'down' && this.renderStatus(), 5000);
    post({ type: 'ready' });
  }

  private receive(msg: unknown): void {
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    const m = msg as HostMessage;
    try {
      switch (m.type) {
        case 'init':
          return this.onInit(m);
        case 'tick':
          return this.onTick(m);
        case 'state':
          if (m.connection !== this.selected) return;
          this.panelState = m.state;
          this.notices = m.notices ?? [];
          return this.renderStatus();
        case 'rangeTable':
          return this.onRangeTable(m.requestId, m.rows, m.truncated);
        case 'exported':
          return this.onExported(m.requestId, m.path, m.error);
        case 'loadTest':
          return this.onLoadTest(m);
        case 'slowRequests':
          return this.slow.update(m);
        case 'debugRequest':
          return post(debugState({ requestId: m.requestId, history: this.history, load: this.load, tableKeys: this.table.keys(), tiles: this.tileRow.texts(), slowRows: this.slow.texts(), paused: this.ui.paused, viewSeconds: this.ui.viewSeconds }));
        default:
      }
    } catch (err) {
      console.error('Pulse dashboard: could not apply', m.type, err);
    }
  }

  private onInit(m: InitMessage): void {
    const t0 = performance.now();
    const first = !this.inited;
    this.inited = true;
    this.connections = m.connections ?? [];
    // After a reload, go back to the connection the user had chosen (if the host still has it).
    if (first && this.ui.selected && this.ui.selected !== m.selected && this.connections.some((c) => c.id === this.ui.selected)) {
      post({ type: 'select', connection: this.ui.selected });
    } else if (m.selected !== this.ui.selected) {
      this.ui.selected = m.selected;
      this.persist();
    }
    this.selected = m.selected;
    this.thresholds = m.thresholds ?? null;
    if (m.intervalMs > 0) this.intervalMs = m.intervalMs;
    this.panelState = m.state;
    this.notices = m.notices ?? [];
    this.tiles = m.tiles;
    this.live = { rows: m.table ?? [], truncated: m.tableTruncated ?? 0 };
    this.buffer.clear();

    const hist = m.history ?? [];
    const span = hist.length > 1 ? hist[hist.length - 1]!.t - hist[0]!.t : 0;
    this.history.clear();
    this.history.retentionMs = Math.max(MIN_RETENTION_MS, span) + 60_000;
    this.history.append(hist);
    this.heat.setBounds(m.heatBounds);
    if (this.ui.paused && this.pausedAt === null) this.pausedAt = this.dataEnd();
    if (this.brushed) this.clearBrush(false);

    this.header.setConnections(this.connections, this.selected);
    this.header.setPaused(this.ui.paused, 0);
    this.renderData();
    // For the benchmark (performance measures are the browser's, nothing is put on window).
    queueMicrotask(() => performance.measure('pulse:init', { start: t0, duration: performance.now() - t0 }));
  }

  private onTick(m: TickMessage): void {
    if (m.connection !== this.selected) return;
    if (this.ui.paused) {
      this.buffer.add(m);
      this.panelState = m.state;
      this.notices = m.notices ?? [];
      this.header.setPaused(true, this.buffer.ticks);
      this.renderStatus();
      return;
    }
    this.applyTick(m);
  }

  private applyTick(m: TickMessage): void {
    const t0 = performance.now();
    this.history.append(m.points ?? []);
    if (m.heatBounds !== undefined) this.heat.setBounds(m.heatBounds);
    this.panelState = m.state;
    this.notices = m.notices ?? [];
    this.tiles = m.tiles;
    this.live = { rows: m.table ?? [], truncated: m.tableTruncated ?? 0 };
    this.renderData();
    // uPlot draws in a microtask queued by setData; this one runs after it, and brings style and
    // layout up to date (which the frame would do anyway), so the time is the tick's whole cost.
    queueMicrotask(() => {
      void document.body.offsetHeight;
      post({ type: 'perf', tickMs: performance.now() - t0 });
    });
  }

  /** Everything that follows the data: charts (one setData each), heatmap (next frame), tiles, table. */
  private renderData(): void {
    this.updateView();
    this.refreshRoutes();
    for (const c of this.charts) c.update();
    this.heat.update();
    this.loadSection.updateCharts();
    this.tileRow.update(this.tiles, this.thresholds, this.view);
    if (!this.brushed) this.table.setRows(this.live.rows, this.live.truncated, { kind: 'live' });
    this.renderStatus();
  }

  private renderStatus(): void {
    const now = Date.now();
    this.header.setStatus(this.panelState, this.ui.paused, this.pausedAt, now);
    this.banners.update({ state: this.panelState, notices: this.notices, hasHistory: this.history.length > 0, now });
    this.content.hidden = !this.banners.blank.hidden;
  }

  /** Where the load run shown starts and ends (its start while no second is in), for the view. */
  private loadSpan(): { loadFirst: number | undefined; loadLast: number | undefined } {
    const run = this.load.visible ? this.load.run : null;
    return { loadFirst: run ? (this.load.first ?? run.startedAt) : undefined, loadLast: run ? (this.load.last ?? run.startedAt) : undefined };
  }

  /** Where the data end: the service's newest point, or the load run's when the service fell behind. */
  private dataEnd(): number | null {
    if (this.history.length === 0 && !this.load.visible) return null;
    return dataEnd({ historyFirst: this.history.first, historyLast: this.history.last, ...this.loadSpan(), intervalMs: this.intervalMs, now: Date.now() });
  }

  /**
   * The visible range: the window ending at the newest point (or where the user paused). While
   * the data are shorter than the window, the range starts at the first point instead, so the
   * lines grow from the left rather than hugging the right edge. See viewRange.
   */
  private updateView(): void {
    const r = viewRange({
      spanMs: this.ui.viewSeconds * 1000,
      historyFirst: this.history.first,
      historyLast: this.history.last,
      ...this.loadSpan(),
      intervalMs: this.intervalMs,
      pausedAt: this.ui.paused ? this.pausedAt : null,
      now: Date.now(),
    });
    this.view.to = r.to;
    this.view.from = r.from;
  }

  /** Redraw after the view or the brushed range moved (no new data). */
  private redrawAll(): void {
    this.updateView();
    for (const c of this.charts) c.redraw();
    this.heat.redraw();
    this.loadSection.updateCharts();
    this.tileRow.redrawSparks(this.view);
  }

  // ── load test ───────────────────────────────────────────────────────────────

  /**
   * A second of load (or a new run, its end, a re-init): appended to the load model, then the
   * summary and one setData per load chart. The service charts are redrawn only when the band or
   * the visible window changed (a new run, its end, the service fallen behind the load).
   */
  private onLoadTest(m: LoadTestMessage): void {
    const t0 = performance.now();
    const r = this.load.apply(m);
    this.loadSection.render();
    const { from, to } = this.view;
    this.updateView();
    const moved = from !== this.view.from || to !== this.view.to;
    if (r.replaced || r.stateChanged || moved) this.redrawAll();
    else if (r.added) this.loadSection.updateCharts();
    queueMicrotask(() => {
      performance.measure('pulse:loadTest', { start: t0, duration: performance.now() - t0 });
      if (performance.getEntriesByName('pulse:loadTest').length > 500) performance.clearMeasures('pulse:loadTest');
    });
  }

  private dismissLoad(): void {
    this.load.dismiss();
    this.loadSection.render();
    this.redrawAll();
  }

  // ── routes ──────────────────────────────────────────────────────────────────

  /** The route of the route chart: the user's pick, else the slowest route with data. */
  private route(): string | null {
    const r = this.history.routes;
    if (this.ui.route !== null && r.has(this.ui.route)) return this.ui.route;
    if (this.autoRoute !== null && r.has(this.autoRoute)) return this.autoRoute;
    this.autoRoute = this.live.rows.find((row) => r.has(row.key))?.key ?? this.history.routeKeys()[0] ?? null;
    return this.autoRoute;
  }

  private refreshRoutes(): void {
    const keys = [...this.history.routes.keys()].sort();
    const current = this.route();
    this.routePicker.set(keys, current);
    this.table.setSelectedRoute(current);
  }

  private pickRoute(key: string): void {
    this.ui.route = key;
    this.persist();
    this.refreshRoutes();
    this.charts.find((c) => c.id === 'route')?.update();
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.charts.find((c) => c.id === 'route')?.el.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
  }

  // ── header actions ──────────────────────────────────────────────────────────

  private select(id: string): void {
    if (id === this.selected) return;
    this.ui.selected = id;
    this.persist();
    post({ type: 'select', connection: id });
  }

  private setWindow(seconds: number): void {
    this.ui.viewSeconds = seconds;
    this.persist();
    this.header.setWindow(seconds);
    this.redrawAll();
  }

  private togglePause(): void {
    this.ui.paused = !this.ui.paused;
    this.persist();
    if (this.ui.paused) {
      this.pausedAt = this.dataEnd();
      this.header.setPaused(true, 0);
      this.renderStatus();
      return;
    }
    this.pausedAt = null;
    this.header.setPaused(false, 0);
    const pending = this.buffer.take();
    if (pending) this.applyTick(pending);
    else this.redrawAll();
    this.renderStatus();
  }

  private exportCsv(): void {
    if (this.exportReq) return;
    const id = this.nextRequest++;
    const timer = window.setTimeout(() => {
      if (this.exportReq?.id !== id) return;
      this.exportReq = null;
      this.header.setExport({ kind: 'error', message: 'no answer from Pulse' });
    }, EXPORT_TIMEOUT_MS);
    this.exportReq = { id, timer };
    this.header.setExport({ kind: 'busy' });
    post({ type: 'exportCsv', requestId: id, from: Math.round(this.view.from), to: Math.round(this.view.to) });
  }

  private onExported(requestId: number, path: string | undefined, error: string | undefined): void {
    if (this.exportReq?.id !== requestId) return;
    window.clearTimeout(this.exportReq.timer);
    this.exportReq = null;
    const s: ExportStatus = error ? { kind: 'error', message: error } : path ? { kind: 'done', path } : { kind: 'idle' };
    this.header.setExport(s);
  }

  // ── brushing ────────────────────────────────────────────────────────────────

  private brush(from: number, to: number): void {
    if (!(to - from >= 1000)) return;
    window.clearTimeout(this.rangeTimer);
    const requestId = this.nextRequest++;
    this.brushed = { from, to, requestId, rows: null, truncated: 0 };
    this.rangeTimer = window.setTimeout(() => {
      if (this.brushed?.requestId !== requestId || this.brushed.rows) return;
      this.brushed.error = 'No answer for this range — drag again to retry.';
      this.table.setMode(this.tableMode());
    }, RANGE_TIMEOUT_MS);
    post({ type: 'rangeTable', requestId, from, to });
    this.table.setMode(this.tableMode());
    this.redrawAll();
  }

  private onRangeTable(requestId: number, rows: EndpointRow[], truncated: number): void {
    const b = this.brushed;
    if (!b || b.requestId !== requestId) return;
    window.clearTimeout(this.rangeTimer);
    b.rows = rows ?? [];
    b.truncated = truncated ?? 0;
    this.table.setRows(b.rows, b.truncated, this.tableMode());
  }

  private clearBrush(redraw = true): void {
    if (!this.brushed) return;
    window.clearTimeout(this.rangeTimer);
    this.brushed = null;
    this.table.setRows(this.live.rows, this.live.truncated, { kind: 'live' });
    if (redraw) this.redrawAll();
  }

  private tableMode(): TableMode {
    const b = this.brushed;
    if (!b) return { kind: 'live' };
    const mode: TableMode = { kind: 'range', from: b.from, to: b.to, loading: b.rows === null && !b.error };
    if (b.error) mode.error = b.error;
    return mode;
  }

  // ── misc ────────────────────────────────────────────────────────────────────

  private retheme(): void {
    this.palette = readPalette();
    for (const c of this.charts) {
      c.rebuild();
      c.update();
    }
    this.heat.rebuild();
    this.heat.update();
    this.loadSection.rebuild();
    this.tileRow.redrawSparks(this.view);
  }

  private persist(): void {
    vscode.setState(this.ui);
  }
}

const root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
new Dashboard(root);
