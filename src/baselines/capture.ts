// "Pulse: Capture Metrics Window…": the primary connection's last N minutes written as a run
// record (no load sent), so a quiet or production-like period can be a baseline or be compared.

import * as vscode from 'vscode';
import { buildMetricsWindowRecord } from '../core/runs/window';
import { collectEnvironment, writeRunRecord } from '../core/runs/record';
import type { Ctx } from '../ctx';
import { rel, runsDir, workspaceRoot } from './files';

const MINUTES = [1, 5, 15];

async function askMinutes(ctx: Ctx): Promise<number | undefined> {
  const conn = ctx.current!;
  const now = Date.now();
  const pick = await vscode.window.showQuickPick(
    MINUTES.map((m) => ({ label: `Last ${m} minute${m > 1 ? 's' : ''}`, description: `${conn.history.since(now - m * 60_000).length} scrapes`, minutes: m })),
    { title: `Pulse: capture which window of ${conn.label}?` },
  );
  return pick?.minutes;
}

/** Arguments (minutes, name) for automation. Returns the run record's path. */
export async function captureMetricsWindow(ctx: Ctx, minutesArg?: unknown, nameArg?: unknown): Promise<string | undefined> {
  const conn = ctx.current;
  if (!conn) throw new Error('not connected: connect to a metrics endpoint (or start the demo) to capture a window of its metrics');
  const root = workspaceRoot();
  const minutes = typeof minutesArg === 'number' && minutesArg > 0 ? minutesArg : await askMinutes(ctx);
  if (minutes === undefined) return undefined;
  const points = conn.history.since(Date.now() - minutes * 60_000);
  if (!points.length) throw new Error(`no metrics scraped from ${conn.label} in the last ${minutes} min yet: wait for a few scrapes`);
  const record = buildMetricsWindowRecord({
    name: typeof nameArg === 'string' && nameArg.trim() ? nameArg.trim() : `${conn.label}, ${minutes} min window`,
    points,
    heatBounds: conn.heatBounds,
    service: { url: conn.endpoint.url, kind: conn.endpoint.kind },
    environment: await collectEnvironment({ cwd: root, pulseVersion: String(ctx.extension.extension.packageJSON.version ?? '0.0.0') }),
    intervalMs: ctx.config.scrape.intervalMs,
  });
  const file = await writeRunRecord(runsDir(), record);
  void vscode.window.showInformationMessage(`Pulse: captured ${points.length} scrapes (${minutes} min) of ${conn.label} as ${rel(file)}.`, 'Save as Baseline').then((c) => {
    if (c) void vscode.commands.executeCommand('pulse.saveBaseline', file);
  });
  return file;
}
