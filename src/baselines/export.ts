// "Pulse: Export Comparison Report…": the last comparison as <name>.html (self-contained: charts
// inline, no network), <name>.md (fits a pull-request comment) and <name>.json (the report with
// its schemaVersion), side by side, each written atomically.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomic';
import { renderHtml, renderJson, renderMarkdown } from '../core/compare/render';
import { slug } from '../core/runs/record';
import { fileArg, REPORTS_DIR, rel, workspaceRoot } from './files';
import { ComparisonPanel } from './panel';

/** Argument (target path without extension) for automation. Returns the files written. */
export async function exportComparison(targetArg?: unknown): Promise<{ html: string; md: string; json: string } | undefined> {
  const report = ComparisonPanel.last;
  if (!report) throw new Error('no comparison to export yet: run "Pulse: Compare with Baseline…" first');
  let target = fileArg(targetArg);
  if (!target) {
    const suggested = path.join(workspaceRoot(), REPORTS_DIR, `${slug(`${report.current.runName} vs ${report.baseline.name}`)}.html`);
    const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(suggested), filters: { 'HTML (Markdown and JSON written beside it)': ['html'] }, title: 'Pulse: export comparison report' });
    target = uri?.fsPath;
  }
  if (!target) return undefined;
  const stem = target.replace(/\.(html?|md|json)$/i, '');
  const out = { html: `${stem}.html`, md: `${stem}.md`, json: `${stem}.json` };
  await writeFileAtomic(out.html, renderHtml(report));
  await writeFileAtomic(out.md, renderMarkdown(report));
  await writeFileAtomic(out.json, renderJson(report));
  void vscode.window.showInformationMessage(`Pulse: comparison report written to ${rel(out.html)} (and .md, .json beside it).`, 'Open Markdown').then((c) => {
    if (c) void vscode.window.showTextDocument(vscode.Uri.file(out.md));
  });
  return out;
}
