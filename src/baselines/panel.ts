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

export class ComparisonPanel {
  static current: ComparisonPanel | undefined;
  /** The last comparison made (shown or announced): what "Export Comparison Report…" writes. */
  static last: ComparisonReport | undefined;
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
      const panel = vscode.window.createWebviewPanel(COMPARISON_VIEW_TYPE, comparisonTitle(report), { viewColumn: vscode.ViewColumn.Active }, { enableScripts: false, enableFindWidget: true, localResourceRoots: [] });
      p = ComparisonPanel.current = new ComparisonPanel(panel);
    }
    p.panel.title = comparisonTitle(report);
    // A fresh nonce per render, so an old document's nonce never applies to new content.
    p.panel.webview.html = renderHtml(report, { nonce: randomBytes(16).toString('base64'), title: comparisonTitle(report) });
    return p;
  }

  /** What the panel displays (tests read it). */
  get view(): { title: string; html: string; visible: boolean } {
    return { title: this.panel.title, html: this.panel.webview.html, visible: this.panel.visible };
  }
}
