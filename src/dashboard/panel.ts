// The dashboard webview panel: one per window, revived after reloads by the serializer.
// It posts only while visible (hidden costs nothing) and re-sends everything when shown again.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Connection } from '../connection/connection';
import { dashboardHtml, WEBVIEW_DIR } from './html';
import { csvFromPoints, notices, panelState, tableRows, tiles } from './shape';
import { writeFileAtomic } from '../core/atomic';
import type { DebugStateMessage, HostMessage, InitMessage, PersistedState, WebviewMessage } from './protocol';

export const DASHBOARD_VIEW_TYPE = 'pulse.dashboard';

export class DashboardPanel implements vscode.Disposable {
  static current: DashboardPanel | undefined;
  private ready = false;
  private selected: string | null;
  private connectionSub: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<number, { resolve: (m: DebugStateMessage) => void; timer: NodeJS.Timeout }>();
  private nextRequest = 1;
  /** Webview tick-apply times, newest last (for the benchmark and tests). */
  readonly tickTimes: number[] = [];

  static show(ctx: Ctx, opts: { beside?: boolean } = {}): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal(undefined, opts.beside);
      return DashboardPanel.current;
    }
    const column = opts.beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Pulse Dashboard', column, DashboardPanel.options(ctx));
    return (DashboardPanel.current = new DashboardPanel(ctx, panel, undefined));
  }

  static revive(ctx: Ctx, panel: vscode.WebviewPanel, state: PersistedState | undefined): DashboardPanel {
    panel.webview.options = DashboardPanel.options(ctx);
    DashboardPanel.current?.dispose();
    return (DashboardPanel.current = new DashboardPanel(ctx, panel, state));
  }

  private static options(ctx: Ctx): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(ctx.extension.extensionUri, ...WEBVIEW_DIR)] };
  }

  private constructor(
    private readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    state: PersistedState | undefined,
  ) {
    this.selected = state?.selected && ctx.connection(state.selected) ? state.selected : (ctx.current?.id ?? null);
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icon.png');
    panel.webview.html = dashboardHtml(panel.webview, ctx.extension.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.onMessage(m)),
      // Hidden webviews are torn down (no retainContextWhenHidden); when shown again the
      // page reloads and says `ready`, which re-sends everything.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      ctx.loadRuns.onDidChange(({ run, added, reset }) => this.post({ type: 'loadTest', run, seconds: reset ? [...ctx.loadRuns.seconds] : added, reset })),
      ctx.logs.onDidChangeFollowed(() => this.postSlow()),
      ctx.onDidChangeConnections(() => {
        if (!this.selected || !ctx.connection(this.selected)) this.selected = ctx.current?.id ?? null;
        this.watchSelected();
        this.sendInit();
      }),
    );
    this.watchSelected();
  }

  private post(m: HostMessage): void {
    if (this.ready && this.panel.visible) void this.panel.webview.postMessage(m);
  }

  private get conn(): Connection | undefined {
    return this.selected ? this.ctx.connection(this.selected) : undefined;
  }

  private watchSelected(): void {
    this.connectionSub?.dispose();
    const conn = this.conn;
    this.connectionSub = conn?.onDidUpdate(({ state, point }) => {
      if (!this.ready || !this.panel.visible) return;
      const s = conn.lastSignals;
      const table = s ? tableRows(s.endpoints) : { rows: [], truncated: 0 };
      this.post({
        type: 'tick',
        connection: conn.id,
        points: point ? [point] : [],
        heatBounds: conn.heatBounds,
        state: panelState(state),
        tiles: s ? tiles(s, state.kind === 'ok' ? state.evaluation : undefined) : null,
        table: table.rows,
        tableTruncated: table.truncated,
        notices: this.noticesFor(conn),
      });
    });
  }

  private noticesFor(conn: Connection): string[] {
    const s = conn.lastSignals;
    const src = conn.monitor.source;
    return s ? notices(s, conn.monitor.state.kind === 'ok' ? conn.monitor.state.last.seriesCount : 0, src.droppedSeries ?? 0) : [];
  }

  private initMessage(): InitMessage {
    const conn = this.conn;
    const cfg = this.ctx.config;
    const t = cfg.thresholds;
    const s = conn?.lastSignals;
    const state = conn?.monitor.state;
    const table = s ? tableRows(s.endpoints) : { rows: [], truncated: 0 };
    return {
      type: 'init',
      connections: this.ctx.all.map((c) => ({ id: c.id, label: c.label, url: c.endpoint.url, kind: c.endpoint.kind })),
      selected: conn?.id ?? null,
      thresholds: { p95Ms: t.p95Ms, errorRate: t.errorRate, cacheHitRate: t.cacheHitRate, poolUtilization: t.poolUtilization },
      windowSeconds: cfg.scrape.windowSeconds,
      intervalMs: cfg.scrape.intervalMs,
      history: conn?.history.all() ?? [],
      heatBounds: conn?.heatBounds ?? null,
      state: panelState(state ?? { kind: 'idle' }),
      tiles: s ? tiles(s, state?.kind === 'ok' ? state.evaluation : undefined) : null,
      table: table.rows,
      tableTruncated: table.truncated,
      notices: conn ? this.noticesFor(conn) : [],
    };
  }

  private postSlow(): void {
    const logs = this.ctx.logs;
    this.post({ type: 'slowRequests', following: logs.following, perMinute: logs.slowPerMinute(), items: logs.recentSlow() });
  }

  private sendInit(): void {
    this.post(this.initMessage());
    this.postSlow();
    const run = this.ctx.loadRuns.run;
    if (run) this.post({ type: 'loadTest', run, seconds: [...this.ctx.loadRuns.seconds], reset: true });
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'select':
        this.select(m.connection);
        return;
      case 'rangeTable': {
        const s = this.conn?.monitor.source.signalsBetween?.(m.from, m.to);
        const table = s ? tableRows(s.endpoints) : { rows: [], truncated: 0 };
        this.post({ type: 'rangeTable', requestId: m.requestId, from: m.from, to: m.to, rows: table.rows, truncated: table.truncated });
        return;
      }
      case 'exportCsv':
        this.post({ type: 'exported', requestId: m.requestId, ...(await this.exportCsv(m.from, m.to)) });
        return;
      case 'perf':
        this.tickTimes.push(m.tickMs);
        if (this.tickTimes.length > 1000) this.tickTimes.splice(0, this.tickTimes.length - 1000);
        return;
      case 'debugState': {
        const p = this.pending.get(m.requestId);
        if (p) {
          clearTimeout(p.timer);
          this.pending.delete(m.requestId);
          p.resolve(m);
        }
        return;
      }
    }
  }

  /** Shows another connection (the webview's switcher). */
  select(id: string): boolean {
    if (!this.ctx.connection(id)) return false;
    this.selected = id;
    this.watchSelected();
    this.sendInit();
    return true;
  }

  /** Writes the visible range as CSV (atomically); `target` skips the save dialog (tests, automation). */
  async exportCsv(from?: number, to?: number, target?: vscode.Uri): Promise<{ path?: string; error?: string }> {
    const conn = this.conn;
    if (!conn) return { error: 'not connected' };
    const points = from !== undefined && to !== undefined ? conn.history.range(from, to) : conn.history.all();
    if (!points.length) return { error: 'no data in the visible range yet' };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `pulse-metrics-${new Date(points[0]!.t).toISOString().replace(/[:.]/g, '-')}.csv`;
    const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { CSV: ['csv'] }, title: 'Export metrics as CSV' }));
    if (!uri) return { error: 'cancelled' };
    try {
      await writeFileAtomic(uri.fsPath, csvFromPoints(points));
      return { path: uri.fsPath };
    } catch (e) {
      return { error: `could not write ${uri.fsPath}: ${(e as Error).message}` };
    }
  }

  /** What the webview displays (for tests); rejects after 5 s without an answer. */
  debugState(): Promise<DebugStateMessage> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error('the dashboard webview did not answer within 5 s'));
      }, 5000);
      this.pending.set(requestId, { resolve, timer });
      if (!this.ready || !this.panel.visible) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(new Error('the dashboard is not ready or not visible'));
        return;
      }
      void this.panel.webview.postMessage({ type: 'debugRequest', requestId } satisfies HostMessage);
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  get selectedConnection(): Connection | undefined {
    return this.conn;
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    this.connectionSub?.dispose();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

export function registerDashboard(ctx: Ctx): void {
  ctx.extension.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        DashboardPanel.revive(ctx, panel, state as PersistedState | undefined);
      },
    }),
    { dispose: () => DashboardPanel.current?.dispose() },
  );
}
