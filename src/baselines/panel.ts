// The comparison view: one webview panel showing the report's self-contained HTML. No scripts:
// the document's own CSP allows only its nonce'd <style> and data: images, and the panel loads
// no local resources. Export is a title-bar command, not a button in the page.

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ComparisonReport } from '../core/compare/report';
import { renderHtml } from '../core/compare/render';

export const COMPARISON_VIEW_TYPE = 'pulse.comparison';

export function comparisonTitle(r: ComparisonReport): string {
  return `Pulse: ${r.current.runName} vs ${r.baseline.name}`;
}

const LAST_SHOWN_KEY = 'pulse.comparison.lastShown';
const OPTIONS: vscode.WebviewPanelOptions & vscode.WebviewOptions = { enableScripts: false, enableFindWidget: true, localResourceRoots: [] };

export class ComparisonPanel {
  static current: ComparisonPanel | undefined;
  /** The last comparison made (shown or announced): what "Export Comparison Report…" writes. */
  static last: ComparisonReport | undefined;
  /** Where the shown report is kept so a window reload can restore the view (no webview state without scripts). */
  static memento: vscode.Memento | undefined;
  private readonly sub: vscode.Disposable;

  private constructor(readonly panel: vscode.WebviewPanel) {
    this.sub = panel.onDidDispose(() => {
      this.sub.dispose();
      if (ComparisonPanel.current === this) ComparisonPanel.current = undefined;
    });
  }

  /** Shows `report` in the comparison panel (created on first use, reused after). */
  static show(report: ComparisonReport): ComparisonPanel {
    ComparisonPanel.last = report;
    let p = ComparisonPanel.current;
    if (p) p.panel.reveal(undefined, true);
    else {
      const panel = vscode.window.createWebviewPanel(COMPARISON_VIEW_TYPE, comparisonTitle(report), { viewColumn: vscode.ViewColumn.Active }, OPTIONS);
      p = ComparisonPanel.current = new ComparisonPanel(panel);
    }
    p.render(report);
    void ComparisonPanel.memento?.update(LAST_SHOWN_KEY, report);
    return p;
  }

  /** After a window reload: the panel VS Code kept, showing the report it showed before. */
  static restore(panel: vscode.WebviewPanel): void {
    panel.webview.options = OPTIONS;
    ComparisonPanel.current?.panel.dispose();
    const p = (ComparisonPanel.current = new ComparisonPanel(panel));
    const report = ComparisonPanel.memento?.get<ComparisonReport>(LAST_SHOWN_KEY);
    if (report?.kind === 'pulse-comparison') {
      ComparisonPanel.last ??= report;
      p.render(report);
    } else panel.webview.html = '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"></head><body><p>This comparison is no longer available: run "Pulse: Compare with Baseline…" again.</p></body></html>';
  }

  private render(report: ComparisonReport): void {
    this.panel.title = comparisonTitle(report);
    // A fresh nonce per render, so an old document's nonce never applies to new content.
    this.panel.webview.html = renderHtml(report, { nonce: randomBytes(16).toString('base64'), title: comparisonTitle(report) });
  }

  /** What the panel displays (tests read it). */
  get view(): { title: string; html: string; visible: boolean } {
    return { title: this.panel.title, html: this.panel.webview.html, visible: this.panel.visible };
  }
}
