// Dashboard webview: endpoint table sorting and row moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointRow } from '../../src/dashboard/protocol';
import { nextSort, rowTexts, sortRows, truncationNote } from '../../webview/table-model';

const row = (key: string, p95: number | null, rps: number | null = 1): EndpointRow => ({ key, rps, err: 0, p50: 1, p95, p99: 2 });

test('slowest first by default, with missing values last', () => {
  const rows = [row('a', 10), row('b', null), row('c', 30), row('d', Number.NaN), row('e', 20)];
  assert.deepEqual(sortRows(rows, { column: 'p95', descending: true }).map((r) => r.key), ['c', 'e', 'a', 'b', 'd']);
});

test('ascending keeps missing values last too', () => {
  const rows = [row('a', 10), row('b', null), row('c', 30)];
  assert.deepEqual(sortRows(rows, { column: 'p95', descending: false }).map((r) => r.key), ['a', 'c', 'b']);
});

test('ties keep the host order (so the default view matches the host ranking)', () => {
  const rows = [row('z', 5), row('y', 5), row('x', 5)];
  assert.deepEqual(sortRows(rows, { column: 'p95', descending: true }).map((r) => r.key), ['z', 'y', 'x']);
  assert.deepEqual(sortRows(rows, { column: 'p95', descending: false }).map((r) => r.key), ['z', 'y', 'x']);
});

test('sorting by endpoint name, and not mutating the input', () => {
  const rows = [row('b', 1), row('a', 2), row('c', 3)];
  assert.deepEqual(sortRows(rows, { column: 'key', descending: false }).map((r) => r.key), ['a', 'b', 'c']);
  assert.deepEqual(sortRows(rows, { column: 'key', descending: true }).map((r) => r.key), ['c', 'b', 'a']);
  assert.deepEqual(rows.map((r) => r.key), ['b', 'a', 'c']);
});

test('header clicks: same column flips, a new numeric column starts descending, names ascending', () => {
  assert.deepEqual(nextSort({ column: 'p95', descending: true }, 'p95'), { column: 'p95', descending: false });
  assert.deepEqual(nextSort({ column: 'p95', descending: false }, 'rps'), { column: 'rps', descending: true });
  assert.deepEqual(nextSort({ column: 'rps', descending: true }, 'key'), { column: 'key', descending: false });
});

test('truncation note only when rows were left out', () => {
  assert.equal(truncationNote(200, 0), null);
  assert.equal(truncationNote(200, 340), 'showing 200 of 540 endpoints');
});

test('row texts are formatted like the host', () => {
  assert.deepEqual(rowTexts({ key: 'GET /x', rps: 12.34, err: 0.0123, p50: 4.56, p95: 123.4, p99: 12_345 }), ['GET /x', '12.3/s', '1.2%', '4.6 ms', '123 ms', '12.3 s']);
  assert.deepEqual(rowTexts({ key: 'k', rps: null, err: null, p50: null, p95: null, p99: null }).slice(1), ['—', '—', '—', '—', '—']);
});
