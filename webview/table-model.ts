// Endpoint table logic: sorting (missing values last, whichever the direction), the truncation
// note, and which cells changed. Pure (no DOM), unit-tested; table.ts applies it to the DOM.

import type { EndpointRow, PersistedState } from '../src/dashboard/protocol';
import { fmtMs, fmtPct, fmtRate } from './format';

export type Sort = PersistedState['sort'];
export type NumericColumn = Exclude<keyof EndpointRow, 'key'>;

export const COLUMNS: readonly { id: keyof EndpointRow; label: string; numeric: boolean }[] = [
  { id: 'key', label: 'Endpoint', numeric: false },
  { id: 'rps', label: 'Req/s', numeric: true },
  { id: 'err', label: 'Errors', numeric: true },
  { id: 'p50', label: 'p50', numeric: true },
  { id: 'p95', label: 'p95', numeric: true },
  { id: 'p99', label: 'p99', numeric: true },
];

/**
 * Rows in display order. Stable: equal values keep the host's order (which is p95 descending),
 * so the default view matches the host's ranking exactly. Null/NaN sort last in both directions.
 */
export function sortRows(rows: readonly EndpointRow[], sort: Sort): EndpointRow[] {
  const col = sort.column;
  const dir = sort.descending ? -1 : 1;
  const indexed = rows.map((row, i) => ({ row, i }));
  indexed.sort((a, b) => {
    if (col === 'key') {
      const c = a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0;
      return c * dir || a.i - b.i;
    }
    const x = num(a.row[col]);
    const y = num(b.row[col]);
    if (x === null && y === null) return a.i - b.i;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * dir || a.i - b.i;
  });
  return indexed.map((e) => e.row);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Clicking a header: the same column flips direction; a new one starts descending (text: ascending). */
export function nextSort(current: Sort, column: keyof EndpointRow): Sort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== 'key' };
}

export function truncationNote(shown: number, truncated: number): string | null {
  if (!(truncated > 0)) return null;
  return `showing ${shown} of ${shown + truncated} endpoints`;
}

/** The cell texts of one row, in COLUMNS order. */
export function rowTexts(row: EndpointRow): string[] {
  return [row.key, fmtRate(row.rps), fmtPct(row.err), fmtMs(row.p50), fmtMs(row.p95), fmtMs(row.p99)];
}

export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Keys that can stay where they are when `current` is reordered into `wanted`: the longest run of
 * rows already in the wanted relative order. Only the others are moved, so a row climbing or
 * sinking a few places costs one DOM move, not a shuffle of everything between.
 */
export function keysToKeep(current: readonly string[], wanted: readonly string[]): Set<string> {
  const pos = new Map<string, number>();
  current.forEach((k, i) => pos.set(k, i));
  // Positions in `current` of the wanted keys that exist there, in wanted order.
  const seq: { key: string; at: number }[] = [];
  for (const k of wanted) {
    const at = pos.get(k);
    if (at !== undefined) seq.push({ key: k, at });
  }
  // Longest increasing subsequence of `at` (patience sorting, O(n log n)).
  const tails: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i]!.at;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tails[mid]!]!.at < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<string>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) keep.add(seq[i]!.key);
  return keep;
}
