// "Pulse: Compare with Baseline…", and the verdict announced after a load test when
// pulse.compare.defaultBaseline is set (notification + status bar).

import * as vscode from 'vscode';
import { compareRuns, type ComparisonReport } from '../core/compare/report';
import type { Ctx } from '../ctx';
import type { LoadRunOutcome } from '../loadtest/run';
import { fileArg, readExplained, resolveBaseline } from './files';
import { ComparisonPanel } from './panel';
import { newestRun, pickBaseline, pickRun } from './pick';

/** Compares two files with the rules, targets and seed from settings (the baseline's own rules win). */
export async function compareFiles(ctx: Ctx, baselineFile: string, runFile: string): Promise<ComparisonReport> {
  const [baseline, current] = await Promise.all([readExplained(baselineFile), readExplained(runFile)]);
  const c = ctx.config.compare;
  return compareRuns(baseline, current, { rules: c.rules, targets: c.targets, seed: c.seed });
}

/** Arguments (baselinePath, runPath) for automation; the run defaults to the newest one. */
export async function compareWithBaseline(ctx: Ctx, baselineArg?: unknown, runArg?: unknown): Promise<ComparisonReport | undefined> {
  const baselineFile = fileArg(baselineArg) ?? (await pickBaseline('Pulse: compare with which baseline?'));
  if (!baselineFile) return undefined;
  const runFile = fileArg(runArg) ?? (baselineArg === undefined ? await pickRun('Pulse: compare which run? (newest first)') : await newestRun());
  if (!runFile) return undefined;
  const report = await compareFiles(ctx, baselineFile, runFile);
  ComparisonPanel.show(report);
  return report;
}

const VERDICT_WORDS = { improved: 'improved', '~': 'no significant change', regressed: 'regressed' } as const;

/** The verdict in the status bar and a notification offering the full view. */
export function announce(ctx: Ctx, report: ComparisonReport): void {
  ComparisonPanel.last = report;
  ctx.statusBar.setExtras({ compare: { verdict: report.verdict, baseline: report.baseline.name, detail: report.summary } });
  const text = `Pulse: "${report.current.runName}" vs baseline "${report.baseline.name}": ${VERDICT_WORDS[report.verdict]} — ${report.summary}`;
  const show = report.verdict === 'regressed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(text, 'Open Comparison').then((c) => {
    if (c) ComparisonPanel.show(report);
  });
}

/** Set while "Run and Compare" runs its load test: it compares with its own baseline instead. */
let ownComparison = false;

export async function withOwnComparison<T>(fn: () => Promise<T>): Promise<T> {
  ownComparison = true;
  try {
    return await fn();
  } finally {
    ownComparison = false;
  }
}

/** After every finished (not cancelled) load test, when a default baseline is set. */
export async function compareWithDefault(ctx: Ctx, o: LoadRunOutcome): Promise<void> {
  const name = ctx.config.compare.defaultBaseline;
  if (!name || ownComparison || !o.recordPath || o.result.stoppedBy === 'cancelled') return;
  try {
    announce(ctx, await compareFiles(ctx, resolveBaseline(name), o.recordPath));
  } catch (e) {
    const msg = `cannot compare with the default baseline (pulse.compare.defaultBaseline = "${name}"): ${e instanceof Error ? e.message : String(e)}`;
    ctx.output.warn(msg);
    void vscode.window.showWarningMessage(`Pulse: ${msg}`);
  }
}
