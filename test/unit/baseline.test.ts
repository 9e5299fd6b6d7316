// Baseline files (src/core/compare/baseline.ts): round trip, no silent overwrite, clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BaselineError, listBaselines, parseBaseline, readBaseline, saveBaseline } from '../../src/core/compare/baseline';
import { runLatency } from '../../src/core/compare/distribution';
import { parseRunRecord, stringifyRecord } from '../../src/core/runs/record';
import { buildMetricsWindowRecord } from '../../src/core/runs/window';
import { ENV, fakeRun, point } from './runFixtures';

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'pulse-baselines-'));
}

test('a saved baseline reads back equal, tagged, with its rules, and without metricColumns on disk', async () => {
  const dir = tmp();
  try {
    const points = Array.from({ length: 30 }, (_, i) => point(1_769_000_000_000 + i * 2000));
    const run = fakeRun({ points });
    const { file, baseline } = await saveBaseline(dir, run, { name: 'Main: before cache', rules: [{ metric: 'p95', maxWorsePct: 3 }] });
    assert.equal(path.basename(file), 'main-before-cache.json');
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('metricColumns'), 'metricColumns are derivable and not written');
    assert.ok(text.length < stringifyRecord(run).length, 'smaller than the run record as written');
    const back = await readBaseline(file);
    assert.equal(back.name, 'Main: before cache');
    assert.equal(back.fromRunRecord, undefined);
    assert.deepEqual(back.rules, [{ metric: 'p95', maxWorsePct: 3 }]);
    assert.deepEqual(back.tags, baseline.tags);
    assert.deepEqual(back.tags.git, ENV.git);
    assert.equal(back.tags.machine, `${ENV.machine.hostname} (${ENV.machine.cpus.count} × ${ENV.machine.cpus.model})`);
    assert.deepEqual(
      { model: back.tags.settings.model, rate: back.tags.settings.rate, runner: back.tags.settings.runner },
      { model: run.config && 'model' in run.config ? run.config.model.kind : null, rate: 100, runner: 'pulse' },
    );
    assert.equal(back.run.result!.histogram, run.result!.histogram);
    assert.deepEqual(back.run.serviceTimeline, run.serviceTimeline);
    assert.deepEqual(back.run.metricColumns, run.metricColumns, 'rebuilt from the timeline on reading');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('saving never replaces an existing baseline unless asked to', async () => {
  const dir = tmp();
  try {
    const { file } = await saveBaseline(dir, fakeRun({ seed: 1 }), { name: 'main' });
    const before = readFileSync(file, 'utf8');
    await assert.rejects(saveBaseline(dir, fakeRun({ seed: 2 }), { name: 'main' }), (e: unknown) => e instanceof BaselineError && e.problem === 'exists' && e.message.includes(file));
    // Another name that slugs to the same file is refused too.
    await assert.rejects(saveBaseline(dir, fakeRun({ seed: 2 }), { name: 'MAIN' }), /already exists/);
    assert.equal(readFileSync(file, 'utf8'), before);
    await saveBaseline(dir, fakeRun({ seed: 2 }), { name: 'main', overwrite: true });
    assert.notEqual(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['main.json'], 'no temp files left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('damaged baseline files give clear errors naming file and problem, and are never overwritten silently', async () => {
  const dir = tmp();
  try {
    const { file } = await saveBaseline(dir, fakeRun(), { name: 'good' });
    const text = readFileSync(file, 'utf8');
    const edited = (f: (b: Record<string, unknown>) => void) => {
      const b = JSON.parse(text) as Record<string, unknown>;
      f(b);
      return JSON.stringify(b);
    };
    const cases: [string, string, BaselineError['problem'], RegExp][] = [
      ['empty', '', 'empty', /empty/],
      ['truncated', text.slice(0, Math.floor(text.length / 2)), 'truncated', /ends early at line \d+/],
      ['corrupt', text.replace('"name"', '"name" oops'), 'corrupt', /not valid JSON at line \d+, column \d+/],
      ['future', edited((b) => (b.schemaVersion = 2)), 'future-schema', /written by a newer Pulse \(schema 2\); this Pulse reads schema 1/],
      ['other', JSON.stringify({ kind: 'something-else' }), 'not-a-baseline', /not a Pulse baseline \(kind is 'something-else'\)/],
      ['rules', edited((b) => (b.rules = [{ metric: 'p95', maxWorsePct: 'five' }])), 'invalid', /rules\[0\]\.maxWorsePct must be a number/],
      ['machine', edited((b) => ((b.tags as Record<string, unknown>).machine = 42)), 'invalid', /tags\.machine must be a string/],
      ['run', edited((b) => ((b.run as Record<string, unknown>).serviceTimeline = 'x')), 'invalid', /run: serviceTimeline must be a list/],
      ['runfuture', edited((b) => ((b.run as Record<string, unknown>).schemaVersion = 9)), 'future-schema', /run: written by a newer Pulse \(schema 9\)/],
    ];
    for (const [name, content, problem, re] of cases) {
      const f = path.join(dir, `${name}.json`);
      writeFileSync(f, content);
      await assert.rejects(readBaseline(f), (e: unknown) => {
        assert.ok(e instanceof BaselineError, String(e));
        assert.equal(e.problem, problem, `${name}: ${e.message}`);
        assert.match(e.message, re, name);
        assert.ok(e.message.startsWith(f), `${name}: names the file: ${e.message}`);
        return true;
      });
      await assert.rejects(saveBaseline(dir, fakeRun(), { name }), /already exists/);
      assert.equal(readFileSync(f, 'utf8'), content, `${name} untouched`);
    }
    await assert.rejects(readBaseline(path.join(dir, 'nope.json')), (e: unknown) => e instanceof BaselineError && e.problem === 'missing' && /no such file/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listBaselines lists the good ones and reports the bad file separately', async () => {
  const dir = tmp();
  try {
    await saveBaseline(dir, fakeRun({ seed: 1 }), { name: 'beta' });
    await saveBaseline(dir, fakeRun({ seed: 2 }), { name: 'alpha' });
    writeFileSync(path.join(dir, 'broken.json'), '{"schemaVersion": 1, "kind": "pulse-baseline", "na');
    writeFileSync(path.join(dir, '.hidden.json'), 'x');
    const { baselines, errors } = await listBaselines(dir);
    assert.deepEqual(baselines.map((b) => b.name), ['alpha', 'beta']);
    assert.equal(baselines[0]!.requests, 4000);
    assert.ok(baselines[0]!.p95Ms! > 20);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.problem, 'truncated');
    assert.match(errors[0]!.message, /broken\.json: the JSON ends early/);
    assert.deepEqual(await listBaselines(path.join(dir, 'none')), { baselines: [], errors: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain run record is accepted where a baseline is read', () => {
  const run = fakeRun({ name: 'nightly' });
  const b = parseBaseline(stringifyRecord(run), 'run.json');
  assert.equal(b.fromRunRecord, true);
  assert.equal(b.name, 'nightly');
  assert.equal(b.run.result!.histogram, run.result!.histogram);
});

test('a metrics window becomes a run record (source metrics) whose heat buckets give a distribution', () => {
  const t0 = 1_769_000_000_000;
  const bounds = [5, 10, 25, 50, null];
  const points = [0, 1, 2, 3].map((i) => point(t0 + i * 1000, { heat: [10, 20, 5, 1, 0] }));
  const rec = buildMetricsWindowRecord({ name: 'quiet hour', points: [point(t0 - 5000), ...points], heatBounds: bounds, service: { url: 'http://127.0.0.1:8000/metrics' }, environment: ENV, from: t0, to: t0 + 3000 });
  assert.equal(rec.source, 'metrics');
  assert.equal(rec.result, null);
  assert.equal(rec.serviceTimeline.length, 4, 'points outside the window are dropped');
  const back = parseRunRecord(stringifyRecord(rec));
  assert.deepEqual(back.heatBounds, bounds);
  const l = runLatency(back);
  assert.equal(l.kind, 'heat');
  if (l.kind !== 'heat') return;
  assert.equal(l.samples, 4 * 36);
  assert.deepEqual([...l.weighted.values], [2.5, 7.5, 17.5, 37.5]);
  assert.deepEqual([...l.weighted.counts], [40, 80, 20, 4]);
  // Without bounds only the service's percentiles remain.
  const plain = buildMetricsWindowRecord({ name: 'w', points, service: null, environment: ENV });
  assert.equal(runLatency(plain).kind, 'percentiles');
  assert.throws(() => buildMetricsWindowRecord({ name: 'w', points, service: null, environment: ENV, from: 0, to: 1 }), /no points/);
});
