// The status-bar health indicator: holds one state object and re-renders from it.

import * as vscode from 'vscode';
import { renderStatus, type StatusExtras, type StatusInput, type StatusView } from './render';

export class HealthStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: StatusInput = { kind: 'idle' };
  private extras: StatusExtras = {};
  /** Read at every render (and so on the ticker): slow lines per minute age with the clock. */
  private slowSource: () => StatusExtras['slowPerMinute'] = () => null;
  private view: StatusView = renderStatus(this.state, Date.now());
  // Re-render every few seconds so "5 s ago" and hold timers stay true between scrapes.
  private readonly ticker = setInterval(() => this.render(), 5000);

  constructor() {
    this.item = vscode.window.createStatusBarItem('pulse.health', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Pulse';
    this.item.command = 'pulse.openDashboard';
    this.render();
    this.item.show();
  }

  setHealth(state: StatusInput): void {
    this.state = state;
    this.render();
  }

  setExtras(extras: StatusExtras): void {
    this.extras = { ...this.extras, ...extras };
    this.render();
  }

  setSlowSource(source: () => StatusExtras['slowPerMinute']): void {
    this.slowSource = source;
    this.render();
  }

  refresh(): void {
    this.render();
  }

  /** What is on screen now (for the details view and tests). */
  get current(): StatusView {
    return this.view;
  }

  private render(): void {
    const v = renderStatus(this.state, Date.now(), { ...this.extras, slowPerMinute: this.slowSource() });
    this.view = v;
    this.item.text = v.text;
    const md = new vscode.MarkdownString(`${v.tooltip}\n\n[Open Dashboard](command:pulse.openDashboard) · [Health Details](command:pulse.showHealth)`);
    md.supportThemeIcons = true;
    md.isTrusted = { enabledCommands: ['pulse.openDashboard', 'pulse.showHealth'] };
    this.item.tooltip = md;
    this.item.backgroundColor = v.level === 'none' ? undefined : new vscode.ThemeColor(v.level === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.accessibilityInformation = { label: `Pulse health: ${v.text.replace(/\$\([^)]*\)\s*/g, '')}`, role: 'button' };
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.item.dispose();
  }
}
