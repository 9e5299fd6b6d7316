// Per-second accounting of a run: what was sent and what finished in each second since the
// start, with that second's latency percentiles. Counters are plain numbers and typed arrays
// so recording a response costs no allocation.

import { newHistogram, percentileMs, type Histogram } from './recorder';
import type { LoadSecond } from './types';

const MAX_STATUS = 600;

/** Counts by HTTP status in a typed array; status 0 holds anything outside 100–599. */
export class StatusCounts {
  readonly counts = new Float64Array(MAX_STATUS);
  private seen: number[] = [];

  add(status: number): void {
    const i = status >= 100 && status < MAX_STATUS ? status : 0;
    if (this.counts[i] === 0) this.seen.push(i);
    this.counts[i]!++;
  }

  addAll(other: StatusCounts): void {
    for (const i of other.seen) {
      if (this.counts[i] === 0) this.seen.push(i);
      this.counts[i]! += other.counts[i]!;
    }
  }

  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const i of this.seen.sort((a, b) => a - b)) out[i === 0 ? 'other' : String(i)] = this.counts[i]!;
    return out;
  }

  reset(): void {
    for (const i of this.seen) this.counts[i] = 0;
    this.seen = [];
  }
}

export class SecondAccumulator {
  /** Index of the second being filled (0 = the first second of the run). */
  index = 0;
  sent = 0;
  completed = 0;
  errors = 0;
  readonly status = new StatusCounts();
  /** This second's latencies (the engine records into it directly). */
  readonly latency: Histogram = newHistogram();

  /** Closes the current second into an entry and starts the next one. */
  close(targetRate: number | null): LoadSecond {
    const h = this.latency;
    const s: LoadSecond = {
      t: this.index,
      sent: this.sent,
      completed: this.completed,
      errors: this.errors,
      targetRate,
      p50: percentileMs(h, 50),
      p95: percentileMs(h, 95),
      p99: percentileMs(h, 99),
      status: this.status.toRecord(),
    };
    this.index++;
    this.sent = this.completed = this.errors = 0;
    this.status.reset();
    h.reset();
    return s;
  }
}
