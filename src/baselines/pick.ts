// QuickPicks for a run record (newest first) and a baseline. Unreadable files are listed with
// their problem, so a corrupt baseline is visible rather than silently missing.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { listBaselines } from '../core/compare/baseline';
import { listRunRecords, type RunRecordSummary } from '../core/runs/record';
import { fmtMs } from '../core/format';
import { baselinesDir, rel, runsDir } from './files';

interface FileItem extends vscode.QuickPickItem {
  file: string;
  /** Set for files that cannot be read: picking one explains why. */
  error?: string;
}

const NO_RUNS = 'no run records in .pulse/runs yet (run "Pulse: Run Load Test…" or "Pulse: Capture Metrics Window…")';

function runItem(r: RunRecordSummary): FileItem {
  if (r.error) return { label: `$(warning) ${path.basename(r.file)}`, description: 'unreadable', detail: r.error, file: r.file, error: r.error };
  const facts = [r.source === 'metrics' ? 'metrics window' : r.source, Number.isFinite(r.p95Ms) ? `p95 ${fmtMs(r.p95Ms!)}` : null, Number.isFinite(r.requests) ? `${r.requests} requests` : null, r.createdAt ? new Date(r.createdAt).toLocaleString() : null];
  return { label: r.name ?? path.basename(r.file), description: rel(r.file), detail: facts.filter((f) => f).join(' · '), file: r.file };
}

async function choose(items: FileItem[], title: string): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  if (pick?.error) throw new Error(`${rel(pick.file)}: ${pick.error}`);
  return pick?.file;
}

export async function pickRun(title: string): Promise<string | undefined> {
  const runs = await listRunRecords(runsDir());
  if (!runs.length) throw new Error(NO_RUNS);
  return choose(runs.map(runItem), title);
}

export async function newestRun(): Promise<string> {
  const newest = (await listRunRecords(runsDir())).find((r) => !r.error);
  if (!newest) throw new Error(NO_RUNS);
  return newest.file;
}

export async function pickBaseline(title: string): Promise<string | undefined> {
  const { baselines, errors } = await listBaselines(baselinesDir());
  if (!baselines.length && !errors.length) throw new Error('no baselines in .pulse/baselines yet (run "Pulse: Save Run as Baseline…")');
  const items: FileItem[] = baselines.map((b) => ({
    label: b.name,
    description: `${b.tags.settings.runner === 'metrics' ? 'metrics window' : b.tags.settings.runner}${b.tags.git ? ` · ${b.tags.git.branch ?? ''}@${b.tags.git.commit.slice(0, 7)}` : ''}`,
    detail: [Number.isFinite(b.p95Ms) ? `p95 ${fmtMs(b.p95Ms)}` : null, Number.isFinite(b.requests) ? `${b.requests} requests` : null, new Date(b.createdAt).toLocaleString(), b.tags.machine].filter((f) => f).join(' · '),
    file: b.file,
  }));
  for (const e of errors) items.push({ label: `$(error) ${path.basename(e.file)}`, description: `unreadable (${e.problem})`, detail: e.message, file: e.file, error: e.message.replace(`${e.file}: `, '') });
  return choose(items, title);
}
