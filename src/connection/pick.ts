// "Connect to Metrics Endpoint…": configured endpoints at once, discovered ones as they answer,
// or a typed URL.

import * as vscode from 'vscode';
import { request } from '../core/http';
import { discover } from '../core/discovery';
import { endpointLabel, validateEndpoint, type EndpointConfig } from '../core/endpoints';

interface Item extends vscode.QuickPickItem {
  endpoint?: EndpointConfig;
  action?: 'enter' | 'demo';
}

export async function pickEndpoint(configured: EndpointConfig[], ports: number[] | undefined): Promise<EndpointConfig | 'demo' | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Pulse: Connect to Metrics Endpoint';
  qp.placeholder = 'Pick an endpoint (looking for services on this machine…)';
  qp.matchOnDetail = true;
  const fixed: Item[] = [
    ...configured.map((e) => ({ label: `$(settings-gear) ${endpointLabel(e)}`, description: e.name ? e.url : '', detail: `from settings · ${e.kind}`, endpoint: e })),
  ];
  const tail: Item[] = [
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(edit) Enter a URL…', action: 'enter' },
    { label: '$(play) Start the demo service', detail: 'a bundled example service with realistic metrics', action: 'demo' },
  ];
  let found: Item[] = [];
  const refresh = () => (qp.items = [...fixed, ...found, ...tail]);
  refresh();
  qp.busy = true;
  const disposables: vscode.Disposable[] = [];
  const picked = new Promise<Item | undefined>((resolve) => {
    disposables.push(
      qp.onDidAccept(() => resolve(qp.selectedItems[0])),
      qp.onDidHide(() => resolve(undefined)),
    );
  });
  qp.show();
  void discover(ports ? { ports } : {}).then((list) => {
    const known = new Set(configured.map((e) => e.url));
    found = list
      .filter((d) => !known.has(d.url))
      .map((d) => ({
        label: `$(radio-tower) ${d.url}`,
        detail: `found on this machine · ${d.detail}`,
        endpoint: { url: d.url, kind: d.kind === 'prometheus-server' ? 'prometheus-server' : d.kind },
      }));
    qp.busy = false;
    qp.placeholder = found.length ? 'Pick an endpoint' : 'No metrics endpoint answered on the usual loopback ports; enter a URL or start the demo';
    refresh();
  });
  const item = await picked;
  qp.dispose();
  for (const d of disposables) d.dispose();
  if (!item) return undefined;
  if (item.action === 'demo') return 'demo';
  if (item.action === 'enter') return enterUrl();
  const e = item.endpoint;
  if (e?.kind === 'prometheus-server' && !e.selector) return askSelector(e);
  return e;
}

async function enterUrl(): Promise<EndpointConfig | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Pulse: metrics endpoint URL',
    prompt: 'Prometheus /metrics, a JSON stats endpoint, or a Prometheus server',
    value: 'http://127.0.0.1:8000/metrics',
    validateInput: (v) => {
      const r = validateEndpoint({ url: v.trim() });
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (!url) return undefined;
  const e = validateEndpoint({ url: url.trim() });
  if (typeof e === 'string') throw new Error(e);
  if ((new URL(e.url).pathname === '/' || new URL(e.url).pathname === '') && (await isPrometheusServer(e.url))) {
    return askSelector({ ...e, kind: 'prometheus-server' });
  }
  return e;
}

async function isPrometheusServer(url: string): Promise<boolean> {
  try {
    const res = await request(new URL('/api/v1/status/buildinfo', url), { signal: AbortSignal.timeout(2000) });
    const body = (await res.body.json()) as { status?: string };
    return res.statusCode === 200 && body.status === 'success';
  } catch {
    return false;
  }
}

async function askSelector(e: EndpointConfig): Promise<EndpointConfig | undefined> {
  const selector = await vscode.window.showInputBox({
    title: 'Pulse: which service on this Prometheus server?',
    prompt: 'A label selector for the service\'s series',
    value: '{job="api"}',
  });
  return selector === undefined ? undefined : { ...e, kind: 'prometheus-server', selector: selector.trim() };
}
