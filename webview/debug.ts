// The answer to the host's debugRequest: what the dashboard holds and shows, so tests in the real
// VS Code can compare it with the host's numbers. Pure (no DOM), unit-tested.

import type { DebugStateMessage } from '../src/dashboard/protocol';
import type { History } from './history';
import type { LoadModel } from './loadtest-model';

export interface DebugInput {
  requestId: number;
  history: History;
  tableKeys: readonly string[];
  tiles: Readonly<Record<string, string>>;
  paused: boolean;
  viewSeconds: number;
  /** Rows of the slow-requests list. */
  slowRows?: readonly string[];
  /** The load test held: adds 'load:achieved', 'load:target' and 'load:p95'. */
  load?: LoadModel;
}

export function debugState(inp: DebugInput): DebugStateMessage {
  const series = { ...inp.history.debugSeries(), ...(inp.load?.debugSeries() ?? {}) };
  // Structured clone cannot carry NaN into JSON-minded comparisons; History never holds one, but be sure.
  for (const s of Object.values(series)) for (let i = 0; i < s.v.length; i++) if (s.v[i] !== null && !Number.isFinite(s.v[i])) s.v[i] = null;
  return {
    type: 'debugState',
    requestId: inp.requestId,
    series,
    tableKeys: inp.tableKeys.slice(),
    tiles: { ...inp.tiles },
    paused: inp.paused,
    windowSeconds: inp.viewSeconds,
    slowRows: inp.slowRows?.slice() ?? [],
  };
}
