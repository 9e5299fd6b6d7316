// Entry point: build the context, register commands, then connect in the background so
// activation stays fast.

import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { Config } from './config';
import { registerCommands } from './commands';
import { discover } from './core/discovery';
import type { StatusInput, StatusView } from './status/render';

/** Returned from activate() for tests and other extensions. */
export interface PulseApi {
  health(): StatusInput;
  statusBar(): StatusView;
  demoUrl(): string | undefined;
  onDidChangeHealth: vscode.Event<StatusInput>;
  /** Markdown of "Show Health Details". */
  details(): string;
}

export function activate(context: vscode.ExtensionContext): PulseApi {
  const ctx = new Ctx(context);
  registerCommands(ctx);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affectsConnection(e)) void ctx.reconnect();
      else if (Config.affectsThresholds(e)) ctx.applyThresholds();
    }),
  );
  setTimeout(() => void autoConnect(ctx), 0);
  return {
    health: () => ctx.health,
    statusBar: () => ctx.statusBar.current,
    demoUrl: () => ctx.demo.url,
    onDidChangeHealth: ctx.onDidChangeState,
    details: () => ctx.renderDetails(),
  };
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
  const found = await discover(config.discoveryPorts ? { ports: config.discoveryPorts } : {});
  if (!found.length || ctx.current) return;
  const best = found.find((f) => f.kind === 'prometheus') ?? found[0]!;
  const more = found.length > 1 ? `, and ${found.length - 1} more` : '';
  const choice = await vscode.window.showInformationMessage(`Pulse found metrics at ${best.url} (${best.detail}${more}).`, 'Connect', ...(found.length > 1 ? ['Choose…'] : []));
  if (choice === 'Connect' && !ctx.current) await vscode.commands.executeCommand('pulse.connect', { url: best.url, kind: best.kind });
  if (choice === 'Choose…') await vscode.commands.executeCommand('pulse.connect');
}

export function deactivate(): void {}
