// `pulse compare --targets`: the targets table's targets from the command line, in the units the
// pulse.compare.targets setting takes; bad entries are usage errors naming the metric.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, targetsFlag } from '../../src/cli/compare';
import { UsageError } from '../../src/cli/args';
import { writeRunRecord } from '../../src/core/runs/record';
import type { ComparisonReport } from '../../src/core/compare/report';
import { fakeRun } from './runFixtures';

const dir = mkdtempSync(join(tmpdir(), 'pulse-cli-compare-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('--targets: operators and units as in the setting; "=off" removes one; the rest keep the defaults', () => {
  assert.deepEqual(targetsFlag('p95<150, errorRate<=0.5,cacheHitRate>80 , p99 >= 1, throughput=off'), {
    p95: { op: '<', value: 150 },
    errorRate: { op: '<=', value: 0.005 },
    cacheHitRate: { op: '>', value: 0.8 },
    p99: { op: '>=', value: 1 },
    throughput: null,
  });
  assert.deepEqual(targetsFlag('p50 ≤ 40ms'), { p50: { op: '<=', value: 40 } });
  assert.throws(() => targetsFlag('p95=200'), (e: Error) => e instanceof UsageError && /--targets\.p95: expected an operator and a number in ms/.test(e.message));
  assert.throws(() => targetsFlag('p42<1,p95<abc'), (e: Error) => e instanceof UsageError && /--targets\.p42: not a metric/.test(e.message) && /--targets\.p95/.test(e.message));
});

test('the report carries the targets given; without the flag, the defaults', async () => {
  const a = await writeRunRecord(dir, fakeRun({ name: 'a', seed: 1 }));
  const b = await writeRunRecord(dir, fakeRun({ name: 'b', seed: 2 }));
  const report = async (...extra: string[]) => {
    let text = '';
    assert.equal(await compare([a, b, '--format', 'json', ...extra], (s) => (text += s)), 0);
    return JSON.parse(text) as ComparisonReport;
  };
  const row = (r: ComparisonReport, m: string) => r.targets.find((x) => x.metric === m)!;
  const dflt = await report();
  assert.deepEqual(row(dflt, 'p95').target, { op: '<', value: 200 });
  assert.equal(row(dflt, 'p50').target, null);
  const custom = await report('--targets', 'p95<1,p50<=1000,errorRate=off');
  assert.deepEqual(row(custom, 'p95').target, { op: '<', value: 1 });
  assert.equal(row(custom, 'p95').currentMeets, false);
  assert.deepEqual(row(custom, 'p50').target, { op: '<=', value: 1000 });
  assert.equal(row(custom, 'p50').currentMeets, true);
  assert.equal(row(custom, 'errorRate').target, null);
  await assert.rejects(compare([a, b, '--targets', 'p95<fast'], () => undefined), UsageError);
});
