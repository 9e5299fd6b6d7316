// "Pulse: Export Run as CSV…": a run record's service-metric timeline as CSV (the seed monitor's columns).

import * as vscode from 'vscode';
import * as path from 'node:path';
import { listRunRecords, readRunRecord, runRecordCsv, RUNS_DIR } from '../core/runs/record';
import { writeFileAtomic } from '../core/atomic';

export async function exportRunCsv(arg?: unknown, target?: unknown): Promise<string | undefined> {
  let file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
  if (!file) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!folder) throw new Error('open a folder first: run records live in its .pulse/runs');
    const runs = await listRunRecords(path.join(folder, RUNS_DIR));
    if (!runs.length) throw new Error('no run records in .pulse/runs yet (run "Pulse: Run Load Test…")');
    const pick = await vscode.window.showQuickPick(
      runs.filter((r) => !r.error).map((r) => ({ label: r.name ?? path.basename(r.file), description: `${r.createdAt ?? ''} · ${r.requests ?? '?'} requests`, file: r.file })),
      { title: 'Pulse: export which run?' },
    );
    file = pick?.file;
  }
  if (!file) return undefined;
  const record = await readRunRecord(file);
  const out =
    typeof target === 'string'
      ? target
      : (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(file.replace(/\.json$/, '.csv')), filters: { CSV: ['csv'] }, title: 'Export run metrics as CSV' }))?.fsPath;
  if (!out) return undefined;
  await writeFileAtomic(out, runRecordCsv(record));
  return out;
}
