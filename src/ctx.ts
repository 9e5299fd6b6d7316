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
import { LoadRunTracker } from './loadtest/live';
import { LogsFeature } from './logs/feature';
import type { EndpointConfig } from './core/endpoints';
import type { StatusInput } from './status/render';
import type { LoadRunOutcome } from './loadtest/run';

const SECRET_PREFIX = 'pulse.auth:';

export class Ctx implements vscode.Disposable {
  readonly statusBar = new HealthStatusBar();
  readonly details: HealthDetailsProvider;
  readonly demo = new DemoProcess();
  readonly loadRuns = new LoadRunTracker();
  readonly output = vscode.window.createOutputChannel('Pulse', { log: true });
  /** The last error a command showed the user (tests read it through the API). */
  lastCommandError: { command: string; message: string } | undefined;
  /** Live connections by endpoint URL; the primary one drives the status bar. */
  private readonly connections = new Map<string, { conn: Connection; sub: vscode.Disposable }>();
  private primary: string | undefined;
  private state: StatusInput = { kind: 'idle' };
  private readonly stateEmitter = new vscode.EventEmitter<StatusInput>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly connectionsEmitter = new vscode.EventEmitter<void>();
  /** Connections were added, removed or the primary changed. */
  readonly onDidChangeConnections = this.connectionsEmitter.event;
  /** Fired by runLoadTest once the run record is written (baselines compare it). */
  readonly loadTestFinished = new vscode.EventEmitter<LoadRunOutcome>();

  readonly logs: LogsFeature;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.details = new HealthDetailsProvider(() => this.renderDetails());
    this.logs = new LogsFeature(extension.extensionUri, new Config().logs, (m) => this.output.warn(m));
    // Slow lines per minute of followed logs: read at each render, so it ages with the status
    // bar's own ticker; new slow lines re-render at once.
    this.statusBar.setSlowSource(() => {
      const n = this.logs.slowPerMinute();
      return n === null ? null : { count: n, files: this.logs.following.length };
    });
    extension.subscriptions.push(this, vscode.workspace.registerTextDocumentContentProvider('pulse-health', this.details), this.logs.onDidChangeFollowed(() => this.statusBar.refresh()));
  }

  get config(): Config {
    return new Config();
  }

  /** The primary connection. */
  get current(): Connection | undefined {
    return this.primary ? this.connections.get(this.primary)?.conn : undefined;
  }

  get all(): Connection[] {
    return [...this.connections.values()].map((c) => c.conn);
  }

  connection(id: string): Connection | undefined {
    return this.connections.get(id)?.conn;
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

  /** Connects (replacing a connection to the same URL) and makes it the primary one. */
  async connect(endpoint: EndpointConfig, makePrimary = true): Promise<Connection> {
    const config = this.config;
    const headers = await this.authHeaders(endpoint);
    for (const p of config.problems) this.output.warn(p);
    this.drop(endpoint.url);
    const conn = new Connection(endpoint, config, headers);
    const sub = conn.onDidUpdate(({ state }) => {
      if (this.primary === conn.id) this.setState(state);
    });
    this.connections.set(conn.id, { conn, sub });
    if (makePrimary || this.primary === conn.id) {
      this.primary = conn.id;
      this.setState(conn.monitor.state);
    }
    this.connectionsEmitter.fire();
    return conn;
  }

  private drop(id: string): boolean {
    const entry = this.connections.get(id);
    if (!entry) return false;
    entry.sub.dispose();
    entry.conn.dispose();
    this.connections.delete(id);
    return true;
  }

  /** Disconnects the primary connection (the next one, if any, becomes primary). */
  disconnect(id = this.primary): boolean {
    const had = id !== undefined && this.drop(id);
    if (id === this.primary) {
      this.primary = this.connections.keys().next().value;
      this.setState(this.current?.monitor.state ?? { kind: 'idle' });
    }
    if (had) this.connectionsEmitter.fire();
    return had;
  }

  /** Thresholds changed: re-evaluate without reconnecting. */
  applyThresholds(): void {
    const t = this.config.thresholds;
    for (const c of this.all) c.monitor.setThresholds(t);
  }

  /** Settings that shape connections changed: rebuild them all; which one is primary stays. */
  async reconnect(): Promise<void> {
    for (const c of this.all) await this.connect(c.endpoint, false);
  }

  /** Rebuild connections to one origin (its auth header changed). */
  async reconnectOrigin(origin: string): Promise<void> {
    for (const c of this.all) if (new URL(c.endpoint.url).origin === origin) await this.connect(c.endpoint, false);
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

  /** The load generator's worker thread (see src/core/load/worker.ts). */
  loadWorkerScript(): string {
    return path.join(this.extension.extensionPath, 'dist', 'load-worker.js');
  }

  demoLogFile(): string {
    return path.join(this.extension.globalStorageUri.fsPath, 'demo-service.log');
  }

  renderDetails(): string {
    const config = this.config;
    const problems = config.validateAll();
    const conn = this.current;
    return renderDetails({ state: this.state, ...(conn ? { label: conn.label } : {}), thresholds: config.thresholds, problems, demoUrl: this.demo.url, now: Date.now() });
  }

  dispose(): void {
    this.logs.dispose();
    for (const id of [...this.connections.keys()]) this.drop(id);
    void this.demo.stop();
    this.statusBar.dispose();
    this.details.dispose();
    this.stateEmitter.dispose();
    this.connectionsEmitter.dispose();
    this.loadTestFinished.dispose();
    this.loadRuns.dispose();
    this.output.dispose();
  }
}
