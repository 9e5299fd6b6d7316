// Builders shared by unit tests: feed a store scrape by scrape.
import { ScrapeBatch, SeriesStore } from '../../src/core/store';

export type Row = [name: string, labels: string, value: number];

export function batchOf(rows: Row[], families: { name: string; type: 'counter' | 'gauge' | 'histogram' | 'summary' }[] = []): ScrapeBatch {
  const b = new ScrapeBatch();
  for (const f of families) b.onFamily(f);
  for (const [n, l, v] of rows) b.onSample(n, l, v, undefined);
  return b;
}

/** Histogram bucket rows for one label set from cumulative counts. */
export function histogramRows(name: string, labels: string, bounds: number[], cumulative: number[], sum: number): Row[] {
  const pre = labels ? `${labels},` : '';
  const rows: Row[] = bounds.map((le, i) => [`${name}_bucket`, `${pre}le="${le === Infinity ? '+Inf' : le}"`, cumulative[i]!]);
  rows.push([`${name}_sum`, labels, sum], [`${name}_count`, labels, cumulative[cumulative.length - 1]!]);
  return rows;
}

export function storeWith(scrapes: { t: number; rows: Row[] }[], capacity = 100): SeriesStore {
  const s = new SeriesStore({ capacity });
  for (const sc of scrapes) s.commit(sc.t, batchOf(sc.rows));
  return s;
}
