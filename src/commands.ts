// The command table: one place mapping command ids to handlers, each failure shown clearly.

import * as vscode from 'vscode';
import { request } from './core/http';
import type { Ctx } from './ctx';
import { DETAILS_URI } from './health/details';
import { DashboardPanel } from './dashboard/panel';
import { cancelLoadTest, runLoadTest } from './loadtest/run';
import { exportRunCsv } from './loadtest/export';
import { pickEndpoint } from './connection/pick';
import { validateEndpoint, type EndpointConfig } from './core/endpoints';
import { captureMetricsWindow, compareWithBaseline, exportComparison, runAndCompare, saveRunAsBaseline } from './baselines';

type Handler = (...args: unknown[]) => unknown;

export function createCommands(ctx: Ctx): Record<string, Handler> {
  return {
    'pulse.connect': (arg) => connect(ctx, arg),
    'pulse.disconnect': (arg) => disconnect(ctx, arg),
    'pulse.showHealth': () => showHealth(),
    'pulse.openDashboard': () => void DashboardPanel.show(ctx),
    'pulse.runLoadTest': (arg) => runLoadTest(ctx, arg),
    'pulse.cancelLoadTest': () => {
      if (!cancelLoadTest()) void vscode.window.showInformationMessage('Pulse: no load test is running.');
    },
    'pulse.exportRunCsv': (arg, target) => exportRunCsv(arg, target),
    'pulse.startDemo': () => startDemo(ctx),
    'pulse.stopDemo': () => stopDemo(ctx),
    'pulse.injectDemoFault': (arg) => injectDemoFault(ctx, arg),
    'pulse.setAuthHeader': (origin, value) => setAuthHeader(ctx, origin, value),
    'pulse.analyzeLogFile': (arg) => ctx.logs.analyze(arg),
    'pulse.followLogFile': (arg) => ctx.logs.follow(arg),
    'pulse.stopFollowingLogFile': (arg) => ctx.logs.stopFollowing(arg),
    'pulse.openLogHit': (source, hit) => ctx.logs.openHit(source, hit),
    'pulse.saveBaseline': (run, name, opts) => saveRunAsBaseline(run, name, opts),
    'pulse.captureMetricsWindow': (minutes, name) => captureMetricsWindow(ctx, minutes, name),
    'pulse.compareWithBaseline': (baseline, run) => compareWithBaseline(ctx, baseline, run),
    'pulse.runAndCompare': (baseline) => runAndCompare(ctx, baseline),
    'pulse.exportComparison': (target) => exportComparison(target),
  };
}

export function registerCommands(ctx: Ctx): void {
  for (const [id, fn] of Object.entries(createCommands(ctx))) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          ctx.output.error(`${id}: ${msg}`);
          ctx.lastCommandError = { command: id, message: msg };
          void vscode.window.showErrorMessage(`Pulse: ${msg}`);
          return undefined;
        }
      }),
    );
  }
}

async function connect(ctx: Ctx, arg: unknown): Promise<boolean> {
  let endpoint: EndpointConfig | 'demo' | undefined;
  if (arg !== undefined) {
    const r = validateEndpoint(arg);
    if (typeof r === 'string') throw new Error(`cannot connect: ${r}`);
    endpoint = r;
  } else {
    const config = ctx.config;
    endpoint = await pickEndpoint(config.endpoints, config.discoveryPorts);
  }
  if (endpoint === 'demo') return startDemo(ctx);
  if (!endpoint) return false;
  await ctx.connect(endpoint);
  return true;
}

/** One connection: drop it. Several: ask which (or pass a URL, or 'all'). */
async function disconnect(ctx: Ctx, arg: unknown): Promise<void> {
  const all = ctx.all;
  if (!all.length) return void vscode.window.showInformationMessage('Pulse: not connected.');
  let target: string | undefined = typeof arg === 'string' ? arg : all.length === 1 ? all[0]!.id : undefined;
  if (target === undefined) {
    const pick = await vscode.window.showQuickPick(
      [{ label: '$(close-all) All connections', id: 'all' }, ...all.map((c) => ({ label: c.label, description: c.label === c.id ? '' : c.id, id: c.id }))],
      { title: 'Pulse: disconnect from…' },
    );
    target = pick?.id;
  }
  if (target === 'all') for (const c of all) ctx.disconnect(c.id);
  else if (target !== undefined && !ctx.disconnect(target)) throw new Error(`not connected to ${target}`);
}

