// LogFollower on real temp files: append, truncation, rotation, deletion and reappearance.
// Each step waits for the event it expects (fs.watch or the 20 ms poll delivers it).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFollower, type FollowEvent } from '../../src/core/logs';

const slow = (path: string, ms: number) => `2026-01-18 14:23:45 - WARNING - SLOW REQUEST: GET ${path} took ${ms}ms (threshold: 1000ms)\n`;

let dir: string;
let file: string;
let follower: LogFollower;
let events: FollowEvent[];
let waiters: { pred: (e: FollowEvent) => boolean; resolve: (e: FollowEvent) => void }[];

async function follow(from: 'start' | 'end' = 'end'): Promise<void> {
  follower = new LogFollower(file, { thresholdMs: 1000, pollMs: 20, from });
  follower.onEvent((e) => {
    events.push(e);
    waiters = waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  });
  await follower.start();
}

/** Resolves with the first event (already seen or coming) that matches. */
function next(pred: (e: FollowEvent) => boolean): Promise<FollowEvent> {
  const seen = events.find(pred);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => waiters.push({ pred, resolve }));
}
const hitFor = (path: string) => next((e) => e.type === 'hit' && e.hit.path === path);
const ofType = (type: FollowEvent['type']) => next((e) => e.type === type);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-follow-'));
  file = join(dir, 'api.log');
  events = [];
  waiters = [];
});
afterEach(() => {
  follower?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('from the end: only appended lines, a partial line waits for its newline', async () => {
  writeFileSync(file, slow('/old', 2000));
  await follow('end');
  appendFileSync(file, slow('/new', 2500));
  const e = await hitFor('/new');
  assert.ok(e.type === 'hit' && e.hit.durationMs === 2500 && e.hit.line === 0);
  const half = slow('/partial', 3000);
  appendFileSync(file, half.slice(0, 30));
  await follower.poke();
  assert.ok(!events.some((x) => x.type === 'hit' && x.hit.path === '/partial'));
  appendFileSync(file, half.slice(30));
  await hitFor('/partial');
  assert.ok(!events.some((x) => x.type === 'hit' && x.hit.path === '/old'));
  assert.equal(follower.aggregator.slow, 2);
});

test('truncation: reads again from the start', async () => {
  writeFileSync(file, slow('/a', 2000) + slow('/b', 2000));
  await follow('start');
  await hitFor('/b');
  truncateSync(file, 0);
  appendFileSync(file, slow('/c', 4000));
  await ofType('truncated');
  const c = await hitFor('/c');
  assert.ok(c.type === 'hit' && c.hit.line === 0 && c.hit.byteStart === 0);
});

test('rotation: the rest of the old file, then the new file from its start', async () => {
  writeFileSync(file, '');
  await follow();
  appendFileSync(file, slow('/before', 2000));
  await hitFor('/before');
  appendFileSync(file, slow('/last-in-old', 2000));
  renameSync(file, `${file}.1`);
  writeFileSync(file, slow('/first-in-new', 3000));
  await ofType('rotated');
  await hitFor('/first-in-new');
  await hitFor('/last-in-old');
  const order = events.filter((e) => e.type === 'hit').map((e) => (e.type === 'hit' ? e.hit.path : ''));
  assert.deepEqual(order, ['/before', '/last-in-old', '/first-in-new']);
});

test('deleted while followed: a clear event; following resumes when the file reappears', async () => {
  writeFileSync(file, '');
  await follow();
  unlinkSync(file);
  const gone = await ofType('deleted');
  assert.ok(gone.type === 'deleted' && gone.message.includes('was deleted') && gone.message.includes(file));
  writeFileSync(file, slow('/back', 5000));
  await ofType('reappeared');
  await hitFor('/back');
});

test('start on a missing file rejects with a clear message', async () => {
  follower = new LogFollower(join(dir, 'nope.log'), { thresholdMs: 1000 });
  await assert.rejects(follower.start(), /no such file/);
});
