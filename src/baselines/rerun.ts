// "Pulse: Run and Compare": the baseline's own load (its recorded configuration) sent again,
// then compared with it. Only Pulse's own load tests can be re-run; load tests need a trusted
// workspace (runLoadTest refuses too; this says why first).

import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Baseline } from '../core/compare/baseline';
import type { ComparisonReport } from '../core/compare/report';
import { loadConfigOf } from '../core/runs/record';
import type { Ctx } from '../ctx';
import { runLoadTest } from '../loadtest/run';
import type { LoadPlan } from '../loadtest/pick';
import { announce, compareFiles, withOwnComparison } from './compare';
import { fileArg, readExplained, workspaceRoot } from './files';
import { ComparisonPanel } from './panel';
import { pickBaseline } from './pick';

function planOf(b: Baseline): LoadPlan {
  const run = b.run;
  if (run.source === 'metrics') throw new Error(`"${b.name}" is a metrics window, not a load test: there is no scenario to run again (capture a new window and use "Compare with Baseline…")`);
  const config = loadConfigOf(run.config);
  if (run.source !== 'pulse' || !config) throw new Error(`"${b.name}" came from an external runner (${run.source}): Pulse cannot re-run it; run it with ${run.source} again (e.g. as a pulse-load task) and use "Compare with Baseline…"`);
  // The recorded configuration, not the scenario file as it is now: the same load as the baseline's.
  return { name: run.name, config, ...(run.scenarioFile ? { scenarioFile: path.resolve(workspaceRoot(), run.scenarioFile) } : {}) };
}

/** Argument (baselinePath) for automation. Returns the comparison, or undefined if not run. */
export async function runAndCompare(ctx: Ctx, baselineArg?: unknown): Promise<ComparisonReport | undefined> {
  if (!vscode.workspace.isTrusted) throw new Error('Run and Compare sends load, and load tests do not run in an untrusted workspace (trust it to run them; "Compare with Baseline…" works here)');
  const file = fileArg(baselineArg) ?? (await pickBaseline('Pulse: run which baseline’s load again?'));
  if (!file) return undefined;
  const plan = planOf(await readExplained(file));
  const out = await withOwnComparison(() => runLoadTest(ctx, plan));
  if (!out) return undefined;
  if (!out.recordPath) throw new Error('the run was not recorded (open a folder first), so it cannot be compared');
  if (out.result.stoppedBy === 'cancelled') return undefined;
  const report = await compareFiles(ctx, file, out.recordPath);
  // The view says it all; the status bar's verdict belongs to the default baseline only.
  ComparisonPanel.show(report);
  return report;
}
