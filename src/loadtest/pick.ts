// What to load-test: a scenario file, a .http/.rest request collection, or a URL and a profile.

import * as vscode from 'vscode';
import * as path from 'node:path';
import { readScenarioFile } from '../core/load/scenario';
import { loadHttpFile } from '../core/load/httpFile';
import type { LoadConfig, ProfileKind } from '../core/load/types';

export interface LoadPlan {
  name: string;
  config: LoadConfig;
  scenarioFile?: string;
}

const PROFILE_ITEMS: { label: ProfileKind; detail: string }[] = [
  { label: 'steady', detail: 'constant load for the whole duration' },
  { label: 'ramp', detail: 'from zero up to the target, then hold' },
  { label: 'spike', detail: 'baseline, a short burst at the target, back to baseline' },
  { label: 'soak', detail: 'steady at the target for a long run' },
];

function root(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export async function planFromFile(file: string): Promise<LoadPlan> {
  const rootDir = root();
  if (/\.loadtest\.json$/i.test(file)) {
    const s = await readScenarioFile(file, rootDir ? { root: rootDir } : {});
    return { name: s.name, config: s.config, scenarioFile: file };
  }
  const r = await loadHttpFile(file, rootDir ? { root: rootDir } : {});
  if (!r.requests.length) throw new Error(`${path.basename(file)} holds no requests`);
  const target = r.baseUrl ?? (await askTarget());
  if (!target) throw new Error('no target URL');
  const shape = await askShape();
  if (!shape) throw new Error('cancelled');
  return { name: path.basename(file), config: { target, requests: r.requests, ...shape } };
}

export async function pickPlan(): Promise<LoadPlan | undefined> {
  const files = await vscode.workspace.findFiles('**/*.{loadtest.json,http,rest}', '**/node_modules/**', 200);
  const items: (vscode.QuickPickItem & { file?: string; url?: true })[] = [
    ...files
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((f) => ({ label: `${/\.loadtest\.json$/i.test(f.fsPath) ? '$(beaker)' : '$(file-code)'} ${path.basename(f.fsPath)}`, description: vscode.workspace.asRelativePath(f), file: f.fsPath })),
    { label: '$(globe) Enter a URL…', detail: 'load one endpoint with a profile (steady, ramp, spike, soak)', url: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Pulse: Run Load Test', placeHolder: 'A scenario (*.loadtest.json), a request collection (.http / .rest), or a URL' });
  if (!pick) return undefined;
  if (pick.file) return planFromFile(pick.file);
  const url = await vscode.window.showInputBox({
    title: 'Pulse: URL to load',
    value: 'http://127.0.0.1:8000/api/v1/forecast',
    validateInput: (v) => (URL.canParse(v) && /^https?:/.test(v) ? undefined : 'an http(s) URL, e.g. http://127.0.0.1:8000/health'),
  });
  if (!url) return undefined;
  const shape = await askShape();
  if (!shape) return undefined;
  const u = new URL(url);
  return { name: `${u.pathname} ${shape.profile}`, config: { target: u.origin, requests: [{ method: 'GET', path: `${u.pathname}${u.search}` }], ...shape } };
}

async function askTarget(): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: 'Pulse: base URL for the requests', value: 'http://127.0.0.1:8000', validateInput: (v) => (URL.canParse(v) ? undefined : 'not a URL') });
}

async function askShape(): Promise<Omit<LoadConfig, 'target' | 'requests'> | undefined> {
  const profile = await vscode.window.showQuickPick(PROFILE_ITEMS, { title: 'Pulse: load profile' });
  if (!profile) return undefined;
  const model = await vscode.window.showQuickPick(
    [
      { label: 'Open model: a fixed request rate', detail: 'arrivals by the clock; latency includes queueing (coordinated omission corrected)', model: 'open' as const },
      { label: 'Closed model: a number of connections', detail: 'each connection sends as fast as responses come back', model: 'closed' as const },
    ],
    { title: 'Pulse: load model' },
  );
  if (!model) return undefined;
  const amount = await vscode.window.showInputBox({
    title: model.model === 'open' ? 'Requests per second' : 'Connections',
    value: model.model === 'open' ? '100' : '10',
    validateInput: (v) => (Number(v) > 0 && Number.isFinite(Number(v)) ? undefined : 'a positive number'),
  });
  if (!amount) return undefined;
  const duration = await vscode.window.showInputBox({ title: 'Duration in seconds', value: profile.label === 'soak' ? '600' : '30', validateInput: (v) => (Number(v) > 0 && Number(v) <= 86400 ? undefined : '1 to 86400 seconds') });
  if (!duration) return undefined;
  return {
    model: model.model === 'open' ? { kind: 'open', rate: Number(amount) } : { kind: 'closed', connections: Math.round(Number(amount)) },
    profile: profile.label,
    durationMs: Number(duration) * 1000,
  };
}
