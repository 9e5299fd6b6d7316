// The per-line hit index an open log document keeps across edits (src/logs/lineHits.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { scanLines } from '../../src/core/logs';
import { LineHits } from '../../src/logs/lineHits';

const slow = (ms: number) => `2026-01-18 14:23:45 - WARNING - SLOW REQUEST: GET /x took ${ms}ms (threshold: 1000ms)`;
const quiet = '2026-01-18 14:23:45 - INFO - nothing to see';

function indexOf(lines: string[]): LineHits {
  const h = new LineHits();
  h.setRange(0, lines.length, scanLines(lines, 0, lines.length, { thresholdMs: 1000 }));
  return h;
}

/** What an edit does in the editor: splice, then rescan the new lines. */
function edit(h: LineHits, lines: string[], from: number, oldTo: number, replacement: string[]): string[] {
  const next = [...lines.slice(0, from), ...replacement, ...lines.slice(oldTo)];
  h.splice(from, oldTo, replacement.length);
  h.setRange(from, from + replacement.length, scanLines(next, from, from + replacement.length, { thresholdMs: 1000 }));
  return next;
}

const linesOf = (h: LineHits) => h.all().map((x) => x.line);

test('edits keep the index equal to a fresh scan: same-count, insert, delete', () => {
  let lines = [quiet, slow(1500), quiet, slow(2500), quiet, slow(3500)];
  const h = indexOf(lines);
  assert.deepEqual(linesOf(h), [1, 3, 5]);
  // Same number of lines (a keystroke): line 3 stops being slow, nothing moves.
  lines = edit(h, lines, 3, 4, [quiet]);
  assert.deepEqual(linesOf(h), [1, 5]);
  // Two lines inserted above: everything below moves by two, the new slow line counts.
  lines = edit(h, lines, 0, 0, [slow(1200), quiet]);
  assert.deepEqual(linesOf(h), [0, 3, 7]);
  // Lines 1–4 deleted.
  lines = edit(h, lines, 1, 5, []);
  assert.deepEqual(linesOf(h), [0, 3]);
  assert.deepEqual(h.all().map((x) => [x.line, x.durationMs]), indexOf(lines).all().map((x) => [x.line, x.durationMs]));
  assert.equal(h.at(3)?.durationMs, 3500);
});