async function showHealth(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(DETAILS_URI);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', DETAILS_URI);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

async function startDemo(ctx: Ctx): Promise<boolean> {
  const url = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Pulse: starting the demo service…' }, () =>
    ctx.demo.start({ script: ctx.demoScript(), logFile: ctx.demoLogFile(), onOutput: (l) => ctx.output.info(`[demo] ${l}`) }),
  );
  await ctx.connect({ url: `${url}/metrics`, name: 'Pulse demo service', kind: 'prometheus' });
  void vscode.window.showInformationMessage(`Pulse: demo service running at ${url}; connected to its /metrics.`, 'Open Slow-Request Log', 'Degrade It').then(async (choice) => {
    if (choice === 'Open Slow-Request Log') await vscode.window.showTextDocument(vscode.Uri.file(ctx.demoLogFile()));
    if (choice === 'Degrade It') await vscode.commands.executeCommand('pulse.injectDemoFault');
  });
  return true;
}

async function stopDemo(ctx: Ctx): Promise<boolean> {
  const url = ctx.demo.url;
  if (!(await ctx.demo.stop())) {
    void vscode.window.showInformationMessage('Pulse: the demo service is not running.');
    return false;
  }
  if (url && ctx.current?.endpoint.url.startsWith(url)) ctx.disconnect();
  void vscode.window.showInformationMessage('Pulse: demo service stopped.');
  return true;
}

interface Fault {
  latencyMs?: number;
  errorRate?: number;
}

async function injectDemoFault(ctx: Ctx, arg: unknown): Promise<void> {
  const base = ctx.demo.url;
  if (!base) throw new Error('the demo service is not running (run "Pulse: Start Demo Service")');
  let fault: Fault | 'reset' | undefined = arg as Fault | 'reset' | undefined;
  if (fault === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Add 300 ms latency', fault: { latencyMs: 300 } as Fault | 'reset' },
        { label: 'Add 5 % server errors', fault: { errorRate: 0.05 } },
        { label: 'Both', fault: { latencyMs: 300, errorRate: 0.05 } },
        { label: 'Restore normal behaviour', fault: 'reset' as const },
      ],
      { title: 'Pulse: degrade the demo service' },
    );
    fault = choice?.fault;
  }
  if (fault === undefined) return;
  const res = await request(`${base}${fault === 'reset' ? '/admin/reset' : '/admin/inject'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: fault === 'reset' ? '{}' : JSON.stringify(fault),
    signal: AbortSignal.timeout(3000),
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`the demo service refused the change (HTTP ${res.statusCode})`);
}

/** Interactive, or with (origin, value) arguments for automation; value '' removes it. */
async function setAuthHeader(ctx: Ctx, originArg?: unknown, valueArg?: unknown): Promise<void> {
  if (typeof originArg === 'string' && typeof valueArg === 'string') {
    if (!URL.canParse(originArg)) throw new Error(`"${originArg}" is not a URL`);
    const origin = new URL(originArg).origin;
    await ctx.setAuthSecret(origin, valueArg.trim() || undefined);
    await ctx.reconnectOrigin(origin);
    return;
  }
  const config = ctx.config;
  const origins = [...new Set([...(ctx.current ? [ctx.current.endpoint.url] : []), ...config.endpoints.map((e) => e.url)].map((u) => new URL(u).origin))];
  let origin = await vscode.window.showQuickPick([...origins, 'Other…'], { title: 'Pulse: which endpoint needs an auth header?' });
  if (origin === 'Other…') origin = await vscode.window.showInputBox({ prompt: 'Origin, e.g. https://metrics.example.com', validateInput: (v) => (URL.canParse(v) ? undefined : 'not a URL') });
  if (!origin) return;
  origin = new URL(origin).origin;
  const value = await vscode.window.showInputBox({ title: `Auth header value for ${origin}`, prompt: 'e.g. "Bearer eyJ…". Stored in VS Code SecretStorage, never in settings. Leave empty to remove.', password: true });
  if (value === undefined) return;
  await ctx.setAuthSecret(origin, value.trim() || undefined);
  void vscode.window.showInformationMessage(`Pulse: auth header for ${origin} ${value.trim() ? 'saved in SecretStorage' : 'removed'}.`);
  await ctx.reconnectOrigin(origin);
}
