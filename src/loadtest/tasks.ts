// External load runners as VS Code tasks (k6, Locust, autocannon, any script such as the seed's
// ./load_tests/run_load_tests.sh steady). Pulse records the service's metrics while the task
// runs and, when the runner leaves a result file, imports it into the same run record.

import * as vscode from 'vscode';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { importResultFile } from '../core/load/importers';
import { buildRunRecord, collectEnvironment, writeRunRecord, RUNS_DIR, type ExternalRunner } from '../core/runs/record';
import type { Ctx } from '../ctx';

export const TASK_TYPE = 'pulse-load';

export interface PulseLoadTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  runner: ExternalRunner;
  /** k6 script, locustfile, or the script to run. */
  script?: string;
  /** Target URL (autocannon; Locust --host). */
  url?: string;
  args?: string[];
  /** Result file the runner writes; default chosen per runner under .pulse/tmp. */
  resultFile?: string;
}

function q(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line for a definition, and the result file to import afterwards (if any). */
export function commandFor(def: PulseLoadTaskDefinition, folder: string): { command: string; resultFile?: string } {
  const args = (def.args ?? []).map(q).join(' ');
  const out = def.resultFile ?? path.join('.pulse', 'tmp', `${def.runner}-result${def.runner === 'locust' ? '' : '.json'}`);
  switch (def.runner) {
    case 'k6':
      return { command: `k6 run --summary-export=${q(out)} ${args} ${q(def.script ?? 'load.js')}`.replace(/\s+/g, ' ').trim(), resultFile: out };
    case 'locust':
      return { command: `locust -f ${q(def.script ?? 'locustfile.py')} --headless --csv=${q(out)} ${def.url ? `--host=${q(def.url)}` : ''} ${args}`.replace(/\s+/g, ' ').trim(), resultFile: `${out}_stats.csv` };
    case 'autocannon': {
      const local = path.join(folder, 'node_modules', '.bin', 'autocannon');
      const bin = fs.existsSync(local) ? q(local) : 'npx --no-install autocannon';
      return { command: `${bin} --json ${args} ${q(def.url ?? 'http://127.0.0.1:8000/')} > ${q(out)}`, resultFile: out };
    }
    case 'script':
      return { command: `${q(def.script ?? './load_tests/run_load_tests.sh')} ${args}`.trim(), ...(def.resultFile ? { resultFile: def.resultFile } : {}) };
  }
}

export class LoadTaskProvider implements vscode.TaskProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || !vscode.workspace.isTrusted) return [];
    const found: PulseLoadTaskDefinition[] = [];
    for (const f of await vscode.workspace.findFiles('**/{locustfile.py,*.k6.js,load_tests/*.sh,loadtests/*.sh}', '**/node_modules/**', 50)) {
      const rel = vscode.workspace.asRelativePath(f, false);
      if (rel.endsWith('locustfile.py')) found.push({ type: TASK_TYPE, runner: 'locust', script: rel, ...(this.target() ? { url: this.target()! } : {}) });
      else if (rel.endsWith('.k6.js')) found.push({ type: TASK_TYPE, runner: 'k6', script: rel });
      else found.push({ type: TASK_TYPE, runner: 'script', script: `./${rel}`, args: ['steady'] });
    }
    const target = this.target();
    if (target) found.push({ type: TASK_TYPE, runner: 'autocannon', url: target, args: ['-c', '10', '-d', '30'] });
    return found.map((d) => this.task(d, folder));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const def = task.definition as PulseLoadTaskDefinition;
    if (!folder || def.type !== TASK_TYPE) return undefined;
    return this.task(def, folder);
  }

  /** Base URL of the connected service, for runners that need one. */
  private target(): string | undefined {
    const url = this.ctx.current?.endpoint.url;
    return url ? new URL(url).origin + '/' : undefined;
  }

  private task(def: PulseLoadTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
    const { command } = commandFor(def, folder.uri.fsPath);
    const name = def.script ? `${def.runner}: ${def.script}${def.args?.length ? ` ${def.args.join(' ')}` : ''}` : `${def.runner}: ${def.url ?? ''}`;
    const t = new vscode.Task(def, folder, name, 'Pulse', new vscode.ShellExecution(command, { cwd: folder.uri.fsPath }));
    t.detail = `Pulse records the service's metrics while this runs · ${command}`;
    return t;
  }
}

/** Records every pulse-load task: service metrics from start to end, plus the imported result. */
export function watchLoadTasks(ctx: Ctx): vscode.Disposable {
  const started = new Map<vscode.TaskExecution, number>();
  return vscode.Disposable.from(
    vscode.tasks.onDidStartTaskProcess((e) => {
      if (e.execution.task.definition.type === TASK_TYPE) started.set(e.execution, Date.now());
    }),
    vscode.tasks.onDidEndTaskProcess((e) => {
      const t0 = started.get(e.execution);
      if (t0 === undefined) return;
      started.delete(e.execution);
      void recordTask(ctx, e.execution.task, t0, Date.now(), e.exitCode).then(
        (p) => ctx.output.info(`load task recorded in ${p}`),
        (err: unknown) => void vscode.window.showErrorMessage(`Pulse: could not record the load task: ${(err as Error).message}`),
      );
    }),
  );
}

export async function recordTask(ctx: Ctx, task: vscode.Task, startedAt: number, endedAt: number, exitCode: number | undefined): Promise<string> {
  const folder = (task.scope as vscode.WorkspaceFolder | undefined)?.uri?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('no workspace folder for the run record');
  const def = task.definition as PulseLoadTaskDefinition;
  const { command, resultFile } = commandFor(def, folder);
  let result = null;
  let note = '';
  if (resultFile && fs.existsSync(path.resolve(folder, resultFile))) {
    try {
      result = await importResultFile(path.resolve(folder, resultFile));
    } catch (e) {
      note = ` (result file not imported: ${(e as Error).message})`;
    }
  }
  const conn = ctx.current;
  const record = buildRunRecord({
    name: `${task.name}${exitCode ? ` (exit ${exitCode})` : ''}`,
    source: def.runner,
    config: { kind: 'external', runner: def.runner, command, cwd: folder, ...(resultFile ? { resultFile } : {}) },
    result,
    environment: await collectEnvironment({ cwd: folder, pulseVersion: String(ctx.extension.extension.packageJSON.version ?? '0.0.0') }),
    serviceTimeline: conn ? conn.history.range(startedAt, endedAt) : [],
    service: conn ? { url: conn.endpoint.url, kind: conn.endpoint.kind } : null,
    startedAt,
    endedAt,
  });
  const file = await writeRunRecord(path.join(folder, RUNS_DIR), record);
  void vscode.window.showInformationMessage(`Pulse: recorded "${task.name}"${result ? ` — ${result.requests} requests, ${result.rps.toFixed(0)} req/s` : ''}${note}.`, 'Open Run Record').then((c) => {
    if (c) void vscode.window.showTextDocument(vscode.Uri.file(file));
  });
  return file;
}
