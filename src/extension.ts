// Entry point: build the context, register commands, then connect in the background so
// activation stays fast.

import * as vscode from 'vscode';
import type { LogsFeature } from './logs/feature';
import { Ctx } from './ctx';
import { Config } from './config';
import { registerCommands } from './commands';
import { DashboardPanel, registerDashboard } from './dashboard/panel';
import { registerScenarioCodeLens } from './loadtest/codelens';
import { LoadTaskProvider, TASK_TYPE, watchLoadTasks } from './loadtest/tasks';
import { discover, type Discovered } from './core/discovery';
import type { StatusInput, StatusView } from './status/render';
import { ComparisonPanel, registerBaselines } from './baselines';
import type { ComparisonReport } from './core/compare/report';

/** Returned from activate() for tests and other extensions. */
export interface PulseApi {
  health(): StatusInput;
  statusBar(): StatusView;
  demoUrl(): string | undefined;
  onDidChangeHealth: vscode.Event<StatusInput>;
  /** Markdown of "Show Health Details". */
  details(): string;
  /** Loopback discovery with the configured ports (what Connect and startup use). */
  discover(): Promise<Discovered[]>;
  /** The open dashboard panel, if any (tests read what its webview displays). */
  dashboard(): DashboardPanel | undefined;
  /** Slow-request logs: open documents, decorations, the Slow Requests view, followers. */
  logs(): LogsFeature;
  /** The last error a command showed the user ("Pulse: …"). */
  lastCommandError(): { command: string; message: string } | undefined;
  /** The last comparison made (Compare with Baseline, Run and Compare, or after a load test). */
  lastComparison(): ComparisonReport | undefined;
  /** The open comparison panel's title and HTML, if any. */
  comparisonView(): { title: string; html: string; visible: boolean } | undefined;
  /** Bundle load plus activate(), in ms, measured inside the real extension host. */
  activationMs: number;
  /** Its parts: bundle evaluation and the activate() call. */
  activationParts: { loadMs: number; callMs: number };
}

// Bundled modules above this line have been evaluated by now.
const modulesLoadedAt = performance.now();

export function activate(context: vscode.ExtensionContext): PulseApi {
  const activateStart = performance.now();
  const ctx = new Ctx(context);
  registerCommands(ctx);
  registerDashboard(ctx);
  registerBaselines(ctx);
  registerScenarioCodeLens(context.subscriptions);
  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, new LoadTaskProvider(ctx)), watchLoadTasks(ctx));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('pulse')) return;
      const problems = new Config().validateAll();
      if (problems.length) void vscode.window.showWarningMessage(`Pulse: ${problems[0]}`);
      if (Config.affectsLogs(e)) ctx.logs.reload(new Config().logs);
      // The status bar's verdict is "last run vs the default baseline": a new default voids it.
      if (e.affectsConfiguration('pulse.compare.defaultBaseline')) ctx.statusBar.setExtras({ compare: null });
      if (Config.affectsConnection(e)) void ctx.reconnect();
      else if (Config.affectsThresholds(e)) ctx.applyThresholds();
      ctx.details.refresh();
    }),
  );
  setTimeout(() => void autoConnect(ctx), 0);
  // Like VS Code's own measure: code loading plus the activate() call (not the host's wait between).
  const loadStart = (globalThis as { __pulseLoadStart?: number }).__pulseLoadStart ?? modulesLoadedAt;
  const loadMs = modulesLoadedAt - loadStart;
  const callMs = performance.now() - activateStart;
  const activationMs = loadMs + callMs;
  ctx.output.info(`activated in ${activationMs.toFixed(1)} ms (code loading ${loadMs.toFixed(1)} ms, activate() ${callMs.toFixed(1)} ms)`);
  return {
    activationMs,
    activationParts: { loadMs, callMs },
    health: () => ctx.health,
    statusBar: () => ctx.statusBar.current,
    demoUrl: () => ctx.demo.url,
    onDidChangeHealth: ctx.onDidChangeState,
    details: () => ctx.renderDetails(),
    discover: () => discoverConfigured(ctx),
    dashboard: () => DashboardPanel.current,
    lastCommandError: () => ctx.lastCommandError,
    logs: () => ctx.logs,
    lastComparison: () => ComparisonPanel.last,
    comparisonView: () => ComparisonPanel.current?.view,
  };
}

function discoverConfigured(ctx: Ctx): Promise<Discovered[]> {
  const ports = ctx.config.discoveryPorts;
  return discover(ports ? { ports } : {});
}

/** Connect to the first configured endpoint, or offer what discovery finds on loopback. */
async function autoConnect(ctx: Ctx): Promise<void> {
  const config = ctx.config;
  if (!config.autoConnect || ctx.current) return;
  const first = config.endpoints[0];
  for (const p of config.problems) ctx.output.warn(p);
  if (config.problems.length) void vscode.window.showWarningMessage(`Pulse: ${config.problems[0]}`);
  if (first) {
    await ctx.connect(first);
    return;
  }
  const found = await discoverConfigured(ctx);
  if (!found.length || ctx.current) return;
  // A Prometheus server needs a selector, so only scraped endpoints connect in one click.
  const best = found.find((f) => f.kind === 'prometheus') ?? found.find((f) => f.kind === 'json');
  const what = best ? `${best.url} (${best.detail})` : found[0]!.detail;
  const more = found.length > 1 ? `, and ${found.length - 1} more` : '';
  const choice = await vscode.window.showInformationMessage(`Pulse found metrics at ${what}${more}.`, ...(best ? ['Connect'] : []), ...(found.length > 1 || !best ? ['Choose…'] : []));
  if (choice === 'Connect' && best && !ctx.current) await vscode.commands.executeCommand('pulse.connect', { url: best.url, kind: best.kind });
  if (choice === 'Choose…') await vscode.commands.executeCommand('pulse.connect');
}

export function deactivate(): void {}
