// Bounded in-memory time series: one ring of scrape times, one Float64Array ring per series.
// A slot a series had no sample in holds NaN. Memory: capacity × 8 bytes × series.

import type { ExpositionVisitor, FamilyInfo, Labels } from './types';
import { decodeLabels } from './exposition';

export class Series {
  private decoded: Labels | undefined;
  lastSeenScrape = 0;
  constructor(
    readonly key: string,
    readonly name: string,
    readonly labelText: string,
    readonly values: Float64Array,
  ) {}
  get labels(): Labels {
    return (this.decoded ??= this.labelText ? decodeLabels(this.labelText) : {});
  }
}

export interface StoreOptions {
  /** Number of scrapes kept (default one hour at 1 s). */
  capacity?: number;
  /** Hard cap on distinct series; more are dropped and counted. */
  maxSeries?: number;
}

/** A point of one series inside a window: time (ms) and value. */
export interface Point {
  t: number;
  v: number;
}

/** Samples of one scrape, staged so a failed parse leaves the store untouched. */
export class ScrapeBatch implements ExpositionVisitor {
  readonly names: string[] = [];
  readonly labelTexts: string[] = [];
  readonly values: number[] = [];
  readonly families: FamilyInfo[] = [];
  onFamily(f: FamilyInfo): void {
    this.families.push(f);
  }
  onSample(name: string, labelText: string, value: number, _timestampMs?: number): void {
    this.names.push(name);
    this.labelTexts.push(labelText);
    this.values.push(value);
  }
  get size(): number {
    return this.values.length;
  }
}

export class SeriesStore {
  readonly capacity: number;
  readonly maxSeries: number;
  private readonly times: Float64Array;
  /** Total scrapes committed; slot of scrape i is i % capacity. */
  private committed = 0;
  readonly series = new Map<string, Series>();
  readonly families = new Map<string, FamilyInfo>();
  droppedSeries = 0;
  private byName = new Map<string, Series[]>();

  constructor(opts: StoreOptions = {}) {
    this.capacity = Math.max(2, Math.floor(opts.capacity ?? 3600));
    this.maxSeries = opts.maxSeries ?? 50_000;
    this.times = new Float64Array(this.capacity);
  }

  get scrapes(): number {
    return this.committed;
  }

  get latestTime(): number | undefined {
    return this.committed ? this.times[(this.committed - 1) % this.capacity] : undefined;
  }

  commit(tMs: number, batch: ScrapeBatch): void {
    const latest = this.latestTime;
    // A clock that jumped backwards would make rates negative; keep time monotonic.
    const t = latest !== undefined && tMs <= latest ? latest + 1 : tMs;
    const index = this.committed;
    const slot = index % this.capacity;
    for (const s of this.series.values()) s.values[slot] = NaN;
    for (const f of batch.families) this.families.set(f.name, f);
    const { names, labelTexts, values } = batch;
    for (let i = 0; i < values.length; i++) {
      const name = names[i]!;
      const lt = labelTexts[i]!;
      const key = lt ? `${name}{${lt}}` : name;
      let s = this.series.get(key);
      if (!s) {
        if (this.series.size >= this.maxSeries) {
          this.droppedSeries++;
          continue;
        }
        // Copy: parser substrings may pin the whole 64 kB chunk they were cut from.
        s = new Series(detach(key), name, detach(lt), new Float64Array(this.capacity).fill(NaN));
        this.series.set(s.key, s);
        let list = this.byName.get(name);
        if (!list) this.byName.set(name, (list = []));
        list.push(s);
      }
      s.values[slot] = values[i]!;
      s.lastSeenScrape = index;
    }
    this.times[slot] = t;
    this.committed++;
    if (index % 64 === 0) this.evictStale();
  }

  /** Series not seen for a whole ring carry no data any more. */
  private evictStale(): void {
    const horizon = this.committed - this.capacity;
    if (horizon <= 0) return;
    for (const [key, s] of this.series) {
      if (s.lastSeenScrape < horizon) {
        this.series.delete(key);
        const list = this.byName.get(s.name);
        if (list) {
          const rest = list.filter((x) => x !== s);
          if (rest.length) this.byName.set(s.name, rest);
          else this.byName.delete(s.name);
        }
      }
    }
  }

  seriesNamed(name: string): readonly Series[] {
    return this.byName.get(name) ?? [];
  }

  hasMetric(name: string): boolean {
    return this.byName.has(name);
  }

  metricNames(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Slot indices (oldest first) of scrapes within `windowMs` of the newest one. */
  windowSlots(windowMs: number, endTime?: number): number[] {
    const out: number[] = [];
    const n = Math.min(this.committed, this.capacity);
    if (!n) return out;
    const end = endTime ?? this.latestTime!;
    const start = end - windowMs;
    for (let k = 0; k < n; k++) {
      const slot = (this.committed - n + k) % this.capacity;
      const t = this.times[slot]!;
      if (t >= start && t <= end) out.push(slot);
    }
    return out;
  }

  timeAt(slot: number): number {
    return this.times[slot]!;
  }

  /** Last value of a series within the slots, or NaN. */
  latest(s: Series, slots: readonly number[]): number {
    for (let i = slots.length - 1; i >= 0; i--) {
      const v = s.values[slots[i]!]!;
      if (!Number.isNaN(v)) return v;
    }
    return NaN;
  }

  /**
   * Counter increase across the slots with Prometheus' reset rule: a drop means the
   * counter restarted from zero, so the new value is all increase.
   * Returns the increase and the time span it covers, or undefined with fewer than two samples.
   */
  increase(s: Series, slots: readonly number[]): { delta: number; spanMs: number } | undefined {
    let first = -1;
    let prev = NaN;
    let delta = 0;
    let lastT = 0;
    for (const slot of slots) {
      const v = s.values[slot]!;
      if (Number.isNaN(v)) continue;
      const t = this.times[slot]!;
      if (first < 0) first = t;
      else delta += v >= prev ? v - prev : v;
      prev = v;
      lastT = t;
    }
    if (first < 0 || lastT === first) return undefined;
    return { delta, spanMs: lastT - first };
  }
}

function detach(s: string): string {
  return s.length ? Buffer.from(s, 'utf8').toString('utf8') : s;
}
