// "Pulse: Run Load Test…": trust and target checks, a cancellable progress notification,
// the service's metrics recorded alongside, and a run record saved in the workspace.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { runLoadInWorker } from '../core/load/worker';
import { isLoopback } from '../core/endpoints';
import { buildRunRecord, collectEnvironment, writeRunRecord, RUNS_DIR } from '../core/runs/record';
import type { LoadResult } from '../core/load/types';
import { fmtMs } from '../core/format';
import type { Ctx } from '../ctx';
import { pickPlan, planFromFile, type LoadPlan } from './pick';
import { DashboardPanel } from '../dashboard/panel';

export interface LoadRunOutcome {
  result: LoadResult;
  recordPath: string | undefined;
}

/** Throws unless load may be sent: trusted workspace, loopback target or an explicit yes. */
export async function checkAllowed(target: string): Promise<boolean> {
  if (!vscode.workspace.isTrusted) throw new Error('load tests do not run in an untrusted workspace (trust the workspace to run them)');
  if (isLoopback(target)) return false;
  const allowed = vscode.workspace.getConfiguration('pulse').get<boolean>('loadTest.allowRemoteTargets', false);
  if (!allowed) throw new Error(`${new URL(target).host} is not this machine; Pulse sends load only to loopback unless pulse.loadTest.allowRemoteTargets is enabled (user settings)`);
  const ok = await vscode.window.showWarningMessage(`Send load to ${new URL(target).host}? It is not this machine.`, { modal: true, detail: 'Load tests can disrupt a shared or production service. Pulse asks every time.' }, 'Send Load');
  if (ok !== 'Send Load') throw new Error('cancelled: the remote target was not confirmed');
  return true;
}

/** The run in progress, so "Pulse: Cancel Load Test" (and the notification) can stop it. */
let running: AbortController | undefined;

export function cancelLoadTest(): boolean {
  if (!running) return false;
  running.abort();
  return true;
}

export async function runLoadTest(ctx: Ctx, arg?: unknown): Promise<LoadRunOutcome | undefined> {
  if (!vscode.workspace.isTrusted) throw new Error('load tests do not run in an untrusted workspace (trust the workspace to run them)');
  const plan: LoadPlan | undefined = arg instanceof vscode.Uri ? await planFromFile(arg.fsPath) : isPlan(arg) ? arg : await pickPlan();
  if (!plan) return undefined;
  const allowNonLoopback = await checkAllowed(plan.config.target);
  const conn = ctx.current;
  const durationS = plan.config.durationMs / 1000;
  const startedAt = Date.now();
  if (running) throw new Error('a load test is already running ("Pulse: Cancel Load Test" stops it)');
  const abort = (running = new AbortController());
  const model = plan.config.model.kind;
  ctx.loadRuns.start(`${startedAt}`, plan.name, durationS, model);
  // The dashboard shows the run live beside the editor, on the service's time axis.
  DashboardPanel.show(ctx, { beside: true });
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulse: load test "${plan.name}"`, cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      // On its own thread: a saturating run cannot delay the scrapes recorded alongside it.
      return runLoadInWorker(ctx.loadWorkerScript(), plan.config, {
        signal: abort.signal,
        allowNonLoopback,
        onSecond: (sec, p) => {
          ctx.loadRuns.second(sec, p);
          const done = Math.min(100, (p.elapsedS / durationS) * 100);
          progress.report({
            increment: done - last,
            message: `${Math.round(p.elapsedS)}/${Math.round(durationS)} s · ${p.rps.toFixed(0)} req/s (target ${p.target}) · p95 ${fmtMs(p.p95)} · ${p.errors} errors`,
          });
          last = done;
        },
      })
        .then(
          (r) => {
            ctx.loadRuns.end(r.stoppedBy === 'cancelled' ? 'cancelled' : 'done');
            return r;
          },
          (e: unknown) => {
            ctx.loadRuns.end('failed');
            throw e;
          },
        )
        .finally(() => (running = undefined));
    },
  );
  const endedAt = Date.now();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let recordPath: string | undefined;
  if (folder) {
    const record = buildRunRecord({
      name: plan.name,
      source: 'pulse',
      config: plan.config,
      result,
      environment: await collectEnvironment({ cwd: folder, pulseVersion: String(ctx.extension.extension.packageJSON.version ?? '0.0.0') }),
      serviceTimeline: conn ? conn.history.range(startedAt, endedAt) : [],
      service: conn ? { url: conn.endpoint.url, kind: conn.endpoint.kind } : null,
      ...(plan.scenarioFile ? { scenarioFile: vscode.workspace.asRelativePath(plan.scenarioFile) } : {}),
      startedAt,
      endedAt,
    });
    recordPath = await writeRunRecord(path.join(folder, RUNS_DIR), record);
  }
  const cancelled = result.stoppedBy === 'cancelled' ? ' (cancelled)' : '';
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const summary = `Pulse: load test${cancelled} — ${result.requests} requests, ${result.rps.toFixed(0)} req/s, p95 ${fmtMs(result.latencyMs.p95)}, p99 ${fmtMs(result.latencyMs.p99)}, ${errors} errors${conn ? '' : ' (no service metrics recorded: not connected)'}`;
  void vscode.window.showInformationMessage(summary, ...(recordPath ? ['Open Run Record'] : [])).then((c) => {
    if (c === 'Open Run Record' && recordPath) void vscode.window.showTextDocument(vscode.Uri.file(recordPath));
  });
  ctx.loadTestFinished.fire({ result, recordPath });
  return { result, recordPath };
}

function isPlan(v: unknown): v is LoadPlan {
  return typeof v === 'object' && v !== null && 'config' in v && 'name' in v;
}
