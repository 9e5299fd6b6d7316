// A read-only virtual Markdown document that re-renders when the health state changes.

import * as vscode from 'vscode';

export const DETAILS_URI = vscode.Uri.parse('pulse-health:/Pulse%20Health.md');

export class HealthDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  constructor(private readonly render: () => string) {}

  provideTextDocumentContent(): string {
    return this.render();
  }

  refresh(): void {
    this.emitter.fire(DETAILS_URI);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
