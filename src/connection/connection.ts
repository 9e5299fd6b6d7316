// One live connection: a source, its monitor, its dashboard history, and everything that
// lives as long as it.

import * as vscode from 'vscode';
import { EndpointSource, type SignalSource } from '../core/source';
import { Monitor, type MonitorState } from '../core/monitor';
import { endpointLabel, type EndpointConfig } from '../core/endpoints';
import { PrometheusServerSource } from '../core/promserver/source';
import { PointHistory } from '../dashboard/history';
import { heatBounds, pointFromSignals } from '../dashboard/shape';
import type { Point } from '../dashboard/protocol';
import type { Signals } from '../core/types';
import type { Config } from '../config';

export class Connection implements vscode.Disposable {
  readonly monitor: Monitor;
  readonly history: PointHistory;
  /** Newest signals (ok or no-data polls), for tiles and the table. */
  lastSignals: Signals | undefined;
  heatBounds: (number | null)[] | null = null;
  private readonly updates = new vscode.EventEmitter<{ state: MonitorState; point?: Point }>();
  /** Fires after every poll, with the new point when there is one. */
  readonly onDidUpdate = this.updates.event;
  private readonly disposables: vscode.Disposable[] = [this.updates];

  constructor(
    readonly endpoint: EndpointConfig,
    config: Config,
    headers: Record<string, string>,
  ) {
    const scrape = config.scrape;
    const source: SignalSource =
      endpoint.kind === 'prometheus-server'
        ? new PrometheusServerSource({ url: endpoint.url, selector: endpoint.selector ?? '', windowSeconds: scrape.windowSeconds, timeoutMs: scrape.timeoutMs, headers, mapping: config.mapping })
        : new EndpointSource(
            { url: endpoint.url, kind: endpoint.kind, headers, timeoutMs: scrape.timeoutMs, maxBytes: scrape.maxBytes, jsonPaths: config.jsonPaths },
            { windowSeconds: scrape.windowSeconds, historySeconds: scrape.historySeconds, intervalMs: scrape.intervalMs, mapping: config.mapping },
          );
    this.history = new PointHistory(scrape.historySeconds * 1000);
    this.monitor = new Monitor(source, { intervalMs: scrape.intervalMs, thresholds: config.thresholds });
    this.disposables.push(this.monitor.onChange((s) => this.onState(s)));
    this.monitor.start();
  }

  private onState(state: MonitorState): void {
    let point: Point | undefined;
    if (state.kind === 'ok' || state.kind === 'noData') {
      const signals = state.last.signals;
      this.lastSignals = signals;
      const bounds = heatBounds(signals);
      if (bounds) this.heatBounds = bounds;
      point = pointFromSignals(signals, state.last.at);
      this.history.push(point);
    }
    this.updates.fire(point ? { state, point } : { state });
  }

  get id(): string {
    return this.endpoint.url;
  }

  get label(): string {
    return endpointLabel(this.endpoint);
  }

  dispose(): void {
    this.monitor.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
