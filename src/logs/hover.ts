// Hover on a slow-request line: what it is and how it compares with its endpoint in the file.

import * as vscode from 'vscode';
import type { LogDocuments } from './documents';
import { slowHoverMarkdown } from './hoverText';

export class SlowLineHover implements vscode.HoverProvider {
  constructor(private readonly docs: LogDocuments) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const s = this.docs.state(doc);
    const hit = s?.hits.at(pos.line);
    if (!s || !hit || !hit.slow) return undefined;
    const endpoint = this.docs.summary(s).endpoints.find((e) => e.method === hit.method && e.path === hit.path);
    return new vscode.Hover(new vscode.MarkdownString(slowHoverMarkdown(hit, endpoint)), doc.lineAt(pos.line).range);
  }
}
