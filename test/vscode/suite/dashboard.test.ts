// The dashboard in the real VS Code: opened from the command, its webview (real Chromium) holds
// the same numbers as the host, lists the demo's routes, exports CSV, and costs nothing hidden.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { api, setPulse, waitFor } from './util';

async function openWithDemo() {
  const pulse = await api();
  await setPulse('scrape.intervalSeconds', 0.5);
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals', () => pulse.health().kind === 'ok', 30_000);
  await vscode.commands.executeCommand('pulse.openDashboard');
  const panel = await waitFor('the dashboard webview to be ready', () => (pulse.dashboard()?.isReady ? pulse.dashboard() : undefined), 30_000);
  return { pulse, panel: panel! };
}

test('Open Dashboard shows the connection; the charts hold the host\'s numbers', async () => {
  const { panel } = await openWithDemo();
  const conn = panel.selectedConnection!;
  assert.ok(conn, 'a connection is selected');
  // Let a few ticks arrive as deltas after init.
  const startSize = conn.history.size;
  await waitFor('three more ticks', () => conn.history.size >= startSize + 3, 20_000);
  const state = await panel.debugState();
  const host = conn.history.all();
  for (const name of ['p95', 'p50', 'rps', 'hit', 'poolSize'] as const) {
    const shown = state.series[name];
    assert.ok(shown, `webview has series ${name}: ${Object.keys(state.series).join(', ')}`);
    assert.ok(shown.t.length >= 3, `${name} has ${shown.t.length} points`);
    // Every point the webview shows is the host's point at that time, value for value.
    const byTime = new Map(host.map((p) => [p.t, p]));
    let compared = 0;
    shown.t.forEach((t, i) => {
      const p = byTime.get(t);
      if (!p) return;
      const want = p[name];
      const got = shown.v[i];
      if (want === null || got === null || got === undefined) assert.equal(got ?? null, want, `${name} at ${t}`);
      else assert.ok(Math.abs(got - want) < 1e-9 * Math.max(1, Math.abs(want)), `${name} at ${t}: webview ${got}, host ${want}`);
      compared++;
    });
    assert.ok(compared >= 3, `${name}: only ${compared} timestamps in common`);
  }
  assert.equal(state.series.poolSize!.v.at(-1), 13);
});

test('the endpoint table lists the demo service\'s routes, slowest first, as the host ranks them', async () => {
  const pulse = await api();
  const panel = pulse.dashboard()!;
  let hostKeys: string[] = [];
  const state = await waitFor('the table to match the host', async () => {
    const s = await panel.debugState();
    hostKeys = panel.selectedConnection!.lastSignals!.endpoints.map((e) => e.key);
    return s.tableKeys.length >= 4 && s.tableKeys.join('|') === hostKeys.join('|') ? s : undefined;
  }, 20_000, () => hostKeys.join(', '));
  for (const route of ['GET /api/v1/forecast', 'GET /api/v1/users/{id}', 'GET /api/v1/search']) assert.ok(state.tableKeys.includes(route), `${route} missing from ${state.tableKeys.join(', ')}`);
});

test('Export CSV writes the metric timeline atomically with the seed monitor\'s columns', async () => {
  const pulse = await api();
  const panel = pulse.dashboard()!;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pulse-csv-')), 'run.csv');
  const r = await panel.exportCsv(undefined, undefined, vscode.Uri.file(file));
  assert.equal(r.error, undefined);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'timestamp,cpu_percent,memory_percent,memory_mb,latency_p95_ms,request_rate,error_rate,db_pool_active,db_pool_size,cache_hit_rate,latency_p50_ms,latency_p99_ms,schema_version');
  assert.ok(lines.length - 1 >= panel.selectedConnection!.history.size - 1);
  const last = lines.at(-1)!.split(',');
  assert.match(last[0]!, /^\d{4}-\d\d-\d\dT/);
  assert.equal(last[8], '13');
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['run.csv'], 'no temp file left behind');
});

test('with two connections the switcher shows the other one, and its page has a strict CSP', async () => {
  const pulse = await api();
  const panel = pulse.dashboard()!;
  const html = panel.panel.webview.html;
  assert.match(html, /default-src 'none'/);
  assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(html, /unsafe-(inline|eval)/);
  const first = panel.selectedConnection!.id;
  await vscode.commands.executeCommand('pulse.connect', { url: `${pulse.demoUrl()}/api/v1/metrics` });
  const json = `${pulse.demoUrl()}/api/v1/metrics`;
  assert.ok(panel.select(json));
  const state = await waitFor('JSON series in the webview', async () => {
    const s = await panel.debugState();
    return s.series.poolSize?.v.some((v) => v === 13) && s.series.p95?.v.every((v) => v === null) ? s : undefined;
  }, 20_000);
  assert.deepEqual(state.tableKeys, [], 'the JSON shape has no routes');
  assert.ok(panel.select(first));
  await vscode.commands.executeCommand('pulse.disconnect', json);
});

test('hidden, the dashboard receives nothing; shown again, it is re-sent everything', async () => {
  const pulse = await api();
  const panel = pulse.dashboard()!;
  const doc = await vscode.workspace.openTextDocument({ content: 'hide the dashboard', language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn ?? vscode.ViewColumn.Active, preview: false });
  await waitFor('the panel to be hidden', () => !panel.panel.visible, 10_000);
  const ticks = panel.tickTimes.length;
  const size = panel.selectedConnection!.history.size;
  await waitFor('the host to keep scraping', () => panel.selectedConnection!.history.size >= size + 2, 10_000);
  assert.equal(panel.tickTimes.length, ticks, 'no ticks applied while hidden');
  panel.panel.reveal();
  await waitFor('ready again', () => panel.isReady, 20_000);
  const state = await panel.debugState();
  assert.ok(state.series.p95!.t.length >= size, 'history re-sent on show');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});
