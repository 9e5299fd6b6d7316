// Workspace Trust: in Restricted Mode viewing works (connect, status bar, dashboard), but no
// load test, load task or Run lens. These run only in the runner's second pass, where the
// workspace is left untrusted ({ untrusted: true }).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { api, waitFor } from './util';

const untrusted = { untrusted: true, timeout: 60_000 };

function workspaceDir(): string {
  return vscode.workspace.workspaceFolders![0]!.uri.fsPath;
}

/** A loopback server that only counts what reaches it. */
async function countingServer(): Promise<{ url: string; hits: () => number; close: () => void }> {
  let hits = 0;
  const server = http.createServer((_req, res) => { hits++; res.end('ok'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => server.close() };
}

test('the workspace is in Restricted Mode, and viewing still works', async () => {
  assert.equal(vscode.workspace.isTrusted, false);
  const pulse = await api();
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals from the demo', () => pulse.health().kind === 'ok', 30_000);
  await vscode.commands.executeCommand('pulse.openDashboard');
  await waitFor('the dashboard', () => pulse.dashboard());
}, untrusted);

test('a load test is refused with a message saying why, and sends nothing', async () => {
  const pulse = await api();
  const target = await countingServer();
  try {
    const file = path.join(workspaceDir(), 'refused.loadtest.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'refused', target: target.url, model: { kind: 'open', rate: 50 }, profile: 'steady', duration: '2s', requests: [{ method: 'GET', path: '/' }] }));
    const runs = path.join(workspaceDir(), '.pulse', 'runs');
    const before = fs.existsSync(runs) ? fs.readdirSync(runs).length : 0;
    const out = await vscode.commands.executeCommand('pulse.runLoadTest', vscode.Uri.file(file));
    assert.equal(out, undefined);
    const err = pulse.lastCommandError();
    assert.equal(err?.command, 'pulse.runLoadTest');
    assert.match(err!.message, /untrusted workspace/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(target.hits(), 0, 'requests reached the target');
    assert.equal(fs.existsSync(runs) ? fs.readdirSync(runs).length : 0, before, 'no run record');
  } finally {
    target.close();
  }
}, untrusted);

test('scenario files get a Trust lens instead of Run', async () => {
  const file = path.join(workspaceDir(), 'lens.loadtest.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'lens', target: 'http://127.0.0.1:9', duration: '1s', requests: [{ method: 'GET', path: '/' }] }));
  const doc = await vscode.workspace.openTextDocument(file);
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(!titles.some((t) => /Run load test/.test(t)), titles.join(' | '));
  assert.ok(titles.some((t) => /Trust this workspace/.test(t)), titles.join(' | '));
}, untrusted);

test('a load task does not run', async () => {
  // VS Code withholds tasks in Restricted Mode (fetchTasks and executeTask wait for trust), and
  // Pulse's task provider offers none; what matters is that the script never runs.
  const folder = vscode.workspace.workspaceFolders![0]!;
  const marker = path.join(folder.uri.fsPath, 'task-ran');
  fs.writeFileSync(path.join(folder.uri.fsPath, 'load.sh'), `#!/bin/sh\ntouch "${marker}"\n`, { mode: 0o755 });
  const task = new vscode.Task({ type: 'pulse-load', runner: 'script', script: './load.sh' }, folder, 'untrusted script', 'Pulse', new vscode.ShellExecution('./load.sh', { cwd: folder.uri.fsPath }));
  await Promise.race([Promise.resolve(vscode.tasks.executeTask(task)).catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(fs.existsSync(marker), false, 'the task\'s script ran');
}, untrusted);

test('slow-request logs are highlighted and analysed (viewing is not running)', async () => {
  const pulse = await api();
  const file = path.join(workspaceDir(), 'restricted.log');
  fs.writeFileSync(file, '2026-01-18 14:23:45 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)\n2026-01-18 14:23:46 - INFO - ok\n');
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  const ranges = await waitFor('a decorated slow line', () => {
    const r = pulse.logs().decorations.rangesFor(doc);
    return r.length ? r : undefined;
  }, 10_000);
  assert.deepEqual(ranges.map((r) => r.line), [0]);
  const summary = (await vscode.commands.executeCommand('pulse.analyzeLogFile', file)) as { slow: number } | undefined;
  assert.equal(summary?.slow, 1, pulse.lastCommandError()?.message);
}, untrusted);
