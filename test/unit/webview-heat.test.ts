// Dashboard webview: latency heatmap maths (rows, colour ramp, pixel accumulation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accumulate, buildRamp, colorize, levelOf, mix, over, parseColor, rowAt, rowLabel, rowRange } from '../../webview/heat';

test('theme colours parse in every form VS Code uses', () => {
  assert.deepEqual(parseColor('#3794ff'), [0x37, 0x94, 0xff, 1]);
  assert.deepEqual(parseColor('#FFF'), [255, 255, 255, 1]);
  assert.deepEqual(parseColor('#00000080'), [0, 0, 0, 128 / 255]);
  assert.deepEqual(parseColor(' rgba(204, 204, 204, 0.7) '), [204, 204, 204, 0.7]);
  assert.deepEqual(parseColor('rgb(10 20 30 / 50%)'), [10, 20, 30, 0.5]);
  assert.equal(parseColor('var(--x)'), null);
  assert.equal(parseColor('#12345'), null);
  assert.equal(parseColor('rgb(1, 2)'), null);
});

test('colours blend and composite over the background', () => {
  assert.deepEqual(mix([0, 0, 0, 1], [200, 100, 50, 1], 0.5), [100, 50, 25, 1]);
  assert.deepEqual(over([255, 0, 0, 0.5], [0, 0, 255, 1]), [127.5, 0, 127.5, 1]);
});

test('the ramp runs from the first stop to the last', () => {
  const r = buildRamp([[0, 0, 0, 1], [100, 200, 250, 1]], 5);
  assert.equal(r.length, 20);
  assert.deepEqual([...r.subarray(0, 4)], [0, 0, 0, 255]);
  assert.deepEqual([...r.subarray(16, 20)], [100, 200, 250, 255]);
  assert.deepEqual([...r.subarray(8, 12)], [50, 100, 125, 255]);
});

test('counts map to ramp levels: none is transparent, the max is the top, √ in between', () => {
  assert.equal(levelOf(0, 100, 64), -1);
  assert.equal(levelOf(Number.NaN, 100, 64), -1);
  assert.equal(levelOf(5, 0, 64), -1);
  assert.equal(levelOf(100, 100, 64), 63);
  assert.equal(levelOf(1000, 100, 64), 63);
  assert.equal(levelOf(25, 100, 64), 32, '√(25/100) = 0.5');
  assert.ok(levelOf(1, 100, 64) > 0, 'a single request still shows above the lowest level');
  assert.ok(levelOf(2, 100, 64) < levelOf(3, 100, 64));
});

test('rows cover (previous bound, bound]; the last may be +Inf', () => {
  const b = [5, 10, 25, null];
  assert.deepEqual(rowRange(b, 0), [0, 5]);
  assert.deepEqual(rowRange(b, 2), [10, 25]);
  assert.deepEqual(rowRange(b, 3), [25, null]);
  assert.equal(rowLabel(b, 1), '5 ms – 10 ms');
  assert.equal(rowLabel(b, 3), '> 25 ms');
  assert.equal(rowLabel([500, 2500], 1), '500 ms – 2.5 s');
});

test('rows are equally tall: the row under a vertical position', () => {
  assert.equal(rowAt(0, 4), 0);
  assert.equal(rowAt(0.24, 4), 0);
  assert.equal(rowAt(0.26, 4), 1);
  assert.equal(rowAt(1, 4), 3);
  assert.equal(rowAt(-0.1, 4), null);
  assert.equal(rowAt(0.5, 0), null);
});

test('each point paints the pixels from the previous point to its own time, summing counts', () => {
  const t = [0, 10, 20, 30];
  const heat = [[1, 0], [2, 0], [0, 3], [4, 4]];
  const acc = new Float32Array(2 * 30);
  // 1 px per time unit; the visible range starts at time 0.
  const max = accumulate({ t, heat, rows: 2, i0: 1, i1: 3, width: 30, maxSpanMs: 15, xPos: (v) => v }, acc);
  assert.equal(max, 4);
  assert.equal(acc[5], 2, 'point 1 covers 0..9 in row 0');
  assert.equal(acc[15], 0, 'point 2 has nothing in row 0');
  assert.equal(acc[30 + 15], 3, 'point 2 covers 10..19 in row 1');
  assert.equal(acc[25], 4);
  assert.equal(acc[30 + 29], 4);
});

test('a scraping gap stays empty instead of stretching the next column back', () => {
  const acc = new Float32Array(100);
  accumulate({ t: [0, 100], heat: [[1], [7]], rows: 1, i0: 0, i1: 1, width: 100, maxSpanMs: 10, xPos: (v) => v }, acc);
  assert.equal(acc[50], 0);
  assert.equal(acc[95], 7);
});

test('columns off screen and columns of another bucket layout are skipped', () => {
  const acc = new Float32Array(10);
  const heat = [[9], [1, 2], [4], [50], [60]];
  const max = accumulate({ t: [2, 5, 8, 200, 300], heat, rows: 1, i0: 0, i1: 4, width: 10, maxSpanMs: 100, xPos: (v) => v }, acc);
  assert.equal(max, 9, 'the points far right of the plot add nothing');
  assert.equal(acc[0], 9);
  assert.equal(acc[3], 0, 'the two-bucket column is not drawn');
  assert.equal(acc[6], 4);
  assert.equal(acc[9], 0);
});

test('colorize writes the highest bucket at the top and leaves empty cells transparent', () => {
  const ramp = buildRamp([[0, 0, 255, 1], [255, 0, 0, 1]], 2);
  const acc = new Float32Array([0, 10, 1, 0]); // row 0 (bottom): [0, 10]; row 1 (top): [1, 0]
  const out = new Uint8ClampedArray(16);
  colorize(acc, 2, 2, 10, ramp, out);
  assert.deepEqual([...out.subarray(0, 4)], [0, 0, 255, 255], 'top-left = row 1, count 1 → low end');
  assert.equal(out[7], 0, 'top-right empty');
  assert.equal(out[11], 0, 'bottom-left empty');
  assert.deepEqual([...out.subarray(12, 16)], [255, 0, 0, 255], 'bottom-right = the max');
});
