// Where baselines, run records and exported reports live in the workspace, and reading them
// with errors that name the file relative to the workspace.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { BASELINES_DIR, BaselineError, baselineFile, readBaseline, type Baseline } from '../core/compare/baseline';
import { RUNS_DIR } from '../core/runs/record';

export const REPORTS_DIR = path.join('.pulse', 'reports');

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('open a folder first: runs and baselines live in its .pulse folder');
  return folder;
}

export const baselinesDir = (): string => path.join(workspaceRoot(), BASELINES_DIR);
export const runsDir = (): string => path.join(workspaceRoot(), RUNS_DIR);
export const rel = (file: string): string => vscode.workspace.asRelativePath(file);

/** A file argument from a command (path string or Uri), resolved against the workspace. */
export function fileArg(arg: unknown): string | undefined {
  const p = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' && arg.trim() ? arg.trim() : undefined;
  return p === undefined || path.isAbsolute(p) ? p : path.resolve(workspaceRoot(), p);
}

/** pulse.compare.defaultBaseline: a path (has a slash) or a baseline name in .pulse/baselines. */
export function resolveBaseline(nameOrPath: string): string {
  if (/[\\/]/.test(nameOrPath)) return path.resolve(workspaceRoot(), nameOrPath);
  return baselineFile(baselinesDir(), nameOrPath.replace(/\.json$/i, ''));
}

/** A baseline or run record; a bad file becomes an error naming it and its problem (it is never touched). */
export async function readExplained(file: string): Promise<Baseline> {
  try {
    return await readBaseline(file);
  } catch (e) {
    if (e instanceof BaselineError) throw new Error(`cannot use ${rel(file)}: ${e.detail}`);
    throw e;
  }
}
