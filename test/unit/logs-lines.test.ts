// scanLines: what an editor calls for a document or the lines an edit touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanBuffer, scanLines, type LineSource } from '../../src/core/logs';

const DOC = [
  '2026-01-18 14:23:45 - INFO - Application startup complete',
  '2026-01-18 14:23:46 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)',
  '  ✓ naïve — 2026-01-18 14:23:47 - WARNING - SLOW REQUEST: GET /😀 took 1200ms',
  'GET /api/items 200 12.5 ms - 15',
];

test('a range of lines: absolute line numbers, UTF-16 columns of the duration token', () => {
  const all = scanLines(DOC, 0, DOC.length, { thresholdMs: 1000 });
  assert.deepEqual(all.map((h) => [h.line, h.slow]), [[1, true], [2, true], [3, false]]);
  for (const h of all) {
    const text = DOC[h.line]!;
    assert.match(text.slice(h.durationColumns!.start, h.durationColumns!.end), /^\d+(\.\d+)? ?ms$/);
  }
  assert.deepEqual(scanLines(DOC, 2, 3, { thresholdMs: 1000 }).map((h) => h.line), [2]);
  assert.deepEqual(scanLines(DOC, 3, 99, { thresholdMs: 1000 }).map((h) => h.line), [3]);
  assert.deepEqual(scanLines(DOC, 0, 1, { thresholdMs: 1000 }), []);
});

test('a string (CRLF) and a document-like source give what the byte scanner gives', () => {
  const text = DOC.join('\r\n');
  const fromString = scanLines(text, 0, Infinity, { thresholdMs: 1000 });
  const src: LineSource = { lineCount: DOC.length, lineText: (i) => DOC[i]! };
  assert.deepEqual(scanLines(src, 0, DOC.length, { thresholdMs: 1000 }), fromString);
  const bytes = scanBuffer(Buffer.from(text), { thresholdMs: 1000 }).hits.map(({ byteStart: _s, byteEnd: _e, ...h }) => h);
  assert.deepEqual(bytes, fromString);
});

test('a very long line is scanned up to maxLineChars', () => {
  const long = 'x'.repeat(100) + DOC[1];
  assert.equal(scanLines([long], 0, 1, { thresholdMs: 1000, maxLineChars: 50 }).length, 0);
  assert.equal(scanLines([long], 0, 1, { thresholdMs: 1000, maxLineChars: 500 }).length, 1);
});
