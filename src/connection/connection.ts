// One live connection: a source, its monitor, and everything that lives as long as it.

import * as vscode from 'vscode';
import { EndpointSource, type SignalSource } from '../core/source';
import { Monitor, type MonitorState } from '../core/monitor';
import { endpointLabel, type EndpointConfig } from '../core/endpoints';
import { PrometheusServerSource } from '../core/promserver/source';
import type { Config } from '../config';

export class Connection implements vscode.Disposable {
  readonly monitor: Monitor;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly endpoint: EndpointConfig,
    config: Config,
    headers: Record<string, string>,
    onState: (s: MonitorState) => void,
  ) {
    const scrape = config.scrape;
    const source: SignalSource =
      endpoint.kind === 'prometheus-server'
        ? new PrometheusServerSource({ url: endpoint.url, selector: endpoint.selector ?? '', windowSeconds: scrape.windowSeconds, timeoutMs: scrape.timeoutMs, headers, mapping: config.mapping })
        : new EndpointSource(
            { url: endpoint.url, kind: endpoint.kind, headers, timeoutMs: scrape.timeoutMs, maxBytes: scrape.maxBytes, jsonPaths: config.jsonPaths },
            { windowSeconds: scrape.windowSeconds, historySeconds: scrape.historySeconds, intervalMs: scrape.intervalMs, mapping: config.mapping },
          );
    this.monitor = new Monitor(source, { intervalMs: scrape.intervalMs, thresholds: config.thresholds });
    this.disposables.push(this.monitor.onChange(onState));
    this.monitor.start();
  }

  get label(): string {
    return endpointLabel(this.endpoint);
  }

  dispose(): void {
    this.monitor.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
