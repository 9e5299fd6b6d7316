// Optional Problems-panel entries for slow lines (pulse.logs.problems, off by default: a busy
// log would drown real problems).

import * as vscode from 'vscode';
import { fmtMs } from '../core/format';
import type { LogDocState, LogDocuments } from './documents';

const MAX_PER_DOCUMENT = 1000;

export class LogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pulse-slow-requests');
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly docs: LogDocuments,
    private enabled: boolean,
  ) {
    this.sub = docs.onDidChange((s) => this.update(s));
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.collection.clear();
    else for (const s of this.docs.tracked) this.update(s);
  }

  private update(s: LogDocState): void {
    if (!this.enabled) return;
    const diags: vscode.Diagnostic[] = [];
    for (const h of s.hits.all()) {
      if (!h.slow) continue;
      const d = new vscode.Diagnostic(s.doc.lineAt(h.line).range, `Slow request: ${[h.method, h.path].filter(Boolean).join(' ')} took ${fmtMs(h.durationMs)} (threshold ${fmtMs(h.thresholdMs)})`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Pulse';
      diags.push(d);
      if (diags.length >= MAX_PER_DOCUMENT) break;
    }
    this.collection.set(s.doc.uri, diags);
  }

  dispose(): void {
    this.sub.dispose();
    this.collection.dispose();
  }
}
