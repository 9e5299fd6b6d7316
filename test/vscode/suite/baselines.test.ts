// Baselines and comparison in the real VS Code (issue 5): save a demo run as a baseline (never
// overwritten silently), the comparison view, a corrupt baseline explained and left alone, the
// automatic comparison with the default baseline after a degraded run, Export Report, metrics
// windows, Run and Compare, and Workspace Trust.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test } from './harness';
import { api, setPulse, waitFor } from './util';

interface Outcome {
  result: { requests: number };
  recordPath: string;
}
interface Report {
  verdict: string;
  summary: string;
  baseline: { name: string };
  current: { runName: string; runId: string };
  targets: { metric: string; target: { op: string; value: number } | null }[];
}

const ws = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const run = (uri: vscode.Uri) => vscode.commands.executeCommand('pulse.runLoadTest', uri) as Thenable<Outcome>;
/** Shared by the tests below, which run in order. */
const s: { scenario?: vscode.Uri; runPath?: string; baseline?: string } = {};

async function demoScenario(): Promise<vscode.Uri> {
  const pulse = await api();
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals', () => pulse.health().kind === 'ok', 30_000);
  const file = path.join(ws(), 'bl-demo.loadtest.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'bl-demo', target: pulse.demoUrl(), model: { kind: 'open', rate: 50 }, profile: 'steady', duration: '3s', requests: [{ method: 'GET', path: '/api/v1/forecast?city=Berlin' }] }));
  return vscode.Uri.file(file);
}

test('baselines: a demo run saved as a baseline is tagged, and saving again under its name is refused', async () => {
  s.scenario = await demoScenario();
  s.runPath = (await run(s.scenario)).recordPath;
  const file = (await vscode.commands.executeCommand('pulse.saveBaseline', s.runPath, 'demo before')) as string;
  assert.equal(file, path.join(ws(), '.pulse', 'baselines', 'demo-before.json'));
  s.baseline = file;
  const text = fs.readFileSync(file, 'utf8');
  const b = JSON.parse(text);
  assert.equal(b.schemaVersion, 1);
  assert.equal(b.kind, 'pulse-baseline');
  assert.equal(b.name, 'demo before');
  assert.ok('git' in b.tags && typeof b.tags.machine === 'string' && typeof b.tags.pulseVersion === 'string', JSON.stringify(b.tags));
  assert.deepEqual([b.tags.settings.runner, b.tags.settings.model, b.tags.settings.rate, b.tags.settings.scenario], ['pulse', 'open', 50, 'bl-demo.loadtest.json']);
  assert.equal(typeof b.run.result.histogram, 'string', 'the histogram stays encoded');

  const again = await vscode.commands.executeCommand('pulse.saveBaseline', s.runPath, 'demo before');
  assert.equal(again, undefined);
  const pulse = await api();
  assert.equal(pulse.lastCommandError()?.command, 'pulse.saveBaseline');
  assert.match(pulse.lastCommandError()!.message, /a baseline named "demo before" already exists \(\.pulse\/baselines\/demo-before\.json\)/);
  assert.equal(fs.readFileSync(file, 'utf8'), text, 'the existing baseline is untouched');
}, { timeout: 60_000 });

test('baselines: Compare with Baseline opens the comparison view with the verdict and the targets table', async () => {
  const pulse = await api();
  const report = (await vscode.commands.executeCommand('pulse.compareWithBaseline', s.baseline, s.runPath)) as Report;
  assert.equal(report.verdict, '~', report.summary);
  assert.deepEqual(report.targets.map((t) => t.metric).slice(0, 3), ['p50', 'p95', 'p99']);
  const view = await waitFor('the comparison view', () => pulse.comparisonView());
  assert.equal(view.title, 'Pulse: bl-demo vs demo before');
  assert.match(view.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[^']+'; img-src data:">/);
  assert.match(view.html, /<style nonce="[^"]+">/);
  assert.doesNotMatch(view.html, /<script/);
  assert.match(view.html, /~ no significant regression/);
  assert.match(view.html, /<h2>Targets<\/h2>\s*<table><thead><tr><th>Metric<\/th><th>Baseline<\/th><th>Target<\/th><th>Current<\/th><th>Change<\/th>/);
  assert.match(view.html, /<td>p95 latency<\/td>/);
  assert.equal(pulse.lastComparison(), report);
}, { timeout: 30_000 });

test('baselines: a corrupt baseline gives a clear error and is left as it was', async () => {
  const pulse = await api();
  const bad = path.join(ws(), '.pulse', 'baselines', 'broken.json');
  const text = '{"schemaVersion": 1, "kind": "pulse-baseline", "name": "broken", "tags": {';
  fs.writeFileSync(bad, text);
  const r = await vscode.commands.executeCommand('pulse.compareWithBaseline', bad, s.runPath);
  assert.equal(r, undefined);
  assert.equal(pulse.lastCommandError()?.command, 'pulse.compareWithBaseline');
  assert.match(pulse.lastCommandError()!.message, /^cannot use \.pulse\/baselines\/broken\.json: \S/);
  assert.equal(fs.readFileSync(bad, 'utf8'), text);
  fs.rmSync(bad);
});

test('baselines: invalid pulse.compare.rules are reported by name and the default rule is used', async () => {
  const pulse = await api();
  await setPulse('compare.rules', [{ metric: 'p42', maxWorsePct: 5 }]);
  try {
    assert.match(pulse.details(), /pulse\.compare\.rules\[0\]\.metric must be one of p50, p95, p99, mean, errorRate, throughput; using the default rule/);
    const report = (await vscode.commands.executeCommand('pulse.compareWithBaseline', s.baseline, s.runPath)) as Report & { rules: { results: { rule: { metric: string } }[] } };
    assert.deepEqual(report.rules.results.map((r) => r.rule.metric), ['p95']);
  } finally {
    await setPulse('compare.rules', undefined);
  }
});

test('baselines: pulse.compare.targets set the targets table; a bad one is reported by name', async () => {
  const pulse = await api();
  await setPulse('compare.targets', { p95: '< 123', errorRate: '< 0.1', cacheHitRate: null, p99: 'fast' });
  try {
    assert.match(pulse.details(), /pulse\.compare\.targets\.p99: expected an operator and a number in ms, e\.g\. "< 200" \(got "fast"\)/);
    const report = (await vscode.commands.executeCommand('pulse.compareWithBaseline', s.baseline, s.runPath)) as Report;
    const t = Object.fromEntries(report.targets.map((r) => [r.metric, r.target]));
    assert.deepEqual(t.p95, { op: '<', value: 123 });
    assert.deepEqual(t.errorRate, { op: '<', value: 0.001 });
    assert.equal(t.cacheHitRate, null);
    // Not set: still from pulse.thresholds.* (at or below).
    assert.deepEqual(t.poolUtilization, { op: '<=', value: 0.8 });
  } finally {
    await setPulse('compare.targets', undefined);
  }
});

test('baselines: with a default baseline, a degraded run is compared automatically and the status bar says regressed', async () => {
  const pulse = await api();
  await setPulse('compare.defaultBaseline', 'demo before');
  // Judged on the median: these short runs have 150 requests, fewer than the 200 a p95 needs
  // (10 / (1 − 0.95)) before Pulse calls a change of it significant.
  await setPulse('compare.rules', [{ metric: 'p50', maxWorsePct: 5 }]);
  // Well past anything a busy machine adds to the baseline's own tail.
  await vscode.commands.executeCommand('pulse.injectDemoFault', { latencyMs: 400 });
  try {
    const out = await run(s.scenario!);
    const id = path.basename(out.recordPath, '.json');
    const report = (await waitFor('the automatic comparison', () => (pulse.lastComparison()?.current.runId === id ? pulse.lastComparison() : undefined), 20_000)) as Report;
    assert.equal(report.verdict, 'regressed', report.summary);
    assert.equal(report.baseline.name, 'demo before');
    assert.match(report.summary, /p50/);
    assert.match(pulse.statusBar().text, /regressed/);
    assert.match(pulse.statusBar().tooltip, /Last run vs baseline "demo before"\*\*: regressed/);
  } finally {
    await vscode.commands.executeCommand('pulse.injectDemoFault', 'reset');
    await setPulse('compare.defaultBaseline', undefined);
    await setPulse('compare.rules', undefined);
  }
  await waitFor('the verdict to leave the status bar with the default baseline', () => !/regressed/.test(pulse.statusBar().text));
}, { timeout: 60_000 });

test('baselines: Export Comparison Report writes a self-contained HTML file and Markdown beside it', async () => {
  const stem = path.join(ws(), '.pulse', 'reports', 'bl-report');
  const out = (await vscode.commands.executeCommand('pulse.exportComparison', stem)) as { html: string; md: string; json: string };
  assert.deepEqual(out, { html: `${stem}.html`, md: `${stem}.md`, json: `${stem}.json` });
  const html = fs.readFileSync(out.html, 'utf8');
  assert.match(html, /<svg/);
  assert.doesNotMatch(html, /<script|(src|href)="https?:/);
  assert.match(html, /style-src 'sha256-/);
  assert.match(fs.readFileSync(out.md, 'utf8'), /\| Metric \| Baseline \| Target \| Current \| Change \|/);
  const json = JSON.parse(fs.readFileSync(out.json, 'utf8'));
  assert.deepEqual([json.kind, json.schemaVersion, json.verdict], ['pulse-comparison', 1, 'regressed']);
});

test('baselines: a metrics window can be a baseline, but Run and Compare refuses it; a load-test baseline runs again', async () => {
  const pulse = await api();
  const window = (await vscode.commands.executeCommand('pulse.captureMetricsWindow', 1, 'bl window')) as string;
  const record = JSON.parse(fs.readFileSync(window, 'utf8'));
  assert.deepEqual([record.source, record.result], ['metrics', null]);
  assert.ok(record.serviceTimeline.length >= 1);
  const wb = (await vscode.commands.executeCommand('pulse.saveBaseline', window, 'bl window')) as string;
  assert.equal(await vscode.commands.executeCommand('pulse.runAndCompare', wb), undefined);
  assert.match(pulse.lastCommandError()!.message, /"bl window" is a metrics window, not a load test/);

  const report = (await vscode.commands.executeCommand('pulse.runAndCompare', s.baseline)) as Report;
  assert.equal(report.baseline.name, 'demo before');
  assert.equal(report.current.runName, 'bl-demo');
  assert.notEqual(report.current.runId, path.basename(s.runPath!, '.json'), 'a new run');
  assert.equal(pulse.comparisonView()?.title, 'Pulse: bl-demo vs demo before');
  assert.equal(pulse.lastComparison(), report);
}, { timeout: 60_000 });

test('baselines: in Restricted Mode comparing works and Run and Compare is refused', async () => {
  const pulse = await api();
  await vscode.commands.executeCommand('pulse.startDemo');
  await waitFor('live signals', () => pulse.health().kind === 'ok', 30_000);
  const window = (await vscode.commands.executeCommand('pulse.captureMetricsWindow', 1, 'restricted')) as string;
  const baseline = (await vscode.commands.executeCommand('pulse.saveBaseline', window, 'restricted')) as string;
  const report = (await vscode.commands.executeCommand('pulse.compareWithBaseline', baseline, window)) as Report;
  assert.equal(report.verdict, '~');
  await waitFor('the comparison view', () => pulse.comparisonView());
  assert.equal(await vscode.commands.executeCommand('pulse.runAndCompare', baseline), undefined);
  assert.match(pulse.lastCommandError()!.message, /untrusted workspace/);
}, { untrusted: true, timeout: 60_000 });
