// Stat tiles: which value, how it is written, its target and severity. Pure (no DOM), unit-tested.

import type { Thresholds, Tiles } from '../src/dashboard/protocol';
import { fmtCpu, fmtMemMb, fmtMs, fmtPct, fmtRate } from './format';

export type TileId = 'p95' | 'rps' | 'err' | 'hit' | 'pool' | 'cpu' | 'memMb';
export type Level = 'ok' | 'pending' | 'warning' | 'error' | 'unknown' | 'none';

export interface TileView {
  id: TileId;
  label: string;
  text: string;
  level: Level;
  /** e.g. "target ≤ 200 ms"; empty when the tile has no target. */
  target: string;
  /** Spoken severity for screen readers. */
  status: string;
}

export const TILE_ORDER: readonly TileId[] = ['p95', 'rps', 'err', 'hit', 'pool', 'cpu', 'memMb'];

const LABELS: Record<TileId, string> = {
  p95: 'p95 latency',
  rps: 'Requests',
  err: 'Errors (5xx)',
  hit: 'Cache hit-rate',
  pool: 'DB pool',
  cpu: 'CPU',
  memMb: 'Memory',
};

const STATUS: Record<Level, string> = {
  ok: 'within target',
  pending: 'past target, not yet for the hold time',
  warning: 'past target',
  error: 'past target',
  unknown: 'not exposed',
  none: '',
};

export function tileViews(tiles: Tiles | null, thr: Thresholds | null): TileView[] {
  const v = (id: TileId) => (tiles ? tiles[id] : null);
  const level = (id: TileId): Level => {
    if (id !== 'p95' && id !== 'err' && id !== 'hit' && id !== 'pool') return 'none';
    const l = tiles?.levels?.[id];
    return l === 'ok' || l === 'pending' || l === 'warning' || l === 'error' ? l : 'unknown';
  };
  const target = (id: TileId): string => {
    if (!thr) return '';
    switch (id) {
      case 'p95':
        return `target ≤ ${fmtMs(thr.p95Ms)}`;
      case 'err':
        return `target ≤ ${fmtPct(thr.errorRate)}`;
      case 'hit':
        return `target ≥ ${fmtPct(thr.cacheHitRate)}`;
      case 'pool':
        return `target ≤ ${fmtPct(thr.poolUtilization)}`;
      default:
        return '';
    }
  };
  const text: Record<TileId, string> = {
    p95: fmtMs(v('p95')),
    rps: fmtRate(v('rps')),
    err: fmtPct(v('err')),
    hit: fmtPct(v('hit')),
    pool: fmtPct(v('pool')),
    cpu: fmtCpu(v('cpu')),
    memMb: fmtMemMb(v('memMb')),
  };
  return TILE_ORDER.map((id) => {
    const lvl = level(id);
    return { id, label: LABELS[id], text: text[id], level: lvl, target: target(id), status: STATUS[lvl] };
  });
}

/** Tile id → text shown (what debugState reports). */
export function tileTexts(views: readonly TileView[]): Record<string, string> {
  return Object.fromEntries(views.map((t) => [t.id, t.text]));
}
