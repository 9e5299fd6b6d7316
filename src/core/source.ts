// A source of signals: a scraped endpoint (store + computation here) or a Prometheus server
// (computation there). The monitor polls either the same way.

import { Scraper, type ScrapeFormat, type ScrapeTarget } from './scrape';
import { computeSignals } from './signals';
import { SeriesStore } from './store';
import type { MetricMapping } from './mapping';
import type { Signals } from './types';

export interface PollResult {
  signals: Signals;
  at: number;
  durationMs: number;
  format: ScrapeFormat | 'prometheus-server';
  /** Series the source holds, for details and empty-state explanations. */
  seriesCount: number;
  bytes?: number;
}

export interface SignalSource {
  readonly url: string;
  poll(): Promise<PollResult>;
  /** Signals over a past range from retained data, without polling (brushing). */
  signalsBetween?(from: number, to: number): Signals | undefined;
  /** Series dropped by the store's cap (label explosion). */
  readonly droppedSeries?: number;
  close(): void;
}

export interface EndpointSourceOptions {
  windowSeconds: number;
  historySeconds: number;
  intervalMs: number;
  mapping?: MetricMapping;
  maxSeries?: number;
}

export class EndpointSource implements SignalSource {
  readonly store: SeriesStore;
  private readonly scraper: Scraper;
  constructor(
    target: ScrapeTarget,
    private readonly opts: EndpointSourceOptions,
  ) {
    this.scraper = new Scraper(target);
    const capacity = Math.ceil((opts.historySeconds * 1000) / Math.max(100, opts.intervalMs)) + 1;
    this.store = new SeriesStore({ capacity, ...(opts.maxSeries ? { maxSeries: opts.maxSeries } : {}) });
  }

  get url(): string {
    return this.scraper.target.url;
  }

  async poll(): Promise<PollResult> {
    const outcome = await this.scraper.scrape();
    this.store.commit(outcome.at, outcome.batch);
    return {
      signals: this.compute(this.opts.windowSeconds),
      at: outcome.at,
      durationMs: outcome.durationMs,
      format: outcome.format,
      seriesCount: this.store.series.size,
      bytes: outcome.bytes,
    };
  }

  signalsBetween(from: number, to: number): Signals | undefined {
    if (!this.store.scrapes || to <= from) return undefined;
    return computeSignals(this.store, { windowSeconds: (to - from) / 1000, endTime: to, ...(this.opts.mapping ? { mapping: this.opts.mapping } : {}) });
  }

  get droppedSeries(): number {
    return this.store.droppedSeries;
  }

  private compute(windowSeconds: number): Signals {
    return computeSignals(this.store, { windowSeconds, ...(this.opts.mapping ? { mapping: this.opts.mapping } : {}) });
  }

  close(): void {}
}
