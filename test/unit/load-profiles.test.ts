// Stage maths of the load profiles and the open model's arrival clock (pure, no timers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrivalsBy, peakTarget, planDurationMs, planFor, planProblem, targetAt, type Plan } from '../../src/core/load/profiles';
import { ArrivalClock } from '../../src/core/load/schedule';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

test('steady holds the base for the whole run and after it', () => {
  const p = planFor({ profile: 'steady', durationMs: 10_000 }, 50);
  for (const t of [0, 1, 5000, 9999, 10_000, 20_000]) assert.equal(targetAt(p, t), 50);
  assert.equal(planDurationMs(p), 10_000);
  close(arrivalsBy(p, 10_000), 500);
  close(arrivalsBy(p, 2500), 125);
});

test('ramp rises linearly from 0 to the base over the run', () => {
  const p = planFor({ profile: 'ramp', durationMs: 10_000 }, 100);
  assert.equal(targetAt(p, 0), 0);
  assert.equal(targetAt(p, 2500), 25);
  assert.equal(targetAt(p, 5000), 50);
  assert.equal(targetAt(p, 10_000), 100);
  // Area of the triangle: ½ · 10 s · 100/s.
  close(arrivalsBy(p, 10_000), 500);
  close(arrivalsBy(p, 5000), 125);
});

test('spike: a fifth of the base, a jump to the base for the middle 20 %, back down', () => {
  const p = planFor({ profile: 'spike', durationMs: 10_000 }, 100);
  assert.equal(targetAt(p, 0), 20);
  assert.equal(targetAt(p, 3999), 20);
  assert.equal(targetAt(p, 4000), 100);
  assert.equal(targetAt(p, 5999), 100);
  assert.equal(targetAt(p, 6000), 20);
  assert.equal(targetAt(p, 9999), 20);
  assert.equal(peakTarget(p), 100);
  close(arrivalsBy(p, 10_000), 20 * 4 + 100 * 2 + 20 * 4);
  assert.equal(planDurationMs(p), 10_000);
});

test('soak ramps up over 10 % of the run, at most 60 s, then holds', () => {
  const short = planFor({ profile: 'soak', durationMs: 100_000 }, 40);
  assert.equal(targetAt(short, 5000), 20);
  assert.equal(targetAt(short, 10_000), 40);
  assert.equal(targetAt(short, 90_000), 40);
  const long = planFor({ profile: 'soak', durationMs: 3_600_000 }, 40);
  assert.equal(targetAt(long, 30_000), 20);
  assert.equal(targetAt(long, 60_000), 40);
  assert.equal(planDurationMs(long), 3_600_000);
});

test('custom stages start from 0; a 0 ms stage jumps; the last target holds', () => {
  const stages = [
    { durationMs: 0, target: 10 },
    { durationMs: 2000, target: 30 },
    { durationMs: 1000, target: 30 },
    { durationMs: 1000, target: 0 },
  ];
  const p = planFor({ profile: 'stages', stages, durationMs: 4000 }, 999);
  assert.equal(targetAt(p, 0), 10);
  assert.equal(targetAt(p, 1000), 20);
  assert.equal(targetAt(p, 2500), 30);
  assert.equal(targetAt(p, 3500), 15);
  assert.equal(targetAt(p, 5000), 0);
  close(arrivalsBy(p, 4000), 40 + 30 + 15);
  assert.equal(planFor({ profile: 'stages', stages: [{ durationMs: 1000, target: 5 }], durationMs: 1000 }, 1).start, 0);
  assert.throws(() => planFor({ profile: 'stages', durationMs: 1000 }, 1), /at least one stage/);
  assert.match(planProblem({ start: 0, stages: [{ durationMs: -1, target: 1 }] }) ?? '', /stage 1: durationMs/);
  assert.match(planProblem({ start: 0, stages: [{ durationMs: 1, target: NaN }] }) ?? '', /stage 1: target/);
});

/** Every arrival time the clock gives before `endMs`. */
function arrivals(plan: Plan, endMs: number): number[] {
  const c = new ArrivalClock(plan);
  const out: number[] = [];
  while (c.peek() < endMs) out.push(c.next());
  return out;
}

test('arrival clock: a steady rate gives evenly spaced arrivals, R·D of them', () => {
  const ts = arrivals({ start: 1000, stages: [{ durationMs: 2000, target: 1000 }] }, 2000);
  assert.equal(ts.length, 2000);
  close(ts[0]!, 0.5);
  for (let i = 1; i < ts.length; i++) close(ts[i]! - ts[i - 1]!, 1, 1e-6);
  // After the last stage the rate holds.
  assert.equal(arrivals({ start: 200, stages: [{ durationMs: 1000, target: 200 }] }, 3000).length, 600);
});

test('arrival clock: a linear ramp follows the integral of the rate', () => {
  const plan: Plan = { start: 0, stages: [{ durationMs: 10_000, target: 100 }] };
  const ts = arrivals(plan, 10_000);
  assert.equal(ts.length, 500);
  // The k-th arrival is where the expected count reaches k + ½.
  for (const k of [0, 1, 10, 100, 250, 499]) close(arrivalsBy(plan, ts[k]!), k + 0.5, 1e-6);
  // Gaps shrink as the rate rises.
  assert.ok(ts[1]! - ts[0]! > ts[499]! - ts[498]!);
  // Downward ramps too.
  const down: Plan = { start: 100, stages: [{ durationMs: 10_000, target: 0 }] };
  const dts = arrivals(down, 20_000);
  assert.equal(dts.length, 500);
  for (const k of [0, 100, 499]) close(arrivalsBy(down, dts[k]!), k + 0.5, 1e-6);
});

test('arrival clock: stages with jumps and a pause of rate 0', () => {
  const plan: Plan = {
    start: 0,
    stages: [
      { durationMs: 0, target: 100 },
      { durationMs: 1000, target: 100 },
      { durationMs: 0, target: 0 },
      { durationMs: 1000, target: 0 },
      { durationMs: 0, target: 50 },
      { durationMs: 2000, target: 50 },
    ],
  };
  const ts = arrivals(plan, 4000);
  assert.equal(ts.length, 200);
  assert.equal(ts.filter((t) => t < 1000).length, 100);
  assert.equal(ts.filter((t) => t >= 1000 && t < 2000).length, 0);
  assert.equal(ts.filter((t) => t >= 2000).length, 100);
  // All zero: no arrival at all.
  assert.equal(new ArrivalClock({ start: 0, stages: [{ durationMs: 1000, target: 0 }] }).peek(), Infinity);
});
