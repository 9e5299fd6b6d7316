// The extension's one context object. Two lifetimes: the extension's (status bar, providers,
// commands) and one connection's (source, monitor, listeners) — each disposable belongs to one.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { Config } from './config';
import { Connection } from './connection/connection';
import { HealthStatusBar } from './status/statusBar';
import { HealthDetailsProvider } from './health/details';
import { renderDetails } from './health/detailsRender';
import { DemoProcess } from './demo-host/demoProcess';
import type { EndpointConfig } from './core/endpoints';
import type { MonitorState } from './core/monitor';
import type { StatusInput } from './status/render';

const SECRET_PREFIX = 'pulse.auth:';

export class Ctx implements vscode.Disposable {
  readonly statusBar = new HealthStatusBar();
  readonly details: HealthDetailsProvider;
  readonly demo = new DemoProcess();
  readonly output = vscode.window.createOutputChannel('Pulse', { log: true });
  private connection: Connection | undefined;
  private state: StatusInput = { kind: 'idle' };
  private readonly stateEmitter = new vscode.EventEmitter<StatusInput>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.details = new HealthDetailsProvider(() => this.renderDetails());
    extension.subscriptions.push(this, vscode.workspace.registerTextDocumentContentProvider('pulse-health', this.details));
  }

  get config(): Config {
    return new Config();
  }

  get current(): Connection | undefined {
    return this.connection;
  }

  get health(): StatusInput {
    return this.state;
  }

  private setState(s: StatusInput): void {
    const prev = this.state.kind;
    this.state = s;
    this.statusBar.setHealth(s);
    this.details.refresh();
    this.stateEmitter.fire(s);
    if (s.kind !== prev) this.output.info(`${s.kind}${'url' in s ? ` ${s.url}` : ''}${s.kind === 'down' ? `: ${s.reason}` : ''}`);
  }

  async connect(endpoint: EndpointConfig): Promise<Connection> {
    this.disconnect();
    const config = this.config;
    const headers = await this.authHeaders(endpoint);
    for (const p of config.problems) this.output.warn(p);
    const conn = new Connection(endpoint, config, headers, (s: MonitorState) => {
      if (this.connection === conn) this.setState(s);
    });
    this.connection = conn;
    this.setState(conn.monitor.state);
    return conn;
  }

  disconnect(): boolean {
    const had = this.connection !== undefined;
    this.connection?.dispose();
    this.connection = undefined;
    this.setState({ kind: 'idle' });
    return had;
  }

  /** Thresholds changed: re-evaluate without reconnecting. */
  applyThresholds(): void {
    this.connection?.monitor.setThresholds(this.config.thresholds);
  }

  async reconnect(): Promise<void> {
    if (this.connection) await this.connect(this.connection.endpoint);
  }

  private async authHeaders(e: EndpointConfig): Promise<Record<string, string>> {
    const secret = await this.extension.secrets.get(SECRET_PREFIX + new URL(e.url).origin);
    return secret ? { [e.authHeaderName ?? 'Authorization']: secret } : {};
  }

  async setAuthSecret(origin: string, value: string | undefined): Promise<void> {
    if (value) await this.extension.secrets.store(SECRET_PREFIX + origin, value);
    else await this.extension.secrets.delete(SECRET_PREFIX + origin);
  }

  demoScript(): string {
    return path.join(this.extension.extensionPath, 'dist', 'demo.js');
  }

  demoLogFile(): string {
    return path.join(this.extension.globalStorageUri.fsPath, 'demo-service.log');
  }

  renderDetails(): string {
    const config = this.config;
    const problems = config.validateAll();
    return renderDetails({ state: this.state, ...(this.connection ? { label: this.connection.label } : {}), thresholds: config.thresholds, problems, demoUrl: this.demo.url, now: Date.now() });
  }

  dispose(): void {
    this.connection?.dispose();
    this.connection = undefined;
    void this.demo.stop();
    this.statusBar.dispose();
    this.details.dispose();
    this.stateEmitter.dispose();
    this.output.dispose();
  }
}
