// A "Run" CodeLens at the top of every *.loadtest.json scenario.

import * as vscode from 'vscode';

export class ScenarioCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, { title: '$(play) Run load test', command: 'pulse.runLoadTest', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Open runs folder', command: 'revealInExplorer', arguments: [vscode.Uri.joinPath(vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? doc.uri, '.pulse', 'runs')] }),
    ];
  }
}

export function registerScenarioCodeLens(subscriptions: vscode.Disposable[]): void {
  subscriptions.push(vscode.languages.registerCodeLensProvider({ pattern: '**/*.loadtest.json' }, new ScenarioCodeLens()));
}
