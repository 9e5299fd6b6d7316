// "Pulse: Save Run as Baseline…": names a run record as a baseline in .pulse/baselines. An
// existing baseline of that name is replaced only after an explicit "Replace" (interactive) or
// { overwrite: true } (arguments) — never silently.

import * as vscode from 'vscode';
import * as fs from 'node:fs';
import { BaselineError, baselineFile, saveBaseline } from '../core/compare/baseline';
import { baselinesDir, fileArg, readExplained, rel } from './files';
import { pickRun } from './pick';

function nameProblem(name: string): string | undefined {
  if (!name.trim()) return 'a baseline needs a name';
  if (name.trim().length > 100) return 'at most 100 characters';
  return undefined;
}

async function askName(dir: string, suggested: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Pulse: baseline name',
    prompt: 'e.g. "main before cache change"; saved as .pulse/baselines/<name>.json (small enough to commit)',
    value: suggested,
    validateInput: (v) => nameProblem(v) ?? (fs.existsSync(baselineFile(dir, v.trim())) ? { message: 'a baseline of this name exists: you will be asked before it is replaced', severity: vscode.InputBoxValidationSeverity.Warning } : undefined),
  });
}

/** Arguments (runPath, name, { overwrite }) for automation; without them, pickers. Returns the baseline file. */
export async function saveRunAsBaseline(runArg?: unknown, nameArg?: unknown, optsArg?: unknown): Promise<string | undefined> {
  const runFile = fileArg(runArg) ?? (await pickRun('Pulse: save which run as a baseline?'));
  if (!runFile) return undefined;
  const run = await readExplained(runFile);
  const dir = baselinesDir();
  const interactive = typeof nameArg !== 'string';
  const name = (interactive ? await askName(dir, run.name) : nameArg)?.trim();
  if (name === undefined) return undefined;
  const problem = nameProblem(name);
  if (problem) throw new Error(`cannot save the baseline: ${problem}`);
  const overwrite = typeof optsArg === 'object' && optsArg !== null && (optsArg as { overwrite?: unknown }).overwrite === true;
  let saved;
  try {
    saved = await saveBaseline(dir, run, { name, overwrite });
  } catch (e) {
    if (!(e instanceof BaselineError) || e.problem !== 'exists') throw e;
    const existing = rel(baselineFile(dir, name));
    if (!interactive) throw new Error(`a baseline named "${name}" already exists (${existing}); choose another name or pass { overwrite: true }`);
    const choice = await vscode.window.showWarningMessage(`A baseline named "${name}" already exists. Replace it?`, { modal: true, detail: `${existing} will be replaced by the run "${run.name}".` }, 'Replace');
    if (choice !== 'Replace') return undefined;
    saved = await saveBaseline(dir, run, { name, overwrite: true });
  }
  void vscode.window.showInformationMessage(`Pulse: saved baseline "${saved.baseline.name}" as ${rel(saved.file)}.`, 'Compare a Run with It').then((c) => {
    if (c) void vscode.commands.executeCommand('pulse.compareWithBaseline', saved.file);
  });
  return saved.file;
}
