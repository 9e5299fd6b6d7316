// Load tests from the extension in the real VS Code: a scenario run with the service's metrics
// recorded, a cancelled run, the run record on disk, and the loopback guard.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { api, setPulse, waitFor } from './util';

interface Outcome {
  result: { requests: number; stoppedBy: string; rps: number; latencyMs: { p95: number }; statusCodes: Record<string, number> };
  recordPath: string | undefined;
}

async function demoScenario(name: string, duration: string): Promise<vscode.Uri> {
  const pulse = await api();
  // Scrape often enough that even a short run records several service points.
  await setPulse('scrape.intervalSeconds', 0.5);
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals', () => pulse.health().kind === 'ok', 30_000);
  const ws = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const file = path.join(ws, `${name}.loadtest.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ name, target: pulse.demoUrl(), model: { kind: 'open', rate: 50 }, profile: 'steady', duration, requests: [{ method: 'GET', path: '/api/v1/forecast?city=Berlin', weight: 3 }, { method: 'GET', path: '/api/v1/users/7' }] }, null, 2),
  );
  return vscode.Uri.file(file);
}

test('a scenario runs from the command and its run record holds the result and the service metrics', async () => {
  const uri = await demoScenario('smoke', '3s');
  const out = (await vscode.commands.executeCommand('pulse.runLoadTest', uri)) as Outcome;
  assert.ok(out, 'the command returned an outcome');
  assert.equal(out.result.stoppedBy, 'duration');
  assert.ok(out.result.requests >= 120 && out.result.requests <= 160, `${out.result.requests} requests at 50/s for 3 s`);
  assert.ok((out.result.statusCodes['200'] ?? 0) > 100);
  assert.ok(out.recordPath && out.recordPath.includes(`${path.sep}.pulse${path.sep}runs${path.sep}`), String(out.recordPath));
  const record = JSON.parse(fs.readFileSync(out.recordPath!, 'utf8'));
  assert.equal(record.schemaVersion, 1);
  assert.equal(record.kind, 'pulse-run');
  assert.equal(record.name, 'smoke');
  assert.equal(record.result.requests, out.result.requests);
  assert.equal(typeof record.result.histogram, 'string');
  assert.ok(record.serviceTimeline.length >= 3, `service points during the run: ${record.serviceTimeline.length}`);
  assert.equal(record.scenarioFile, 'smoke.loadtest.json');
  assert.ok(record.environment.machine.cpus.count >= 1);
  // The dashboard opened beside the editor and shows the run per second, as the engine measured it.
  const pulse = await api();
  const panel = await waitFor('the dashboard', () => (pulse.dashboard()?.isReady ? pulse.dashboard() : undefined), 20_000);
  const view = await panel!.debugState();
  const achieved = view.series['load:achieved'];
  assert.ok(achieved, `load series in the webview: ${Object.keys(view.series).join(', ')}`);
  const completed = (record.result.timeline as { completed: number }[]).map((s) => s.completed);
  assert.deepEqual(achieved.v, completed);
}, { timeout: 60_000 });

test('a running load test cancels within a second and still leaves a record', async () => {
  const uri = await demoScenario('long', '60s');
  const pending = vscode.commands.executeCommand('pulse.runLoadTest', uri) as Thenable<Outcome>;
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = Date.now();
  await vscode.commands.executeCommand('pulse.cancelLoadTest');
  const out = await pending;
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `cancel took ${ms} ms`);
  assert.equal(out.result.stoppedBy, 'cancelled');
  assert.ok(out.result.requests > 20 && out.result.requests < 200);
  assert.ok(fs.existsSync(out.recordPath!));
}, { timeout: 30_000 });

test('a target that is not loopback is refused without sending anything', async () => {
  const out = await vscode.commands.executeCommand('pulse.runLoadTest', { name: 'remote', config: { target: 'http://192.0.2.10:80', requests: [{ method: 'GET', path: '/' }], model: { kind: 'closed', connections: 1 }, profile: 'steady', durationMs: 1000 } });
  assert.equal(out, undefined, 'refused (the error is shown to the user)');
});

test('an external runner as a task: Pulse records the service during it and imports its result', async () => {
  const pulse = await api();
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals', () => pulse.health().kind === 'ok', 30_000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const ws = folder.uri.fsPath;
  // autocannon from this repository's dev dependencies stands in for any runner.
  const autocannon = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules', 'autocannon', 'autocannon.js');
  assert.ok(fs.existsSync(autocannon), autocannon);
  fs.writeFileSync(path.join(ws, 'load.sh'), `#!/bin/sh\n"${process.execPath}" "${autocannon}" --json -c 2 -d 2 ${pulse.demoUrl()}/api/v1/forecast > ac.json\n`, { mode: 0o755 });
  const runs = path.join(ws, '.pulse', 'runs');
  const before = new Set(fs.existsSync(runs) ? fs.readdirSync(runs) : []);
  const def = { type: 'pulse-load', runner: 'script', script: './load.sh', resultFile: 'ac.json' };
  const task = new vscode.Task(def, folder, 'autocannon via script', 'Pulse', new vscode.ShellExecution('./load.sh', { cwd: ws }));
  await vscode.tasks.executeTask(task);
  const file = await waitFor('a new run record', () => (fs.existsSync(runs) ? fs.readdirSync(runs).find((f) => !before.has(f) && f.endsWith('.json')) : undefined), 30_000);
  const record = JSON.parse(fs.readFileSync(path.join(runs, file), 'utf8'));
  assert.equal(record.source, 'script');
  assert.equal(record.config.kind, 'external');
  assert.ok(record.result && record.result.requests > 10, `imported requests: ${record.result?.requests}`);
  assert.ok(record.serviceTimeline.length >= 2, `service points: ${record.serviceTimeline.length}`);
}, { timeout: 60_000 });

test('scenario files get a Run CodeLens, and Export Run as CSV writes the run\'s metric timeline', async () => {
  const uri = await demoScenario('lens', '4s');
  const doc = await vscode.workspace.openTextDocument(uri);
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
  const run = lenses.find((l) => l.command?.command === 'pulse.runLoadTest');
  assert.ok(run, `lenses: ${lenses.map((l) => l.command?.title).join(', ')}`);
  assert.equal((run.command!.arguments![0] as vscode.Uri).fsPath, uri.fsPath);
  const out = (await vscode.commands.executeCommand('pulse.runLoadTest', uri)) as Outcome;
  const csv = out.recordPath!.replace(/\.json$/, '.csv');
  assert.equal(await vscode.commands.executeCommand('pulse.exportRunCsv', out.recordPath, csv), csv);
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
  assert.match(lines[0]!, /^timestamp,cpu_percent,memory_percent,memory_mb,api_ms,db_pool_active,db_pool_size,cache_hit_rate,status/);
  assert.ok(lines.length >= 3, `${lines.length - 1} rows`);
}, { timeout: 60_000 });
