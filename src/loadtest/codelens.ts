// A "Run" CodeLens at the top of every *.loadtest.json scenario.

import * as vscode from 'vscode';

export class ScenarioCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  readonly trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const range = new vscode.Range(0, 0, 0, 0);
    // Restricted Mode: no Run lens (it would only be refused); say how to get it instead.
    const run = vscode.workspace.isTrusted
      ? new vscode.CodeLens(range, { title: '$(play) Run load test', command: 'pulse.runLoadTest', arguments: [doc.uri] })
      : new vscode.CodeLens(range, { title: '$(shield) Trust this workspace to run load tests', command: 'workbench.trust.manage' });
    return [
      run,
      new vscode.CodeLens(range, { title: 'Open runs folder', command: 'revealInExplorer', arguments: [vscode.Uri.joinPath(vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? doc.uri, '.pulse', 'runs')] }),
    ];
  }
}

export function registerScenarioCodeLens(subscriptions: vscode.Disposable[]): void {
  const provider = new ScenarioCodeLens();
  subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: '**/*.loadtest.json' }, provider), provider.trustGranted);
}
