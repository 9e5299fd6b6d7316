// Small UI state kept across hide/reload with vscode.setState. Pure, unit-tested: whatever comes
// back from getState (an older shape, a hand-edited value) is checked field by field.

import type { EndpointRow, PersistedState } from '../src/dashboard/protocol';

/** The time windows the header offers, in seconds. */
export const VIEW_WINDOWS = [60, 300, 900, 3600] as const;

export const SORT_COLUMNS: readonly (keyof EndpointRow)[] = ['key', 'rps', 'err', 'p50', 'p95', 'p99'];

export const DEFAULT_STATE: PersistedState = {
  selected: null,
  viewSeconds: 300,
  route: null,
  paused: false,
  sort: { column: 'p95', descending: true },
};

export function restoreState(raw: unknown): PersistedState {
  const out: PersistedState = { ...DEFAULT_STATE, sort: { ...DEFAULT_STATE.sort } };
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.selected === 'string') out.selected = r.selected;
  if (typeof r.viewSeconds === 'number' && (VIEW_WINDOWS as readonly number[]).includes(r.viewSeconds)) out.viewSeconds = r.viewSeconds;
  if (typeof r.route === 'string') out.route = r.route;
  if (typeof r.paused === 'boolean') out.paused = r.paused;
  const sort = r.sort as Record<string, unknown> | undefined;
  if (sort && typeof sort === 'object' && SORT_COLUMNS.includes(sort.column as keyof EndpointRow) && typeof sort.descending === 'boolean') {
    out.sort = { column: sort.column as keyof EndpointRow, descending: sort.descending };
  }
  return out;
}
