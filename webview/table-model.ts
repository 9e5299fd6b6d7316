// Endpoint table logic: sorting (missing values last, whichever the direction), the truncation
// note, and the cell texts. Pure (no DOM), unit-tested; table.ts applies it to the DOM.

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

