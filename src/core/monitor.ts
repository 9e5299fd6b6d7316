// Polls one source on a fixed cadence (never overlapping), evaluates thresholds and keeps
// one state object that the status bar, the details view and the CLI all render.

import { HealthEvaluator, type Evaluation, type Thresholds } from './health';
import { ScrapeError } from './scrape';
import type { PollResult, SignalSource } from './source';
import type { Signals } from './types';

export type MonitorState =
  | { kind: 'connecting'; url: string; since: number }
  | { kind: 'noData'; url: string; reason: string; last: PollResult }
  | { kind: 'ok'; url: string; signals: Signals; evaluation: Evaluation; last: PollResult }
  | { kind: 'down'; url: string; reason: string; errorKind: string; since: number; lastOk: number | undefined; failures: number };

export interface MonitorOptions {
  intervalMs: number;
  thresholds: Thresholds;
  now?: () => number;
}

type Listener = (state: MonitorState) => void;

export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private listeners = new Set<Listener>();
  private readonly evaluator: HealthEvaluator;
  private lastOk: number | undefined;
  private downSince: number | undefined;
  private failures = 0;
  state: MonitorState;

  constructor(
    readonly source: SignalSource,
    private opts: MonitorOptions,
  ) {
    this.evaluator = new HealthEvaluator(opts.thresholds);
    this.state = { kind: 'connecting', url: source.url, since: this.now() };
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  onChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  setThresholds(t: Thresholds): void {
    this.opts = { ...this.opts, thresholds: t };
    this.evaluator.setThresholds(t);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.source.close();
  }

  private async loop(): Promise<void> {
    if (!this.running) return;
    const started = this.now();
    await this.pollOnce();
    if (!this.running) return;
    // The next poll is scheduled after this one ends, so polls never overlap.
    const wait = Math.max(0, this.opts.intervalMs - (this.now() - started));
    this.timer = setTimeout(() => void this.loop(), wait);
  }

  /** One poll; never throws. */
  async pollOnce(): Promise<MonitorState> {
    const url = this.source.url;
    try {
      const result = await this.source.poll();
      this.failures = 0;
      this.downSince = undefined;
      this.lastOk = result.at;
      const reason = missingReason(result);
      if (reason) this.setState({ kind: 'noData', url, reason, last: result });
      else this.setState({ kind: 'ok', url, signals: result.signals, evaluation: this.evaluator.evaluate(result.signals, result.at), last: result });
    } catch (err) {
      this.failures++;
      this.downSince ??= this.now();
      const e = err instanceof ScrapeError ? err : new ScrapeError('unreachable', (err as Error)?.message ?? String(err));
      this.setState({ kind: 'down', url, reason: e.message, errorKind: e.kind, since: this.downSince, lastOk: this.lastOk, failures: this.failures });
    }
    return this.state;
  }

  private setState(s: MonitorState): void {
    this.state = s;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch {
        // A broken listener must not stop monitoring.
      }
    }
  }
}

/** Why a successful poll still has nothing to show, or undefined when it has. */
export function missingReason(r: PollResult): string | undefined {
  const s = r.signals;
  const any = s.p95Ms !== null || s.meanMs !== null || s.requestRate !== null || s.errorRate !== null || s.cacheHitRate !== null || s.poolUtilization !== null;
  if (any) return undefined;
  if (r.seriesCount === 0) return 'the endpoint exposes no series yet';
  return `no data yet: waiting for a second scrape to compute rates, or none of ${r.seriesCount} series is a known latency, request, cache or pool metric (map them in pulse.metrics)`;
}
